package tui

import (
	"fmt"
	"strings"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui/components"
)

// Layout: from wideBreak columns the list, the evidence and the fix sit side
// by side; below it the list is on top and evidence and fix share the
// bottom, side by side.

// headLines are the lines above the panes: the target and the counts, the
// insecure banner, what was not run.
func (ch *checks) headLines() []string {
	s := ch.c.Styles
	lines := []string{components.FitLine(" "+s.Label.Render("Checking")+" "+ch.label(), ch.width), components.FitLine(" "+ch.summaryLine(), ch.width)}
	if ch.insecure() {
		lines = append(lines, components.FitLine(s.StatusError.Reverse(true).Render(" ! "+engine.InsecureBanner+" "), ch.width))
	}
	if nr := ch.notRunLine(); nr != "" {
		lines = append(lines, components.FitLine(" "+s.Faint.Render(nr), ch.width))
	}
	return lines
}

func (ch *checks) label() string {
	if ch.src.Label != "" {
		return ch.src.Label
	}
	if ch.plan != nil && ch.plan.Profile != nil {
		return ch.plan.Profile.Label()
	}
	if ch.c.Profile != nil {
		return ch.c.Profile.Label()
	}
	return ch.c.EnvLabel
}

func (ch *checks) wide() bool { return ch.width >= wideBreak }

// widths returns the list, evidence and fix widths of the wide layout.
func (ch *checks) widths() (int, int, int) {
	lw := components.Clamp(ch.width/3, 30, 50)
	rest := ch.width - lw - 2 // two dividers
	// The fix gets more room: commands are long.
	ew := rest * 2 / 5
	return lw, ew, rest - ew
}

// paneHeights returns the list and the detail heights (without titles).
func (ch *checks) paneHeights() (int, int) {
	body := ch.height - len(ch.headLines())
	if ch.wide() {
		h := max(body-1, 1)
		return h, h
	}
	lh, dh := components.StackHeights(body)
	return lh, dh
}

func (ch *checks) listHeight() int { lh, _ := ch.paneHeights(); return lh }

func (ch *checks) SetSize(w, h int) {
	ch.width, ch.height = w, h
	_, dh := ch.paneHeights()
	if ch.wide() {
		_, ew, fw := ch.widths()
		ch.evidence.SetSize(ew, dh)
		ch.fix.SetSize(fw, dh)
	} else {
		ew := (w - 1) / 2
		ch.evidence.SetSize(ew, dh)
		ch.fix.SetSize(w-1-ew, dh)
	}
	ch.scrollList()
}

// showSelected puts the selected check's evidence and fix in their panes.
func (ch *checks) showSelected() {
	r := ch.selected()
	if r == nil {
		ch.evidence.Show(ch.emptyDoc())
		ch.fix.Show(nil)
		return
	}
	row := *r
	vars := ch.c.Vars
	if ch.plan != nil {
		vars = ch.plan.Vars // what the fix commands were rendered with
	}
	ch.evidence.Show(func(w *docWriter) { evidenceDoc(w, row) })
	ch.fix.Show(ch.out.wrap(ch.entryKey(), func(w *docWriter) { fixDoc(w, row, vars) }))
}

func (ch *checks) emptyDoc() entryDoc {
	running := ch.running
	return func(w *docWriter) {
		if running {
			w.faint("Planning the checks…")
			return
		}
		w.faint("No checks yet. R runs every check.")
	}
}

func evidenceDoc(w *docWriter, r checkRow) {
	w.title(r.check.Spec.Title)
	w.faint(r.check.Spec.ID + " · " + r.check.Spec.Group)
	if r.running || r.res == nil {
		w.field("Target", r.check.Target)
		w.blank()
		if r.running {
			w.faint("Running…")
		} else {
			w.faint("Not run yet.")
		}
		w.section("What it looks at")
		w.para(r.check.Spec.What)
		return
	}
	res := r.res
	w.field("Status", engine.Glyph(res.Status, false)+" "+string(res.Status))
	w.field("Summary", res.Summary)
	w.field("Target", res.Target)
	if res.Duration > 0 {
		w.field("Duration", roundDur(res.Duration))
	}
	if res.Insecure {
		w.add(w.c.Styles.StatusError, 0, "! TLS verification was off for this check")
	}
	if len(res.Servers) > 0 {
		w.faint(fmt.Sprintf("g: %d servers side by side", len(res.Servers)))
	}
	if len(res.Evidence) > 0 {
		w.section("Evidence")
		for _, e := range res.Evidence {
			w.field(e.Label, e.Value)
		}
	}
}

// fixDoc: the fix text, the numbered commands (c / 1-9 copy them) and the
// pitfalls that explain the finding (enter opens them).
func fixDoc(w *docWriter, r checkRow, vars knowledge.Vars) {
	res := r.res
	switch {
	case r.running || res == nil:
		w.faint("The fix shows once the check has a finding.")
		return
	case res.Fix.Empty() && !res.Status.Problem():
		w.faint(fmt.Sprintf("Nothing to fix: the check %s.", statusVerb(res.Status)))
	case res.Fix.Empty() && len(res.Pitfalls) > 0:
		w.faint("No fix is stored for this finding; the pitfalls below explain it.")
	case res.Fix.Empty():
		w.faint("No fix is stored for this finding; the evidence says what was seen.")
	}
	w.para(res.Fix.Text)
	first := len(w.copies)
	w.commands("Commands", res.Fix.Commands, "")
	linkFixTemplates(w, first, r, vars)
	if len(res.Pitfalls) > 0 {
		w.section("Pitfalls (enter opens them)")
		w.bullets(pitfallTitles(w.c.Base, res.Pitfalls))
	}
}

func statusVerb(st engine.Status) string {
	switch st {
	case engine.StatusPass:
		return "passed"
	case engine.StatusSkipped:
		return "was skipped"
	}
	return "reported " + string(st)
}

func (ch *checks) View() string {
	s := ch.c.Styles
	head := strings.Join(ch.headLines(), "\n")
	if ch.grid != nil {
		return head + "\n" + ch.grid.View(ch.width, ch.height-len(ch.headLines()))
	}
	lh, dh := ch.paneHeights()
	listBlock := func(w int) string {
		lines, _ := ch.listLines(w, ch.focus == paneChecks)
		end := min(ch.offset+lh, len(lines))
		title := fmt.Sprintf("Checks (%d)", len(ch.rows))
		return components.PaneTitle(s, title, "", w, ch.focus == paneChecks) + "\n" + strings.Join(lines[min(ch.offset, end):end], "\n")
	}
	evBlock := func(w int) string {
		return components.PaneTitle(s, "Evidence", ch.evidence.ScrollInfo(), w, ch.focus == paneEvidence) + "\n" + ch.evidence.View()
	}
	fixBlock := func(w int) string {
		return components.PaneTitle(s, "Fix", ch.fix.ScrollInfo(), w, ch.focus == paneFix) + "\n" + ch.fix.View()
	}
	if ch.wide() {
		lw, ew, fw := ch.widths()
		left := components.SideBySide(s, listBlock(lw), evBlock(ew), lw, ew, lh+1)
		return head + "\n" + components.SideBySide(s, left, fixBlock(fw), lw+1+ew, fw, lh+1)
	}
	ew := (ch.width - 1) / 2
	fw := ch.width - 1 - ew
	return head + "\n" + components.FitBlock(listBlock(ch.width), ch.width, lh+1) + "\n" +
		components.SideBySide(s, evBlock(ew), fixBlock(fw), ew, fw, dh+1)
}
