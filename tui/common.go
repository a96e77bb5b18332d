package tui

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
)

// Common is what every screen shares: the knowledge base, the values that
// fill command templates, styles, keys and the clipboard. It replaces
// globals; the root owns it and hands the same pointer to each screen.
type Common struct {
	Base      *knowledge.Base
	Vars      knowledge.Vars
	EnvLabel  string
	ReadOnly  bool
	Styles    *Styles
	Keys      *KeyMap
	Clipboard Clipboard
	// Profile is the environment's profile (nil when none exists yet). The
	// profile form replaces it on save; Checks plans with it.
	Profile *profile.Profile

	runs *runFlow // x outside the Guide and the question box (runprompt.go)
}

// Component is one screen. The root routes messages to the active one, asks
// it for help bindings (help.KeyMap) and tells it its size. Adding a screen
// is writing a Component and registering it in newScreens.
type Component interface {
	help.KeyMap
	// Update handles a message routed to this screen.
	Update(msg tea.Msg) tea.Cmd
	View() string
	// SetSize gives the screen its body area (the root keeps the header,
	// status line and footer).
	SetSize(width, height int)
	// Title names the screen in the header.
	Title() string
	// Capturing is true while a text field has the keys; the root then
	// leaves every key but ctrl+c to the screen.
	Capturing() bool
	// Activate runs when the user navigates to the screen (not when they
	// come back to it with esc).
	Activate() tea.Cmd
	// EnableKeys switches on the screen-level bindings that do something in
	// the screen's current state; the root has switched them all off first.
	EnableKeys()
}

// screenID names a screen. The zero value is Home.
type screenID int

const (
	screenHome screenID = iota
	screenTroubleshoot
	screenBrowse
	screenIdentifiers
	screenHelp
	screenChecks  // only when Options.Checks is set
	screenProfile // only when Options.ProfilePath is set
	screenGuide   // only when Options.Guide is set
)

// navigateMsg asks the root to open a screen.
type navigateMsg struct{ to screenID }

func navigate(to screenID) tea.Cmd { return func() tea.Msg { return navigateMsg{to} } }

// backMsg asks the root to go back one screen (a screen that captures every
// key, like the profile form, cannot rely on the root's esc).
type backMsg struct{}

func goBack() tea.Msg { return backMsg{} }

// openTopologyMsg asks the root to open Browse on one topology.
type openTopologyMsg struct{ id string }

// statusMsg puts a line in the status bar; isError styles it as an error.
type statusMsg struct {
	text    string
	isError bool
}

// clearStatusMsg clears the status bar if it still shows status seq.
type clearStatusMsg struct{ seq int }

// copiedMsg reports the result of a copy to the clipboard.
type copiedMsg struct {
	text string
	how  string
	err  error
}
