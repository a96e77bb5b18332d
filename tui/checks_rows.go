package tui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/tui/components"
)

// groupOrder is the order groups are listed in: what fails first (a name
// that does not resolve) comes first, as the engine's dependencies do.
var groupOrder = []string{"dns", "tls", "metadata", "bearer", "powershell", "config"}

func groupRank(g string) int {
	for i, o := range groupOrder {
		if o == g {
			return i
		}
	}
	return len(groupOrder)
}

// setRows lists the checks of a new full run, grouped, all running. The
// cursor stays on the check it was on when that check is still planned.
func (ch *checks) setRows(planned []engine.Check) {
	keep := ch.selectedID()
	rows := make([]checkRow, 0, len(planned))
	for _, c := range planned {
		rows = append(rows, checkRow{check: c, running: true})
	}
	sort.SliceStable(rows, func(i, j int) bool {
		gi, gj := rows[i].check.Spec.Group, rows[j].check.Spec.Group
		if groupRank(gi) != groupRank(gj) {
			return groupRank(gi) < groupRank(gj)
		}
		return gi < gj
	})
	ch.rows, ch.cursor = rows, 0
	for i, r := range rows {
		if r.check.Spec.ID == keep {
			ch.cursor = i
		}
	}
	ch.scrollList()
	ch.showSelected()
}

// markRunning sets the rows of a single re-run spinning again.
func (ch *checks) markRunning(planned []engine.Check) {
	ids := map[string]bool{}
	for _, c := range planned {
		ids[c.Spec.ID] = true
	}
	for i := range ch.rows {
		if ids[ch.rows[i].check.Spec.ID] {
			ch.rows[i].running = true
		}
	}
}

func (ch *checks) selected() *checkRow {
	if ch.cursor < 0 || ch.cursor >= len(ch.rows) {
		return nil
	}
	return &ch.rows[ch.cursor]
}

func (ch *checks) selectedID() string {
	if r := ch.selected(); r != nil {
		return r.check.Spec.ID
	}
	return ""
}

func (ch *checks) moveCursor(delta int) {
	ch.moved = true
	before := ch.cursor
	ch.cursor = components.Clamp(ch.cursor+delta, 0, len(ch.rows)-1)
	ch.scrollList()
	if ch.cursor != before {
		ch.showSelected()
	}
}

// listLines renders the grouped list: a heading per group, then its
// checks. It returns the line index of the selected row too.
func (ch *checks) listLines(width int, focused bool) ([]string, int) {
	s := ch.c.Styles
	var lines []string
	sel, group := 0, ""
	for i, r := range ch.rows {
		if g := r.check.Spec.Group; g != group || i == 0 {
			group = g
			lines = append(lines, s.Section.Render(ansi.Truncate(strings.ToUpper(g), width, ellipsis)))
		}
		if i == ch.cursor {
			sel = len(lines)
		}
		lines = append(lines, ch.rowLine(r, i == ch.cursor, focused, width))
	}
	return lines, sel
}

// rowLine is "> ✓ title — summary": the glyph says the status without
// colour; the colour repeats it.
func (ch *checks) rowLine(r checkRow, selected, focused bool, width int) string {
	s := ch.c.Styles
	marker := glyphBlank
	if selected {
		marker = glyphCursor
	}
	glyph, style := ch.glyph(r)
	text := r.check.Spec.Title
	switch {
	case r.running:
	case r.res != nil && r.res.Summary != "":
		text += " — " + r.res.Summary
	case r.res == nil:
		text += " — not run"
	}
	text = ansi.Truncate(strings.Join(strings.Fields(text), " "), max(width-4, 1), ellipsis)
	if !selected {
		return marker + " " + style.Render(glyph) + " " + text
	}
	row := marker + " " + glyph + " " + text
	if focused {
		return s.Selected.Render(row)
	}
	return s.SelectedBlur.Render(row)
}

// glyph is the row's status mark: the spinner while it runs.
func (ch *checks) glyph(r checkRow) (string, lipgloss.Style) {
	s := ch.c.Styles
	if r.running {
		return ansi.Truncate(ansi.Strip(ch.spin.View()), 1, ""), s.Faint
	}
	if r.res == nil {
		return "·", s.Faint
	}
	return engine.Glyph(r.res.Status, false), statusStyle(s, r.res.Status)
}

func statusStyle(s *Styles, st engine.Status) lipgloss.Style {
	switch st {
	case engine.StatusPass:
		return s.StatusOK
	case engine.StatusWarn:
		return s.Notice
	case engine.StatusFail:
		return s.StatusError
	case engine.StatusError:
		return s.Disruptive
	}
	return s.Faint
}

// scrollList keeps the selected row (and, when room allows, its group
// heading) inside the list pane.
func (ch *checks) scrollList() {
	h := ch.listHeight()
	lines, sel := ch.listLines(80, false)
	if sel-1 < ch.offset {
		ch.offset = max(sel-1, 0)
	}
	if sel >= ch.offset+h {
		ch.offset = sel - h + 1
	}
	ch.offset = components.Clamp(ch.offset, 0, max(len(lines)-h, 0))
}

// summaryLine counts the results so far: "3 ✓ pass · 1 ! warn · …".
func (ch *checks) summaryLine() string {
	var sum engine.Summary
	done := 0
	for _, r := range ch.rows {
		if r.res != nil && !r.running {
			sum.Add(r.res.Status)
			done++
		}
	}
	parts := []string{}
	for _, st := range engine.Statuses() {
		n := map[engine.Status]int{engine.StatusPass: sum.Pass, engine.StatusWarn: sum.Warn,
			engine.StatusFail: sum.Fail, engine.StatusError: sum.Error, engine.StatusSkipped: sum.Skipped}[st]
		parts = append(parts, statusStyle(ch.c.Styles, st).Render(fmt.Sprintf("%d %s %s", n, engine.Glyph(st, false), st)))
	}
	counts := strings.Join(parts, " · ")
	switch {
	case ch.running && ch.cancelling:
		return counts + " · cancelling…"
	case ch.running:
		return fmt.Sprintf("%s · %s running %d of %d", counts, ch.spin.View(), len(ch.rows)-done, len(ch.rows))
	case ch.planErr != nil:
		return ch.c.Styles.StatusError.Render("! could not plan the checks: " + ch.planErr.Error())
	case !ch.ranOnce:
		return "not run yet — R runs every check"
	}
	return counts + ch.c.Styles.Faint.Render(" · took "+roundDur(ch.elapsed))
}

// insecure reports whether any result was got with TLS verification off.
func (ch *checks) insecure() bool {
	if ch.plan != nil && ch.plan.Net.Insecure {
		return true
	}
	for _, r := range ch.rows {
		if r.res != nil && r.res.Insecure {
			return true
		}
	}
	return false
}

// notRunLine says which checks the plan left out, so a green list is never
// mistaken for a complete one.
func (ch *checks) notRunLine() string {
	if ch.plan == nil {
		return ""
	}
	var parts []string
	if n := len(ch.plan.NeedCredentials); n > 0 {
		parts = append(parts, fmt.Sprintf("%d need PowerShell credentials (%s)", n, strings.Join(ch.plan.NeedCredentials, ", ")))
	}
	if n := len(ch.plan.NotImplemented); n > 0 {
		parts = append(parts, fmt.Sprintf("%d not implemented yet (%s)", n, strings.Join(ch.plan.NotImplemented, ", ")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Not run: " + strings.Join(parts, "; ")
}

// roundDur shows a duration the way a person reads it: 340ms, 1.2s.
func roundDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
