// Package components holds the widgets the screens share: layout helpers,
// lists, detail panes. What a widget needs is passed in; none reads the
// root model.
package components

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/tui/styles"
)

// PaneTitle draws a pane's title line: "── Results (3) ───── 40% ─". The
// focused pane gets a heavy rule and the focused style, so focus shows
// without colour too.
func PaneTitle(s *styles.Styles, title, right string, width int, focused bool) string {
	rule, style := styles.RuleLight, s.PaneTitle
	if focused {
		rule, style = styles.RuleHeavy, s.PaneFocused
	}
	left := rule + rule + " " + title + " "
	tail := ""
	if right != "" {
		tail = " " + right + " " + rule
	}
	fill := width - ansi.StringWidth(left) - ansi.StringWidth(tail)
	if fill < 1 {
		return style.Render(ansi.Truncate(left+tail, width, styles.Ellipsis))
	}
	return style.Render(left) + s.Rule.Render(strings.Repeat(rule, fill)) + style.Render(tail)
}

// FitBlock makes s exactly h lines of exactly w cells: long lines are cut,
// short ones padded, so blocks can sit side by side and nothing overflows
// the terminal.
func FitBlock(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, ln := range lines {
		lines[i] = FitLine(ln, w)
	}
	return strings.Join(lines, "\n")
}

func FitLine(ln string, w int) string {
	lw := ansi.StringWidth(ln)
	if lw > w {
		return ansi.Truncate(ln, w, styles.Ellipsis)
	}
	return ln + strings.Repeat(" ", w-lw)
}

// SideBySide joins two blocks of height h with a divider column between.
func SideBySide(s *styles.Styles, left, right string, lw, rw, h int) string {
	l := strings.Split(FitBlock(left, lw, h), "\n")
	r := strings.Split(FitBlock(right, rw, h), "\n")
	div := s.Divider.Render(styles.PaneDivider)
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l[i])
		b.WriteString(div)
		b.WriteString(r[i])
	}
	return b.String()
}

// SplitWidths divides a wide body between a list (about two fifths) and a
// detail pane, leaving a column for the divider.
func SplitWidths(width int) (int, int) {
	lw := Clamp(width*2/5, 30, 60)
	return lw, width - lw - 1
}

// StackHeights divides a narrow body's height (minus the two title lines)
// between a list and a detail pane. The list stays short: the detail is what
// the user reads.
func StackHeights(height int) (int, int) {
	avail := height - 2
	lh := Clamp(avail/3, 3, 8)
	return lh, max(avail-lh, 1)
}

// TrimRightLines removes trailing spaces so golden files and terminal
// selections carry no padding the user did not see.
func TrimRightLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, ln := range lines {
		lines[i] = strings.TrimRight(ln, " ")
	}
	return strings.Join(lines, "\n")
}

// Clamp bounds v to [lo, hi].
func Clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}
