package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui/fleet"
)

// openPitfallsMsg asks the root to show pitfalls in Troubleshoot, as if a
// search had found them.
type openPitfallsMsg struct {
	query string
	hits  []knowledge.Hit
}

func (ch *checks) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := ch.c.Keys
	if ch.grid != nil {
		if ch.grid.Update(msg) {
			ch.grid = nil
		}
		return nil
	}
	if r := ch.selected(); msg.String() == "g" && r != nil && r.res != nil && len(r.res.Servers) > 0 {
		ch.grid = fleet.New(ch.c.Styles, *r.res)
		return nil
	}
	switch {
	case key.Matches(msg, k.CancelRun):
		return ch.cancelRun()
	case key.Matches(msg, k.RerunAll):
		return ch.start("")
	case key.Matches(msg, k.Rerun):
		return ch.rerunSelected()
	case key.Matches(msg, k.NextPane):
		ch.focus = (ch.focus + 1) % 3
		return nil
	case key.Matches(msg, k.PrevPane):
		ch.focus = (ch.focus + 2) % 3
		return nil
	case key.Matches(msg, k.Left):
		ch.focus = max(ch.focus-1, paneChecks)
		return nil
	case key.Matches(msg, k.Right):
		ch.focus = min(ch.focus+1, paneFix)
		return nil
	case key.Matches(msg, k.Select):
		return ch.openPitfalls()
	case key.Matches(msg, k.NextFailure):
		return ch.nextFailure()
	}
	if cmd, ok := ch.fix.handleRun(msg, screenChecks, ch.entryKey()); ok {
		return cmd
	}
	if cmd, ok := ch.fix.handleCopy(msg); ok {
		return cmd
	}
	switch ch.focus {
	case paneEvidence:
		ch.evidence.handleScroll(msg)
	case paneFix:
		ch.fix.handleScroll(msg)
	default:
		ch.handleListKey(msg)
	}
	return nil
}

func (ch *checks) handleListKey(msg tea.KeyMsg) {
	k := ch.c.Keys
	switch {
	case key.Matches(msg, k.Up):
		ch.moveCursor(-1)
	case key.Matches(msg, k.Down):
		ch.moveCursor(1)
	case key.Matches(msg, k.PageUp):
		ch.moveCursor(-ch.listHeight())
	case key.Matches(msg, k.PageDown):
		ch.moveCursor(ch.listHeight())
	case key.Matches(msg, k.Top):
		ch.moveCursor(-len(ch.rows))
	case key.Matches(msg, k.Bottom):
		ch.moveCursor(len(ch.rows))
	}
}

// rerunSelected runs the selected check again (with its dependencies). A
// full run under way is left alone: R restarts it, esc stops it.
func (ch *checks) rerunSelected() tea.Cmd {
	if ch.running {
		return statusCmd("a run is under way: wait for it, esc cancels it, R starts it over", true)
	}
	id := ch.selectedID()
	if id == "" {
		return statusCmd("no check selected: R runs every check", true)
	}
	return ch.start(id)
}

// openPitfalls shows the selected check's pitfalls in Troubleshoot, where
// each one's cause, fix and commands are a list entry away.
func (ch *checks) openPitfalls() tea.Cmd {
	r := ch.selected()
	if r == nil || r.res == nil || len(r.res.Pitfalls) == 0 {
		return statusCmd("this check names no pitfall", true)
	}
	var hits []knowledge.Hit
	for _, id := range r.res.Pitfalls {
		if p := ch.c.Base.Pitfall(id); p != nil {
			hits = append(hits, knowledge.Hit{Kind: knowledge.KindPitfall, ID: p.ID, Title: p.Title, Score: 1, Pitfall: p})
		}
	}
	if len(hits) == 0 {
		return statusCmd("the pitfalls this check names are not in the knowledge base", true)
	}
	msg := openPitfallsMsg{query: r.check.Spec.Title, hits: hits}
	return func() tea.Msg { return msg }
}

// showEntries fills Troubleshoot with given entries as if query had found
// them, and puts the focus on the list. (Kept here: only Checks uses it.)
func (t *troubleshoot) showEntries(query string, hits []knowledge.Hit) tea.Cmd {
	t.input.SetValue(query)
	t.query = query
	t.seq++ // a search still on its way is stale now
	t.setHits(hits)
	return t.setFocus(paneList)
}

func (ch *checks) EnableKeys() {
	k := ch.c.Keys
	enable(&k.NextPane, &k.PrevPane, &k.Left, &k.Right, &k.RerunAll, &k.NextFailure)
	if ch.running {
		// esc stops the run instead of leaving the screen; the run would
		// go on in the background otherwise.
		k.Back.SetEnabled(false)
		enable(&k.CancelRun)
	} else if len(ch.rows) > 0 {
		enable(&k.Rerun)
	}
	if r := ch.selected(); r != nil && r.res != nil && len(r.res.Pitfalls) > 0 {
		enable(&k.Select)
	}
	switch ch.focus {
	case paneEvidence:
		ch.evidence.enableKeys()
	case paneFix:
		ch.fix.enableKeys()
	default:
		if len(ch.rows) > 1 {
			enable(&k.Up, &k.Down, &k.Top, &k.Bottom, &k.PageUp, &k.PageDown)
		}
	}
	ch.fix.enableCopyKeys()
	ch.fix.enableRunKeys()
}

func (ch *checks) ShortHelp() []key.Binding {
	k := ch.c.Keys
	out := bindings(&k.Rerun, &k.RerunAll, &k.CancelRun)
	switch ch.focus {
	case paneChecks:
		out = append(out, bindings(&k.Down, &k.Select)...)
	default:
		out = append(out, bindings(&k.Down)...)
	}
	return append(out, withRunHelp(bindings(&k.Copy, &k.CopyNth, &k.NextPane), ch.fix.runHelp(), k.Copy)...)
}

func (ch *checks) FullHelp() [][]key.Binding {
	return [][]key.Binding{append(ch.ShortHelp(), bindings(&ch.c.Keys.NextFailure)...)}
}

// nextFailure moves the cursor to the next failed or errored check after
// it, wrapping around; the list gets the focus.
func (ch *checks) nextFailure() tea.Cmd {
	n := len(ch.rows)
	for step := 1; step <= n; step++ {
		i := (ch.cursor + step) % n
		if r := ch.rows[i].res; r != nil && (r.Status == engine.StatusFail || r.Status == engine.StatusError) {
			ch.cursor, ch.focus, ch.moved = i, paneChecks, true
			ch.scrollList()
			ch.showSelected()
			return nil
		}
	}
	return statusCmd("no failed check", false)
}
