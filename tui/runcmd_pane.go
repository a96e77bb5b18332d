package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/engine/execute"
)

// The screens' side of x: the output kept under the entry a command ran
// from, and the detail pane's x key.

// recheckMsg asks the Checks screen to re-run the checks that prove a
// fix: the ids given, plus those that name pitfall.
type recheckMsg struct {
	ids     []string
	pitfall string
	why     string // "that name this pitfall", for the status line
}

// runOutput is a screen's view of the last command it ran: shown under
// the entry it was run from.
type runOutput struct {
	key     string
	running bool
	last    *ranCommand
}

func (o *runOutput) started(key string, pc PendingCommand) {
	o.key, o.running, o.last = key, true, nil
}

func (o *runOutput) finished(key string, r ranCommand) {
	o.key, o.running, o.last = key, false, &r
}

// wrap adds the output section to the entry key's document. The closure
// reads o when it renders, so the pane shows the output as it changes.
func (o *runOutput) wrap(key string, doc entryDoc) entryDoc {
	if doc == nil {
		return nil
	}
	return func(w *docWriter) {
		doc(w)
		if o.key == key && key != "" {
			writeRanCommand(w, "Command output", o.running, o.last)
		}
	}
}

// selectedCopy returns the selected copyable, nil without one.
func (d *detailPane) selectedCopy() *copyable {
	if d.selected < 0 || d.selected >= len(d.copies) {
		return nil
	}
	return &d.copies[d.selected]
}

// handleRun answers x for the selected command of the entry named key;
// it reports whether msg was x.
func (d *detailPane) handleRun(msg tea.KeyMsg, owner screenID, entry string) (tea.Cmd, bool) {
	k := d.c.Keys
	if !key.Matches(msg, k.Run) && !key.Matches(msg, k.RunOff) {
		return nil, false
	}
	return d.c.runs.request(owner, entry, d.selectedCopy()), true
}

// enableRunKeys switches x on wherever there is something to copy: it
// runs the command, or says why not (read-only mode, a value).
func (d *detailPane) enableRunKeys() {
	if d.HasCopies() {
		enable(&d.c.Keys.Run, &d.c.Keys.RunOff)
	}
}

// runHelp is x for the footer: offered only for a command that can run
// now, so read-only mode never offers it for a changing one.
func (d *detailPane) runHelp() []key.Binding {
	cp := d.selectedCopy()
	k := d.c.Keys
	switch {
	case cp == nil || cp.run == nil || execute.Placeholder(cp.Text) != "":
		return nil
	case d.c.runs.runner == nil:
		return bindings(&k.RunOff)
	case cp.run.cmd.Changes && d.c.ReadOnly:
		return nil
	}
	return bindings(&k.Run)
}

// showOutput re-renders the pane and brings the output section into view.
func (d *detailPane) showOutput() {
	d.render()
	if d.anchor >= 0 {
		d.vp.SetYOffset(d.anchor)
	}
}

// withRunHelp inserts x after the copy key of a footer.
func withRunHelp(help []key.Binding, run []key.Binding, after key.Binding) []key.Binding {
	for i, b := range help {
		if b.Help() == after.Help() {
			out := append(append(append([]key.Binding{}, help[:i+1]...), run...), help[i+1:]...)
			return out
		}
	}
	return append(help, run...)
}
