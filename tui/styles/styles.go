// Package styles holds the TUI's styles and the glyphs that carry meaning
// without colour. Every screen package reads them; none owns them.
package styles

import "github.com/charmbracelet/lipgloss"

// Glyphs that carry meaning on their own, so nothing depends on colour alone
// (NO_COLOR, monochrome consoles, screen readers reading the text).
const (
	GlyphCursor  = ">"  // the selected row of a list
	GlyphBlank   = " "  // the same width as glyphCursor for other rows
	RuleLight    = "─"  // pane title rule of an unfocused pane
	RuleHeavy    = "━"  // pane title rule of the focused pane
	PaneDivider  = "│"  // between side-by-side panes
	BulletGlyph  = "- " // list items inside the detail pane
	Ellipsis     = "…"
	MinWidth     = 60 // below this the layout cannot show a list and a detail
	MinHeight    = 15
	WideBreak    = 100 // from this width the panes sit side by side
	StatusExpiry = 6   // seconds a status message stays
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

// New builds the styles on r. Every style comes from r.NewStyle so the
// renderer's colour profile (Ascii under NO_COLOR) and background decide the
// output.
func New(r *lipgloss.Renderer) *Styles {
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
