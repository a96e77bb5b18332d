package tui

import (
	"os"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/ucpilot/ucpilot/tui/initguard"
)

// bgWhole bounds the rest of a background answer once its first byte came.
const bgWhole = time.Second

// bgFirstByte is how long the background query waits for a first byte of
// any answer. A local terminal answers in well under a millisecond; 40 ms
// keeps one that never answers inside the 100 ms start budget (the rest of
// the start is about 45 ms: knowledge.Load, then Bubble Tea's first 1/60 s
// render tick). Over SSH the answer crosses the network, and one that came
// after the deadline would be read by Bubble Tea as key presses ('b', '/',
// digits), so a remote session waits longer; --theme dark or light skips
// the query altogether.
func bgFirstByte() time.Duration {
	if os.Getenv("SSH_CONNECTION") != "" || os.Getenv("SSH_TTY") != "" {
		return 400 * time.Millisecond
	}
	return 40 * time.Millisecond
}

// Bubble Tea's init has run by now (tui imports it), so TERM can go back.
func init() { initguard.Restore() }

// Glyphs that carry meaning on their own, so nothing depends on colour alone
// (NO_COLOR, monochrome consoles, screen readers reading the text).
const (
	glyphCursor  = ">"  // the selected row of a list
	glyphBlank   = " "  // the same width as glyphCursor for other rows
	ruleLight    = "─"  // pane title rule of an unfocused pane
	ruleHeavy    = "━"  // pane title rule of the focused pane
	paneDivider  = "│"  // between side-by-side panes
	bulletGlyph  = "- " // list items inside the detail pane
	ellipsis     = "…"
	minWidth     = 60 // below this the layout cannot show a list and a detail
	minHeight    = 15
	wideBreak    = 100 // from this width the panes sit side by side
	statusExpiry = 6   // seconds a status message stays
)

// Styles holds every style the TUI uses, built from one renderer so that a
// second session (tests, an SSH server later) never shares mutable state.
type Styles struct {
	Header      lipgloss.Style // top bar: app name and screen
	HeaderMeta  lipgloss.Style // right side of the top bar (read-only marker)
	PaneTitle   lipgloss.Style // title of an unfocused pane
	PaneFocused lipgloss.Style // title of the focused pane
	Rule        lipgloss.Style // the line after a pane title
	Divider     lipgloss.Style // vertical line between panes

	Plain         lipgloss.Style // no attributes, for text that is only wrapped
	Selected      lipgloss.Style // selected row in a focused list
	SelectedBlur  lipgloss.Style // selected row in an unfocused list
	Faint         lipgloss.Style // secondary text
	Heading       lipgloss.Style // entry title in the detail pane
	Section       lipgloss.Style // section label (Symptoms, Cause, Fix)
	Label         lipgloss.Style // field label (Value, Where)
	Command       lipgloss.Style // copy-ready command text
	CommandNumber lipgloss.Style // the [n] before a command

	ReadOnly   lipgloss.Style // "read-only" command marker
	Changes    lipgloss.Style // "changes server"
	Disruptive lipgloss.Style // "disruptive"
	NotOAuth   lipgloss.Style // "not an OAuth problem"
	Unverified lipgloss.Style // "unverified"

	KindPitfall    lipgloss.Style
	KindStep       lipgloss.Style
	KindIdentifier lipgloss.Style
	KindCmdlet     lipgloss.Style
	KindGuide      lipgloss.Style

	StatusOK    lipgloss.Style
	StatusError lipgloss.Style
	Notice      lipgloss.Style // plain statements such as "no entry matches"

	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpSep  lipgloss.Style
}

// NewStyles builds the styles on r. Every style comes from r.NewStyle so the
// renderer's colour profile (Ascii under NO_COLOR) and background decide the
// output.
func NewStyles(r *lipgloss.Renderer) *Styles {
	// Semantic colours as ANSI-16 indices, so the terminal's own palette
	// (solarized, high contrast, light) decides the shade; Light applies on
	// light backgrounds, Dark on dark ones.
	var (
		colAccent  = lipgloss.AdaptiveColor{Light: "4", Dark: "12"}
		colFaint   = lipgloss.AdaptiveColor{Light: "8", Dark: "8"}
		colSuccess = lipgloss.AdaptiveColor{Light: "2", Dark: "10"}
		colWarning = lipgloss.AdaptiveColor{Light: "3", Dark: "11"}
		colDanger  = lipgloss.AdaptiveColor{Light: "1", Dark: "9"}
		colPitfall = lipgloss.AdaptiveColor{Light: "5", Dark: "13"}
		colIdent   = lipgloss.AdaptiveColor{Light: "6", Dark: "14"}
	)
	n := r.NewStyle
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return n().Foreground(c) }
	return &Styles{
		Header:      n().Bold(true).Foreground(colAccent),
		HeaderMeta:  fg(colWarning).Bold(true),
		PaneTitle:   fg(colFaint),
		PaneFocused: fg(colAccent).Bold(true),
		Rule:        fg(colFaint),
		Divider:     fg(colFaint),

		Plain:         n(),
		Selected:      n().Reverse(true).Bold(true),
		SelectedBlur:  n().Bold(true),
		Faint:         fg(colFaint),
		Heading:       fg(colAccent).Bold(true),
		Section:       n().Bold(true).Underline(true),
		Label:         n().Bold(true),
		Command:       n(),
		CommandNumber: fg(colAccent).Bold(true),

		ReadOnly:   fg(colSuccess),
		Changes:    fg(colWarning).Bold(true),
		Disruptive: fg(colDanger).Bold(true),
		NotOAuth:   fg(colWarning).Bold(true),
		Unverified: fg(colWarning),

		KindPitfall:    fg(colPitfall),
		KindStep:       fg(colAccent),
		KindIdentifier: fg(colIdent),
		KindCmdlet:     fg(colWarning),
		KindGuide:      fg(colSuccess),

		StatusOK:    fg(colSuccess),
		StatusError: fg(colDanger).Bold(true),
		Notice:      fg(colWarning),

		HelpKey:  fg(colAccent),
		HelpDesc: fg(colFaint),
		HelpSep:  fg(colFaint),
	}
}

// newRenderer builds the renderer for one session. theme "dark" or "light"
// fixes the background and nothing asks the terminal. With "auto" on a
// terminal it asks now, before the program owns the terminal, with a short
// deadline (queryBackground); Bubble Tea's own init-time query is turned off
// by initguard, since it runs before --theme is known and can wait 5 s.
func newRenderer(o Options, out outputTarget) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(out.writer)
	switch {
	case o.Theme == "dark":
		r.SetHasDarkBackground(true)
	case o.Theme == "light":
		r.SetHasDarkBackground(false)
	case out.terminal:
		// Asked here, before Bubble Tea owns the terminal, with a short
		// deadline: a terminal that never answers costs bgFirstByte, not
		// termenv's 5 s. Without an answer the default renderer's guess
		// stands (COLORFGBG, else dark; its own query is off, see initguard).
		dark, ok := false, false
		if f, isFile := out.writer.(*os.File); isFile {
			dark, ok = queryBackground(f, bgFirstByte(), bgWhole)
		}
		if !ok {
			dark = lipgloss.HasDarkBackground()
		}
		r.SetHasDarkBackground(dark)
	}
	if o.Accessible {
		// Accessible mode talks plain text: no colour and no attributes
		// that a screen reader would read out as noise.
		r.SetColorProfile(termenv.Ascii)
	}
	return r
}
