package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/tui/components"
)

// helpScreen lists every binding of the KeyMap, grouped. It is generated
// from the bindings themselves, so it cannot drift from what the keys do.
type helpScreen struct {
	c      *Common
	offset int
	width  int
	height int
}

func newHelpScreen(c *Common) *helpScreen { return &helpScreen{c: c} }

func (h *helpScreen) Title() string     { return "Help" }
func (h *helpScreen) Capturing() bool   { return false }
func (h *helpScreen) Activate() tea.Cmd { h.offset = 0; return nil }
func (h *helpScreen) SetSize(w, ht int) { h.width, h.height = w, ht }

func (h *helpScreen) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	k := h.c.Keys
	maxOff := max(len(h.lines())+2-h.height, 0) // +2: the intro line and a blank
	switch {
	case key.Matches(km, k.Up):
		h.offset--
	case key.Matches(km, k.Down):
		h.offset++
	case key.Matches(km, k.Top):
		h.offset = 0
	case key.Matches(km, k.Bottom):
		h.offset = maxOff
	}
	h.offset = components.Clamp(h.offset, 0, maxOff)
	return nil
}

// lines renders the groups in two columns when they fit, else one.
func (h *helpScreen) lines() []string {
	groups := h.c.Keys.Groups()
	colW := (h.width - 3) / 2
	if colW < 34 {
		return h.column(groups, h.width)
	}
	// Split where the taller column is shortest, keeping groups whole.
	split, best := len(groups), -1
	for i := 1; i <= len(groups); i++ {
		taller := max(len(h.column(groups[:i], colW)), len(h.column(groups[i:], colW)))
		if best < 0 || taller < best {
			split, best = i, taller
		}
	}
	left, right := h.column(groups[:split], colW), h.column(groups[split:], colW)
	out := make([]string, max(len(left), len(right)))
	for i := range out {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = components.FitLine(l, colW) + "   " + r
	}
	return out
}

func (h *helpScreen) column(groups []keyGroup, width int) []string {
	s := h.c.Styles
	keyW := 0
	for _, g := range groups {
		for _, b := range g.Bindings {
			keyW = max(keyW, ansi.StringWidth(b.Help().Key))
		}
	}
	var out []string
	for gi, g := range groups {
		if gi > 0 {
			out = append(out, "")
		}
		out = append(out, s.Section.Render(g.Title))
		for _, b := range g.Bindings {
			if len(b.Keys()) == 0 {
				continue // unbound by the user
			}
			k := b.Help().Key
			line := s.HelpKey.Render(k+strings.Repeat(" ", keyW-ansi.StringWidth(k))) + "  " + b.Help().Desc
			out = append(out, ansi.Truncate(line, width, ellipsis))
		}
	}
	return out
}

func (h *helpScreen) View() string {
	s := h.c.Styles
	intro := s.Faint.Render("Every key, generated from the key map. esc or ? closes this page.")
	lines := append([]string{intro, ""}, h.lines()...)
	end := min(h.offset+h.height, len(lines))
	return strings.Join(lines[min(h.offset, end):end], "\n")
}

func (h *helpScreen) EnableKeys() {
	if len(h.lines())+2 > h.height {
		k := h.c.Keys
		enable(&k.Up, &k.Down, &k.Top, &k.Bottom)
	}
}

func (h *helpScreen) ShortHelp() []key.Binding {
	k := h.c.Keys
	return bindings(&k.Up, &k.Down)
}

func (h *helpScreen) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }
