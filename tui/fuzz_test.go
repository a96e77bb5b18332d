package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// FuzzPastedQuery pastes arbitrary text into the search field (what an
// on-call engineer pastes is outside data: escape sequences, wide runes,
// tabs, newlines) and checks the frame still fits the terminal and the
// program neither panics nor quits.
func FuzzPastedQuery(f *testing.F) {
	for _, seed := range []string{
		"ExCreateItem exchange operations failed, code=5",
		"https://pool01.contoso.com/metadata/jason/1",
		"“Lync” –AuthMetadataURL",
		"\x1b[31mred\x1b[0m\tq\nq",
		"日本語のエラー 00000004-0000-0ff1-ce00-00000000000",
		"",
	} {
		f.Add(seed)
	}
	base := fixtureBase(f)
	f.Fuzz(func(t *testing.T, pasted string) {
		d := newDriver(t, base, 80, 24)
		d.key("/")
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(pasted), Paste: true})
		if d.quit {
			t.Fatalf("pasting %q quit the program", pasted)
		}
		assertFits(t, d.m.View(), 80, 24)
		d.key("enter")
		d.key("c")
		assertFits(t, d.m.View(), 80, 24)
	})
}
