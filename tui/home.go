package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// homeEntry is one way in. Only screens that work are listed; a later screen
// (Guide, Checks) adds its line here.
type homeEntry struct {
	label string
	what  string
	to    screenID
	key   func(*KeyMap) *key.Binding
}

func homeEntries() []homeEntry {
	return []homeEntry{
		{"Troubleshoot", "paste an error line, get the cause and the fix", screenTroubleshoot,
			func(k *KeyMap) *key.Binding { return &k.Search }},
		{"Browse procedures", "the three topologies, step by step", screenBrowse,
			func(k *KeyMap) *key.Binding { return &k.Browse }},
		{"Guide", "walk a procedure step by step, verified as you go", screenGuide,
			func(k *KeyMap) *key.Binding { return &k.Guide }},
		{"Identifiers", "application ids, issuers, realms, metadata URLs", screenIdentifiers,
			func(k *KeyMap) *key.Binding { return &k.Identifiers }},
		{"Checks", "look at the servers: DNS, TLS, metadata, Bearer", screenChecks,
			func(k *KeyMap) *key.Binding { return &k.Checks }},
		{"Environment profile", "the names of your servers, checked as you type", screenProfile,
			func(k *KeyMap) *key.Binding { return &k.Profile }},
	}
}

// home is the start screen: the environment line and a menu.
type home struct {
	c       *Common
	entries []homeEntry
	menu    listView
	width   int
	height  int
}

// newHome lists the entries whose screen exists in this session (Checks and
// the profile form are optional).
func newHome(c *Common, screens map[screenID]Component) *home {
	h := &home{c: c}
	for _, e := range homeEntries() {
		if _, ok := screens[e.to]; ok {
			h.entries = append(h.entries, e)
		}
	}
	h.menu.SetItems(h.items())
	return h
}

func (h *home) items() []listItem {
	items := make([]listItem, 0, len(h.entries))
	labelW := 18
	for _, e := range h.entries {
		labelW = max(labelW, len(e.label)+1)
	}
	for _, e := range h.entries {
		items = append(items, listItem{Text: fmt.Sprintf("%-*s %s  (%s)", labelW, e.label, e.what, e.key(h.c.Keys).Help().Key)})
	}
	return items
}

func (h *home) Title() string     { return "Home" }
func (h *home) Capturing() bool   { return false }
func (h *home) Activate() tea.Cmd { return nil }

func (h *home) SetSize(w, ht int) {
	h.width, h.height = w, ht
	h.menu.SetSize(w-2, len(h.entries))
}

func (h *home) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(tea.KeyMsg); ok {
		return h.handleKey(msg)
	}
	return nil
}

func (h *home) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := h.c.Keys
	switch {
	case key.Matches(msg, k.Up):
		h.menu.Move(-1)
	case key.Matches(msg, k.Down):
		h.menu.Move(1)
	case key.Matches(msg, k.Top):
		h.menu.Select(0)
	case key.Matches(msg, k.Bottom):
		h.menu.Select(h.menu.Len() - 1)
	case key.Matches(msg, k.Select):
		return navigate(h.entries[h.menu.Cursor()].to)
	}
	return nil
}

func (h *home) View() string {
	s := h.c.Styles
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(" " + s.Heading.Render("ucpilot") + " — the OAuth trust between Exchange and Lync / Skype for Business\n")
	b.WriteString(" " + s.Faint.Render("partner applications, metadata documents, auth certificates") + "\n\n")
	// Wrapped at the width, not cut: the end of the environment line says
	// where the other scenarios are.
	wrap := func(text string, style lipgloss.Style) {
		for _, ln := range strings.Split(ansi.Wrap(text, max(h.width-1, 20), ""), "\n") {
			b.WriteString(" " + style.Render(ln) + "\n")
		}
	}
	wrap(s.Label.Render("Environment:")+" "+h.c.EnvLabel, s.Plain)
	wrap(h.baseSummary(), s.Faint)
	b.WriteString("\n")
	b.WriteString(" " + s.Section.Render("Where to start") + "\n")
	for _, ln := range strings.Split(h.menu.View(s, true), "\n") {
		b.WriteString(" " + ln + "\n")
	}
	return b.String()
}

// baseSummary counts what the knowledge base holds, so an empty or partial
// base is visible at a glance.
func (h *home) baseSummary() string {
	b := h.c.Base
	steps := 0
	for _, t := range b.Topologies {
		steps += len(t.Steps)
	}
	return fmt.Sprintf("knowledge base: %d pitfalls · %d topologies (%d steps) · %d identifiers · %d cmdlets",
		len(b.Pitfalls), len(b.Topologies), steps, len(b.Identifiers), len(b.Cmdlets))
}

func (h *home) EnableKeys() {
	k := h.c.Keys
	enable(&k.Up, &k.Down, &k.Top, &k.Bottom, &k.Select)
}

func (h *home) ShortHelp() []key.Binding {
	k := h.c.Keys
	return bindings(&k.Up, &k.Down, &k.Select)
}

func (h *home) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }
