package report

import (
	"strings"
	"unicode/utf8"

	"github.com/ucpilot/ucpilot/engine"
)

// The grid of a fleet check: servers × settings, each cell with its
// status glyph, and a mark on a value that differs from what most servers
// show (so the grid reads without colour).

// oddMark marks a value that differs from the majority.
func oddMark(ascii bool) string {
	if ascii {
		return "*"
	}
	return "◆"
}

// gridCells renders a grid as text cells: a header row and one row per
// server, the server as its short name.
func gridCells(g engine.Grid, ascii bool) [][]string {
	head := append([]string{"server"}, g.Columns...)
	out := [][]string{head}
	for _, r := range g.Rows {
		short, _, _ := strings.Cut(r.Server, ".")
		row := []string{engine.Glyph(r.Status, ascii) + " " + short}
		for _, c := range r.Cells {
			if c.Value == "" {
				row = append(row, "")
				continue
			}
			cell := engine.Glyph(c.Status, ascii) + " " + c.Value
			if c.Odd {
				cell += " " + oddMark(ascii)
			}
			row = append(row, cell)
		}
		out = append(out, row)
	}
	return out
}

// textGrid writes the grid of a fleet check under its result line.
func (t *textWriter) grid(c engine.Result, pad string) {
	g := engine.NewGrid(c)
	if len(g.Rows) == 0 {
		return
	}
	cells := gridCells(g, t.o.ASCII)
	widths := make([]int, len(cells[0]))
	for _, row := range cells {
		for i, v := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(v))
		}
	}
	times := "×"
	if t.o.ASCII {
		times = "x"
	}
	t.printf("%sservers %s settings (%s differs from most servers):\n", pad, times, oddMark(t.o.ASCII))
	for _, row := range cells {
		var b strings.Builder
		for i, v := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(v)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(v)))
			}
		}
		t.printf("%s%s\n", pad, strings.TrimRight(b.String(), " "))
	}
}

// markdownGrid writes the grid of a fleet check as a table.
func (m *textWriter) markdownGrid(c engine.Result) {
	g := engine.NewGrid(c)
	if len(g.Rows) == 0 {
		return
	}
	m.printf("\n## Servers × settings: `%s`\n\n%s marks a value that differs from most servers.\n\n", c.ID, oddMark(false))
	cells := gridCells(g, false)
	for i, row := range cells {
		for j := range row {
			row[j] = mdCell(row[j])
		}
		m.printf("| %s |\n", strings.Join(row, " | "))
		if i == 0 {
			m.printf("|%s\n", strings.Repeat(" --- |", len(row)))
		}
	}
}
