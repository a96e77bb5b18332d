package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/knowledge"
)

// entryKey names the selected entry, so a command's output stays with the
// entry it was run from.
func (t *troubleshoot) entryKey() string {
	i := t.list.Cursor() - t.tokenRows()
	if i < 0 || i >= len(t.hits) {
		return ""
	}
	return string(t.hits[i].Kind) + ":" + t.hits[i].ID
}

func (t *troubleshoot) commandStarted(key string, pc PendingCommand) {
	t.out.started(key, pc)
	t.detail.showOutput()
}

// commandFinished shows the output; after a changing command of a pitfall
// ran, the checks that name the pitfall run again to prove the fix.
func (t *troubleshoot) commandFinished(key string, r ranCommand, changes bool) tea.Cmd {
	t.out.finished(key, r)
	t.detail.showOutput()
	if !changes || r.err != nil {
		return nil
	}
	for _, h := range t.hits {
		if h.Kind == knowledge.KindPitfall && string(h.Kind)+":"+h.ID == key {
			msg := recheckMsg{pitfall: h.ID, why: "that name this pitfall"}
			return func() tea.Msg { return msg }
		}
	}
	return nil
}
