// Package fleet is the servers × settings view of a fleet check: one row
// per server, one column per setting, the value that differs from most
// servers marked (◆, and reversed when there is colour), a status glyph in
// every cell so it reads without colour, / to filter rows and enter for
// the selected server's evidence. The Checks screen opens it over a fleet
// result with g.
package fleet

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/tui/styles"
)

// Model is the grid of one fleet check.
type Model struct {
	st    *styles.Styles
	res   engine.Result
	grid  engine.Grid
	rows  []int // indexes into grid.Rows that pass the filter
	cur   int   // index into rows
	top   int   // first visible row
	col   int   // first visible setting column (the server column stays)
	query string
	// filtering: keys go to the filter field; showing: the evidence of
	// the selected server is open.
	filtering, showing bool
	scroll             int // evidence scroll
}

// New lays out a fleet check's per-server results.
func New(st *styles.Styles, res engine.Result) *Model {
	m := &Model{st: st, res: res, grid: engine.NewGrid(res)}
	m.applyFilter()
	return m
}

// Capturing reports whether keys are text for the filter field (the
// caller then does not treat q or ? as commands).
func (m *Model) Capturing() bool { return m.filtering }

// Update handles a key and reports whether the view is done (esc with
// nothing left to close).
func (m *Model) Update(msg tea.KeyMsg) (done bool) {
	k := msg.String()
	if m.filtering {
		switch msg.Type {
		case tea.KeyEnter:
			m.filtering = false
		case tea.KeyEsc:
			m.filtering, m.query = false, ""
			m.applyFilter()
		case tea.KeyBackspace:
			if r := []rune(m.query); len(r) > 0 {
				m.query = string(r[:len(r)-1])
				m.applyFilter()
			}
		case tea.KeyRunes, tea.KeySpace:
			if len(m.query) < 64 {
				m.query += string(msg.Runes)
				m.applyFilter()
			}
		}
		return false
	}
	if m.showing {
		switch k {
		case "esc", "enter", "q":
			m.showing, m.scroll = false, 0
		case "up", "k":
			m.scroll = max(m.scroll-1, 0)
		case "down", "j":
			m.scroll++
		}
		return false
	}
	switch k {
	case "esc", "q":
		if m.query != "" {
			m.query = ""
			m.applyFilter()
			return false
		}
		return true
	case "/":
		m.filtering = true
	case "enter":
		m.showing = len(m.rows) > 0
	case "up", "k":
		m.cur = max(m.cur-1, 0)
	case "down", "j":
		m.cur = min(m.cur+1, max(len(m.rows)-1, 0))
	case "pgup":
		m.cur = max(m.cur-10, 0)
	case "pgdown":
		m.cur = min(m.cur+10, max(len(m.rows)-1, 0))
	case "home", "g":
		m.cur = 0
	case "end", "G":
		m.cur = max(len(m.rows)-1, 0)
	case "left", "h":
		m.col = max(m.col-1, 0)
	case "right", "l":
		m.col = min(m.col+1, max(len(m.grid.Columns)-1, 0))
	}
	return false
}

// applyFilter keeps the rows whose server, status or any value contains
// the query (case-insensitive).
func (m *Model) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(m.query))
	m.rows = m.rows[:0]
	for i, r := range m.grid.Rows {
		if q == "" || strings.Contains(strings.ToLower(rowText(r)), q) {
			m.rows = append(m.rows, i)
		}
	}
	m.cur = min(m.cur, max(len(m.rows)-1, 0))
	m.top = 0
}

func rowText(r engine.GridRow) string {
	parts := []string{r.Server, string(r.Status)}
	for _, c := range r.Cells {
		parts = append(parts, c.Value)
	}
	return strings.Join(parts, " ")
}

// View draws the grid (or the selected server's evidence) in w × h cells.
func (m *Model) View(w, h int) string {
	if m.showing && len(m.rows) > 0 {
		return m.evidence(w, h)
	}
	lines := []string{fit(m.st.Heading.Render(fmt.Sprintf("%s %s", engine.Glyph(m.res.Status, false), m.res.ID))+"  "+m.res.Summary, w)}
	switch {
	case m.filtering:
		lines = append(lines, fit(m.st.Label.Render("filter: ")+m.query+"_", w))
	case m.query != "":
		lines = append(lines, fit(m.st.Faint.Render(fmt.Sprintf("filter %q: %d of %d servers  (/ change, esc clear)", m.query, len(m.rows), len(m.grid.Rows))), w))
	default:
		lines = append(lines, fit(m.st.Faint.Render("◆ differs from most servers   / filter  enter evidence  ←/→ columns  esc back"), w))
	}
	widths := m.widths()
	cols := m.visibleColumns(w, widths)
	header := pad("  server", widths[0]+2)
	for _, c := range cols {
		header += "  " + pad(m.grid.Columns[c], widths[c+1])
	}
	if more := len(m.grid.Columns) - 1 - lastOf(cols); more > 0 {
		header += fmt.Sprintf("  → %d more", more)
	}
	if m.col > 0 {
		header += fmt.Sprintf("  (← %d)", m.col)
	}
	lines = append(lines, fit(m.st.Label.Render(header), w))
	body := max(h-len(lines), 1)
	if m.cur < m.top {
		m.top = m.cur
	}
	if m.cur >= m.top+body {
		m.top = m.cur - body + 1
	}
	if len(m.rows) == 0 {
		lines = append(lines, fit(m.st.Notice.Render("  no server matches the filter"), w))
	}
	for i := m.top; i < len(m.rows) && i < m.top+body; i++ {
		r := m.grid.Rows[m.rows[i]]
		cursor := styles.GlyphBlank
		if i == m.cur {
			cursor = styles.GlyphCursor
		}
		short, _, _ := strings.Cut(r.Server, ".")
		line := cursor + " " + pad(engine.Glyph(r.Status, false)+" "+short, widths[0])
		for _, c := range cols {
			cell := r.Cells[c]
			text := ""
			if cell.Value != "" {
				text = engine.Glyph(cell.Status, false) + " " + cell.Value
				if cell.Odd {
					text += " ◆"
				}
			}
			padded := pad(text, widths[c+1])
			if cell.Odd {
				padded = m.st.StatusError.Reverse(true).Render(padded)
			}
			line += "  " + padded
		}
		if i == m.cur {
			line = m.st.Selected.Render(ansi.Strip(line))
		}
		lines = append(lines, fit(line, w))
	}
	return strings.Join(lines, "\n")
}

// widths returns the server column's width, then each setting's.
func (m *Model) widths() []int {
	ws := make([]int, len(m.grid.Columns)+1)
	ws[0] = len("server") + 2
	for i, c := range m.grid.Columns {
		ws[i+1] = ansi.StringWidth(c)
	}
	for _, r := range m.grid.Rows {
		short, _, _ := strings.Cut(r.Server, ".")
		ws[0] = max(ws[0], ansi.StringWidth(short)+2)
		for i, c := range r.Cells {
			n := ansi.StringWidth(c.Value)
			if n > 0 {
				n += 2
			}
			if c.Odd {
				n += 2
			}
			ws[i+1] = max(ws[i+1], min(n, 24))
		}
	}
	return ws
}

// visibleColumns are the setting columns from m.col that fit in w.
func (m *Model) visibleColumns(w int, widths []int) []int {
	used := widths[0] + 2
	var cols []int
	for c := m.col; c < len(m.grid.Columns); c++ {
		if used+2+widths[c+1] > w-12 && len(cols) > 0 { // room for "→ N more"
			break
		}
		used += 2 + widths[c+1]
		cols = append(cols, c)
	}
	return cols
}

func lastOf(cols []int) int {
	if len(cols) == 0 {
		return -1
	}
	return cols[len(cols)-1]
}

// evidence is the selected server's result: summary, settings, pitfalls
// and evidence lines.
func (m *Model) evidence(w, h int) string {
	r := m.grid.Rows[m.rows[m.cur]]
	res := r.Result
	var lines []string
	lines = append(lines, m.st.Heading.Render(fmt.Sprintf("%s %s", engine.Glyph(res.Status, false), r.Server))+"  "+m.st.Faint.Render("(esc back to the grid)"))
	lines = append(lines, wrap(res.Summary, w)...)
	lines = append(lines, "", m.st.Section.Render("Settings"))
	for i, c := range r.Cells {
		if c.Value == "" {
			continue
		}
		mark := ""
		if c.Odd {
			mark = "  ◆ differs from most servers"
		}
		lines = append(lines, fmt.Sprintf("  %s %s: %s%s", engine.Glyph(c.Status, false), m.grid.Columns[i], c.Value, mark))
	}
	if len(res.Pitfalls) > 0 {
		lines = append(lines, "", m.st.Section.Render("Pitfalls")+" "+strings.Join(res.Pitfalls, ", "))
	}
	if len(res.Evidence) > 0 {
		lines = append(lines, "", m.st.Section.Render("Evidence"))
		for _, e := range res.Evidence {
			lines = append(lines, wrap("  "+e.Label+": "+e.Value, w)...)
		}
	}
	m.scroll = min(m.scroll, max(len(lines)-h, 0))
	lines = lines[m.scroll:]
	if len(lines) > h {
		lines = lines[:h]
	}
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return strings.Join(lines, "\n")
}

func pad(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return ansi.Truncate(s, w, "…")
}

func fit(s string, w int) string { return ansi.Truncate(s, w, "…") }

func wrap(s string, w int) []string {
	return strings.Split(ansi.Wrap(s, max(w, 10), ""), "\n")
}
