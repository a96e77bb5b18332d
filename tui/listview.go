package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/tui/components"
)

// listItem is one row of a listView: an optional badge (the entry's kind)
// and the text.
type listItem struct {
	Badge      string
	BadgeStyle lipgloss.Style
	Text       string
}

// listView is a scrolling single-selection list. The selected row carries
// the ">" glyph and bold or reverse, so it shows without colour.
type listView struct {
	items  []listItem
	cursor int
	offset int
	width  int
	height int
	badgeW int // width of the badge column, the widest badge
}

func (l *listView) SetItems(items []listItem) {
	l.items = items
	l.badgeW = 0
	for _, it := range items {
		l.badgeW = max(l.badgeW, ansi.StringWidth(it.Badge))
	}
	l.cursor = components.Clamp(l.cursor, 0, len(items)-1)
	l.scrollToCursor()
}

func (l *listView) SetSize(w, h int) {
	l.width, l.height = w, max(h, 1)
	l.scrollToCursor()
}

func (l *listView) Len() int       { return len(l.items) }
func (l *listView) Cursor() int    { return l.cursor }
func (l *listView) Move(delta int) { l.Select(l.cursor + delta) }

// Select puts the cursor on row i, clamped to the list.
func (l *listView) Select(i int) {
	l.cursor = components.Clamp(i, 0, len(l.items)-1)
	l.scrollToCursor()
}

func (l *listView) scrollToCursor() {
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.height > 0 && l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = components.Clamp(l.offset, 0, max(len(l.items)-l.height, 0))
}

// View renders exactly height lines of at most width cells.
func (l *listView) View(s *Styles, focused bool) string {
	lines := make([]string, 0, l.height)
	for i := l.offset; i < len(l.items) && len(lines) < l.height; i++ {
		lines = append(lines, l.row(s, i, focused))
	}
	for len(lines) < l.height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func (l *listView) row(s *Styles, i int, focused bool) string {
	it := l.items[i]
	marker := glyphBlank
	if i == l.cursor {
		marker = glyphCursor
	}
	badge := ""
	if l.badgeW > 0 {
		badge = it.Badge + strings.Repeat(" ", l.badgeW-ansi.StringWidth(it.Badge)) + " "
	}
	textW := max(l.width-2-ansi.StringWidth(badge), 1)
	text := ansi.Truncate(it.Text, textW, ellipsis)
	if i != l.cursor {
		return marker + " " + it.BadgeStyle.Render(badge) + text
	}
	// The selected row is styled as one piece: nesting the badge colour
	// inside reverse video would reset the reverse halfway.
	row := marker + " " + badge + text
	if focused {
		return s.Selected.Render(row)
	}
	return s.SelectedBlur.Render(row)
}
