package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui/components"
)

// Focus inside Browse, left to right.
const (
	paneTopologies pane = iota
	paneSteps
	paneStep
)

// browse walks the procedures: pick a topology, then a step, and read what
// to run and how to verify it. It runs nothing.
type browse struct {
	c      *Common
	topos  listView
	steps  listView
	detail detailPane
	focus  pane
	out    runOutput // the last command run with x

	width, height int
}

func newBrowse(c *Common) *browse {
	b := &browse{c: c, detail: newDetailPane(c)}
	items := make([]listItem, 0, len(c.Base.Topologies))
	for _, t := range c.Base.Topologies {
		items = append(items, listItem{Text: t.Title})
	}
	b.topos.SetItems(items)
	b.topoChanged()
	return b
}

func (b *browse) Title() string     { return "Browse procedures" }
func (b *browse) Capturing() bool   { return false }
func (b *browse) Activate() tea.Cmd { return nil }

// topology returns the selected topology, or nil in an empty base.
func (b *browse) topology() *knowledge.Topology {
	if i := b.topos.Cursor(); i < len(b.c.Base.Topologies) {
		return &b.c.Base.Topologies[i]
	}
	return nil
}

// SelectTopology opens the topology with id at its first step.
func (b *browse) SelectTopology(id string) {
	for i, t := range b.c.Base.Topologies {
		if t.ID == id {
			b.topos.Select(i)
			b.topoChanged()
			b.focus = paneSteps
			b.showStep()
			return
		}
	}
}

// topoChanged refills the steps for the selected topology and shows its
// summary.
func (b *browse) topoChanged() {
	t := b.topology()
	var items []listItem
	if t != nil {
		for _, st := range t.Steps {
			text := fmt.Sprintf("%s — %s, %s", st.Title, st.Side, st.Shell.Label())
			if st.Optional {
				text += " (optional)"
			}
			items = append(items, listItem{Text: text})
		}
	}
	b.steps.SetItems(items)
	b.steps.Select(0)
	b.numberSteps()
	if t == nil {
		b.detail.Show(func(w *docWriter) { w.faint("The knowledge base holds no topology yet.") })
		return
	}
	b.detail.Show(topologyDoc(t))
}

// numberSteps puts each step's number in the badge column.
func (b *browse) numberSteps() {
	for i := range b.steps.items {
		b.steps.items[i].Badge = fmt.Sprintf("%2d", i+1)
	}
	b.steps.badgeW = 2
}

func (b *browse) showStep() {
	t := b.topology()
	if t == nil || b.steps.Cursor() >= len(t.Steps) {
		return
	}
	st := &t.Steps[b.steps.Cursor()]
	b.detail.Show(b.out.wrap("step:"+st.ID, stepDoc(t, st)))
}

func (b *browse) wide() bool { return b.width >= wideBreak }

func (b *browse) SetSize(w, h int) {
	b.width, b.height = w, h
	topoH := max(b.topos.Len(), 1)
	if b.wide() {
		lw, rw := components.SplitWidths(w)
		b.topos.SetSize(lw, topoH)
		b.steps.SetSize(lw, max(h-topoH-2, 1))
		b.detail.SetSize(rw, max(h-1, 1))
		return
	}
	lh, dh := components.StackHeights(h - topoH - 1)
	b.topos.SetSize(w, topoH)
	b.steps.SetSize(w, lh)
	b.detail.SetSize(w, dh)
}

func (b *browse) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(tea.KeyMsg); ok {
		return b.handleKey(msg)
	}
	return nil
}

func (b *browse) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := b.c.Keys
	switch {
	case key.Matches(msg, k.NextPane):
		b.setFocus((b.focus + 1) % 3)
	case key.Matches(msg, k.PrevPane):
		b.setFocus((b.focus + 2) % 3)
	case key.Matches(msg, k.Left):
		b.setFocus(max(b.focus-1, paneTopologies))
	case key.Matches(msg, k.Right), key.Matches(msg, k.Select):
		b.setFocus(min(b.focus+1, paneStep))
	case b.focus == paneStep:
		if !b.detail.handleScroll(msg) {
			return b.copyOrRun(msg)
		}
	default:
		if !b.handleListMove(msg) {
			return b.copyOrRun(msg)
		}
	}
	return nil
}

// copyOrRun: c / 1-9 copy the selected command, x runs it.
func (b *browse) copyOrRun(msg tea.KeyMsg) tea.Cmd {
	if cmd, ok := b.detail.handleRun(msg, screenBrowse, b.entryKey()); ok {
		return cmd
	}
	cmd, _ := b.detail.handleCopy(msg)
	return cmd
}

// entryKey names the step on show ("" for a topology's summary).
func (b *browse) entryKey() string {
	t := b.topology()
	if t == nil || b.focus == paneTopologies || b.steps.Cursor() >= len(t.Steps) {
		return ""
	}
	return "step:" + t.Steps[b.steps.Cursor()].ID
}

func (b *browse) commandStarted(key string, pc PendingCommand) {
	b.out.started(key, pc)
	b.detail.showOutput()
}

// commandFinished shows the output; after a changing command ran, the
// checks that verify the step run again.
func (b *browse) commandFinished(key string, r ranCommand, changes bool) tea.Cmd {
	b.out.finished(key, r)
	b.detail.showOutput()
	if !changes || r.err != nil {
		return nil
	}
	if _, st := b.c.Base.Step(strings.TrimPrefix(key, "step:")); st != nil && len(st.Verify.Checks) > 0 {
		msg := recheckMsg{ids: st.Verify.Checks, why: "that verify this step"}
		return func() tea.Msg { return msg }
	}
	return nil
}

// setFocus moves the focus; entering the steps shows the selected step
// rather than the topology summary.
func (b *browse) setFocus(p pane) {
	if p == paneSteps && b.focus == paneTopologies {
		b.showStep()
	}
	b.focus = p
}

// handleListMove moves the cursor of the focused list.
func (b *browse) handleListMove(msg tea.KeyMsg) bool {
	k := b.c.Keys
	l := &b.steps
	if b.focus == paneTopologies {
		l = &b.topos
	}
	before := l.Cursor()
	if !moveList(l, msg, k) {
		return false
	}
	if l.Cursor() != before {
		if b.focus == paneTopologies {
			b.topoChanged()
		} else {
			b.showStep()
		}
	}
	return true
}
