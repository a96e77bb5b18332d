package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

func (t *troubleshoot) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := t.c.Keys
	switch {
	case key.Matches(msg, k.NextPane):
		return t.setFocus((t.focus + 1) % 3)
	case key.Matches(msg, k.PrevPane):
		return t.setFocus((t.focus + 2) % 3)
	}
	switch t.focus {
	case paneInput:
		return t.handleInputKey(msg)
	case paneList:
		return t.handleListKey(msg)
	default:
		return t.handleDetailKey(msg)
	}
}

// handleInputKey: every key types except the few that leave the field or
// move through the results, so "q", "j" and digits go into the query.
func (t *troubleshoot) handleInputKey(msg tea.KeyMsg) tea.Cmd {
	k := t.c.Keys
	if msg.Paste {
		return t.paste(msg)
	}
	switch {
	case key.Matches(msg, k.ClearField):
		t.clearQuery()
		return nil
	case key.Matches(msg, k.LeaveField), key.Matches(msg, k.Submit):
		return t.setFocus(paneList)
	case key.Matches(msg, k.ResultUp):
		t.moveList(-1)
		return nil
	case key.Matches(msg, k.ResultDown):
		t.moveList(1)
		return nil
	}
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	return tea.Batch(cmd, t.search())
}

func (t *troubleshoot) moveList(delta int) {
	before := t.list.Cursor()
	t.list.Move(delta)
	if t.list.Cursor() != before {
		t.showSelected()
	}
}

func (t *troubleshoot) handleListKey(msg tea.KeyMsg) tea.Cmd {
	k := t.c.Keys
	switch {
	case key.Matches(msg, k.Up):
		t.moveList(-1)
	case key.Matches(msg, k.Down):
		t.moveList(1)
	case key.Matches(msg, k.PageUp):
		t.moveList(-t.list.height)
	case key.Matches(msg, k.PageDown):
		t.moveList(t.list.height)
	case key.Matches(msg, k.Top):
		t.moveList(-t.list.Len())
	case key.Matches(msg, k.Bottom):
		t.moveList(t.list.Len())
	case key.Matches(msg, k.Left):
		return t.setFocus(paneInput)
	case key.Matches(msg, k.Right):
		return t.setFocus(paneDetail)
	case key.Matches(msg, k.Select):
		return t.open()
	default:
		if cmd, ok := t.detail.handleRun(msg, screenTroubleshoot, t.entryKey()); ok {
			return cmd
		}
		cmd, _ := t.detail.handleCopy(msg)
		return cmd
	}
	return nil
}

// open acts on the selected entry: a guide opens Browse on its topology, a
// hit moves the focus to its detail.
func (t *troubleshoot) open() tea.Cmd {
	i := t.list.Cursor() - t.tokenRows()
	if i < 0 {
		return t.setFocus(paneDetail)
	}
	if len(t.hits) == 0 && i < len(t.c.Base.Topologies) {
		id := t.c.Base.Topologies[i].ID
		return func() tea.Msg { return openTopologyMsg{id} }
	}
	if t.list.Len() > 0 {
		return t.setFocus(paneDetail)
	}
	return nil
}

func (t *troubleshoot) handleDetailKey(msg tea.KeyMsg) tea.Cmd {
	k := t.c.Keys
	if key.Matches(msg, k.Left) {
		return t.setFocus(paneList)
	}
	if t.detail.handleScroll(msg) {
		return nil
	}
	if cmd, ok := t.detail.handleRun(msg, screenTroubleshoot, t.entryKey()); ok {
		return cmd
	}
	cmd, _ := t.detail.handleCopy(msg)
	return cmd
}

func (t *troubleshoot) EnableKeys() {
	k := t.c.Keys
	enable(&k.NextPane, &k.PrevPane)
	switch t.focus {
	case paneInput:
		enable(&k.LeaveField, &k.Submit, &k.ClearField)
		if t.list.Len() > 1 {
			enable(&k.ResultUp, &k.ResultDown)
		}
	case paneList:
		if t.list.Len() > 1 {
			enable(&k.Up, &k.Down, &k.Top, &k.Bottom, &k.PageUp, &k.PageDown)
		}
		if t.list.Len() > 0 {
			enable(&k.Select)
		}
		enable(&k.Left, &k.Right)
		t.detail.enableCopyKeys()
		t.detail.enableRunKeys()
	case paneDetail:
		enable(&k.Left)
		t.detail.enableKeys()
		t.detail.enableRunKeys()
	}
}

func (t *troubleshoot) ShortHelp() []key.Binding {
	k := t.c.Keys
	switch t.focus {
	case paneInput:
		return bindings(&k.Submit, &k.LeaveField, &k.ClearField, &k.ResultDown)
	case paneList:
		return withRunHelp(bindings(&k.Select, &k.Copy, &k.CopyNth, &k.NextPane), t.detail.runHelp(), k.Copy)
	}
	return withRunHelp(bindings(&k.Down, &k.Copy, &k.CopyNth, &k.Left), t.detail.runHelp(), k.Copy)
}

func (t *troubleshoot) FullHelp() [][]key.Binding { return [][]key.Binding{t.ShortHelp()} }

func (t *troubleshoot) View() string {
	s := t.c.Styles
	search := paneTitle(s, "Search", "", t.width, t.focus == paneInput) + "\n" +
		fitLine(t.input.View(), t.width)
	rec := t.recognizedLines()
	for _, ln := range rec {
		search += "\n" + fitLine(ln, t.width)
	}
	body := t.height - 2 - len(rec)
	listBlock := func(w int) string {
		head := paneTitle(s, t.resultsTitle(), "", w, t.focus == paneList)
		if t.noMatchInList() {
			head += "\n" + s.Notice.Render(t.noMatchNotice())
		}
		return head + "\n" + t.list.View(s, t.focus == paneList)
	}
	detailBlock := func(w int) string {
		return paneTitle(s, "Detail", t.detail.ScrollInfo(), w, t.focus == paneDetail) + "\n" + t.detail.View()
	}
	if t.wide() {
		lw, rw := splitWidths(t.width)
		return search + "\n" + sideBySide(s, listBlock(lw), detailBlock(rw), lw, rw, body)
	}
	lh, dh := stackHeights(body)
	return strings.Join([]string{
		search,
		fitBlock(listBlock(t.width), t.width, lh+1),
		fitBlock(detailBlock(t.width), t.width, dh+1),
	}, "\n")
}
