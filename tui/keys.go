package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the TUI knows, each with its help text. The footer and
// the help screen are generated from it, so what they say is what the code
// matches. Bindings are enabled per context (see syncKeys) so help shows only
// what works now.
type KeyMap struct {
	// Anywhere (outside the search field)
	Search      key.Binding
	Browse      key.Binding
	Identifiers key.Binding
	Checks      key.Binding // only when the session has checks to run
	Profile     key.Binding // only when the session can save a profile
	Guide       key.Binding // only when the session has a Guide
	Help        key.Binding
	Back        key.Binding
	Quit        key.Binding
	ForceQuit   key.Binding

	// Lists and panes
	Up       key.Binding
	Down     key.Binding
	Top      key.Binding
	Bottom   key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Select   key.Binding
	NextPane key.Binding
	PrevPane key.Binding
	Left     key.Binding
	Right    key.Binding

	// Search field
	ResultUp   key.Binding
	ResultDown key.Binding
	Submit     key.Binding
	LeaveField key.Binding
	ClearField key.Binding

	// Commands
	Copy    key.Binding
	CopyNth key.Binding
	Run     key.Binding // x in Troubleshoot, Browse and Checks (runcmd.go)
	RunOff  key.Binding // x when the session runs no commands: says to copy instead

	// Checks screen
	Rerun       key.Binding
	RerunAll    key.Binding
	CancelRun   key.Binding
	NextFailure key.Binding

	guideKeys // Guide screen (guide_keys.go)
}

// DefaultKeyMap returns the default bindings: arrows and vim keys both work.
func DefaultKeyMap() *KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return &KeyMap{
		Search:      b([]string{"/"}, "/", "search"),
		Browse:      b([]string{"b"}, "b", "browse procedures"),
		Identifiers: b([]string{"i"}, "i", "identifiers"),
		Checks:      b([]string{"C"}, "C", "live checks"),
		Profile:     b([]string{"p"}, "p", "environment profile"),
		Guide:       b([]string{"w"}, "w", "guided walk-through"),
		Help:        b([]string{"?"}, "?", "help"),
		Back:        b([]string{"esc"}, "esc", "back"),
		Quit:        b([]string{"q"}, "q", "quit"),
		ForceQuit:   b([]string{"ctrl+c"}, "ctrl+c", "quit, even while typing"),

		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		Top:      b([]string{"g", "home"}, "g", "top"),
		Bottom:   b([]string{"G", "end"}, "G", "bottom"),
		PageUp:   b([]string{"pgup", "ctrl+b", "ctrl+u"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+f", "ctrl+d", " "}, "pgdn", "page down"),
		Select:   b([]string{"enter"}, "enter", "open"),
		NextPane: b([]string{"tab"}, "tab", "next pane"),
		PrevPane: b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Left:     b([]string{"left", "h"}, "←/h", "pane left"),
		Right:    b([]string{"right", "l"}, "→/l", "pane right"),

		ResultUp:   b([]string{"up", "ctrl+p"}, "↑/^p", "previous result"),
		ResultDown: b([]string{"down", "ctrl+n"}, "↓/^n", "next result"),
		Submit:     b([]string{"enter"}, "enter", "to results"),
		LeaveField: b([]string{"esc"}, "esc", "leave field"),
		ClearField: b([]string{"ctrl+u"}, "^u", "clear"),

		Copy:    b([]string{"c", "y"}, "c/y", "copy"),
		CopyNth: b([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, "1-9", "copy #n"),
		Run:     b([]string{"x"}, "x", "run"),
		RunOff:  b([]string{"x"}, "x", "off: copy it"),

		Rerun:     b([]string{"r"}, "r", "re-run this check"),
		RerunAll:  b([]string{"R"}, "R", "re-run all checks"),
		CancelRun: b([]string{"esc"}, "esc", "cancel the run"),
		// NextFailure jumps down the list to the next problem, as k9s and
		// lazygit users expect of a long list of mostly green rows.
		NextFailure: b([]string{"f"}, "f", "next failure"),

		guideKeys: defaultGuideKeys(),
	}
}

// keyGroup is a titled set of bindings for the help screen.
type keyGroup struct {
	Title    string
	Bindings []*key.Binding
}

// Groups returns every binding in help order, grouped by where it applies.
func (k *KeyMap) Groups() []keyGroup {
	groups := []keyGroup{
		{"Anywhere", []*key.Binding{&k.Search, &k.Browse, &k.Identifiers, &k.Checks, &k.Profile, &k.Guide, &k.Help, &k.Back, &k.Quit, &k.ForceQuit}},
		{"Search field", []*key.Binding{&k.ResultUp, &k.ResultDown, &k.Submit, &k.LeaveField, &k.ClearField}},
		{"Commands", []*key.Binding{&k.Copy, &k.CopyNth, &k.Run, &k.RunOff}},
	}
	// The Checks keys are unbound when the session has no checks: help
	// then leaves their group out.
	if checks := []*key.Binding{&k.Rerun, &k.RerunAll, &k.CancelRun, &k.NextFailure}; len(k.RerunAll.Keys()) > 0 {
		groups = append(groups, keyGroup{"Checks", checks})
	}
	groups = append(groups, k.guideGroup()...)
	return append(groups, keyGroup{"Lists and panes", []*key.Binding{&k.Up, &k.Down, &k.Top, &k.Bottom, &k.PageUp, &k.PageDown,
		&k.Select, &k.NextPane, &k.PrevPane, &k.Left, &k.Right}})
}

// all returns each binding once.
func (k *KeyMap) all() []*key.Binding {
	seen := map[*key.Binding]bool{}
	var out []*key.Binding
	for _, g := range k.Groups() {
		for _, b := range g.Bindings {
			if !seen[b] {
				seen[b] = true
				out = append(out, b)
			}
		}
	}
	return out
}

// enable switches the given bindings on.
func enable(bs ...*key.Binding) {
	for _, b := range bs {
		b.SetEnabled(true)
	}
}

// bindings copies the given bindings for help views (help.KeyMap wants values).
func bindings(bs ...*key.Binding) []key.Binding {
	out := make([]key.Binding, 0, len(bs))
	for _, b := range bs {
		out = append(out, *b)
	}
	return out
}
