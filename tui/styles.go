package tui

import (
	"os"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/ucpilot/ucpilot/tui/initguard"
	"github.com/ucpilot/ucpilot/tui/styles"
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

// Styles holds every style the TUI uses (package styles).
type Styles = styles.Styles

// NewStyles builds the styles on r.
func NewStyles(r *lipgloss.Renderer) *Styles { return styles.New(r) }

// The glyphs and limits of package styles, by their short names here.
const (
	glyphCursor  = styles.GlyphCursor
	glyphBlank   = styles.GlyphBlank
	ruleLight    = styles.RuleLight
	ruleHeavy    = styles.RuleHeavy
	paneDivider  = styles.PaneDivider
	bulletGlyph  = styles.BulletGlyph
	ellipsis     = styles.Ellipsis
	minWidth     = styles.MinWidth
	minHeight    = styles.MinHeight
	wideBreak    = styles.WideBreak
	statusExpiry = styles.StatusExpiry
)

// Bubble Tea's init has run by now (tui imports it), so TERM can go back.
func init() { initguard.Restore() }

// newRenderer builds the renderer for one session. theme "dark" or "light"
// fixes the background and nothing asks the terminal. With "auto" on a
// terminal it asks now, before the program owns the terminal, with a short
// deadline (queryBackground); Bubble Tea's own init-time query is turned off
// by initguard, since it runs before --theme is known and can wait 5 s.
func newRenderer(o Options, out outputTarget) *lipgloss.Renderer {
	r := o.Renderer
	if r == nil {
		r = lipgloss.NewRenderer(out.writer)
	}
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
