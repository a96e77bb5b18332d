package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/knowledge"
)

// entryKey names the selected check, so a fix's output stays with it.
func (ch *checks) entryKey() string {
	if id := ch.selectedID(); id != "" {
		return "check:" + id
	}
	return ""
}

// linkFixTemplates points the fix commands written from index first on at
// their templates in the knowledge base. engine.Plan renders a fix without
// validating the values it fills in; x runs the template instead, through
// the runner's validation, filled with the same values. A command with no
// template stays copy-only.
func linkFixTemplates(w *docWriter, first int, r checkRow, vars knowledge.Vars) {
	type source struct {
		cmd     knowledge.Command
		pitfall string
	}
	byText := map[string]source{}
	if r.res != nil {
		for _, id := range r.res.Pitfalls {
			pf := w.c.Base.Pitfall(id)
			if pf == nil {
				continue
			}
			for _, c := range pf.Commands {
				text, err := knowledge.Render(c.Text, vars)
				if _, dup := byText[text]; err == nil && !dup {
					byText[text] = source{cmd: c, pitfall: id}
				}
			}
		}
	}
	v := vars
	for i := first; i < len(w.copies); i++ {
		src, ok := byText[w.copies[i].Text]
		if !ok {
			w.copies[i].run = nil
			continue
		}
		side := checkSide(r.check.Spec.ID)
		if side == "" {
			side = pitfallSide(w.c.Base, src.pitfall)
		}
		w.copies[i].run = &runnable{cmd: src.cmd, shell: src.cmd.Shell, side: side, with: &v}
	}
}

func (ch *checks) commandStarted(key string, pc PendingCommand) {
	ch.out.started(key, pc)
	ch.fix.showOutput()
}

// commandFinished shows the output; after a changing fix ran, every check
// runs again (R) to prove it.
func (ch *checks) commandFinished(key string, r ranCommand, changes bool) tea.Cmd {
	ch.out.finished(key, r)
	ch.fix.showOutput()
	if !changes || r.err != nil {
		return nil
	}
	return tea.Batch(statusCmd("the fix ran: re-running every check to prove it", false), ch.start(""))
}

// recheck re-runs the checks that prove a fix run from another screen:
// the ids asked for and those that name the pitfall (in the knowledge
// base or in the last results). Before any full run, it runs them all.
func (ch *checks) recheck(msg recheckMsg) tea.Cmd {
	ids := append([]string(nil), msg.ids...)
	if msg.pitfall != "" {
		for _, spec := range ch.c.Base.Checks {
			if contains(spec.Pitfalls, msg.pitfall) && !contains(ids, spec.ID) {
				ids = append(ids, spec.ID)
			}
		}
		for _, r := range ch.rows {
			if r.res != nil && contains(r.res.Pitfalls, msg.pitfall) && !contains(ids, r.check.Spec.ID) {
				ids = append(ids, r.check.Spec.ID)
			}
		}
	}
	switch {
	case len(ids) == 0:
		return statusCmd("no check covers this fix; the Checks screen (C, then R) re-runs them all", false)
	case !ch.ranOnce:
		return tea.Batch(statusCmd(fmt.Sprintf("running every check to prove the fix (%d %s): C shows them", len(ids), msg.why), false), ch.start(""))
	}
	return tea.Batch(statusCmd(fmt.Sprintf("re-running %d checks %s: C shows them", len(ids), msg.why), false), ch.startSet(ids))
}
