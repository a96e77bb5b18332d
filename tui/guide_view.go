package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/engine/verify"
	"github.com/ucpilot/ucpilot/tui/components"
)

func (g *guide) SetSize(w, h int) {
	g.width, g.height = w, h
	g.layout()
}

func (g *guide) wide() bool { return g.width >= wideBreak }

// layout sizes the lists and the step pane around the notice and the
// prompt, whose heights vary.
func (g *guide) layout() {
	w, h := g.width, g.height
	if w == 0 {
		return
	}
	used := len(g.promptLines()) + g.noticeHeight()
	g.topos.SetSize(w-1, max(min(g.topos.Len(), h-used-4), 1))
	g.steps.SetSize(w-1, max(h-used-2, 1))
	if g.wide() {
		lw, rw := components.SplitWidths(w)
		if g.mode != guideOverview {
			g.steps.SetSize(lw, max(h-used-1, 1))
		}
		g.detail.SetSize(rw, max(h-used-1, 1))
		return
	}
	g.detail.SetSize(w, max(h-used-2, 1))
}

func (g *guide) noticeHeight() int {
	if g.notice == "" {
		return 0
	}
	return 1
}

// refreshSteps rebuilds the overview rows: glyph and number in the badge,
// so done / current / to do reads without colour.
func (g *guide) refreshSteps() {
	if g.topo == nil {
		g.steps.SetItems(nil)
		return
	}
	tp := g.topoProgress()
	items := make([]listItem, 0, len(g.topo.Steps))
	for i, st := range g.topo.Steps {
		_, done := tp.IsDone(st.ID)
		text := st.Title
		if st.Optional {
			text += " (optional)"
		}
		items = append(items, listItem{Badge: fmt.Sprintf("%s %2d", stepGlyph(done, g.stale[st.ID], i == g.idx), i+1), Text: text})
	}
	cur := g.steps.Cursor()
	if g.mode != guideOverview {
		cur = g.idx // beside the step, the list shows where the walk is
	}
	g.steps.SetItems(items)
	g.steps.Select(cur)
}

// showStep renders the current step; top starts it at its first line and
// first command, otherwise scroll and selection stay.
func (g *guide) showStep(top bool) {
	if g.step() == nil {
		return
	}
	doc := g.stepDocument()
	if top {
		g.detail.Show(doc)
		return
	}
	g.detail.doc = doc
	g.detail.render()
	if g.detail.selected >= len(g.detail.copies) {
		g.detail.selected = 0
		g.detail.render()
	}
}

// scrollTo brings a section of the step document into view.
func (g *guide) scrollTo(name string) {
	if line, ok := g.anchor[name]; ok {
		g.detail.vp.SetYOffset(line)
	}
}

func (g *guide) View() string {
	s := g.c.Styles
	var top []string
	if g.notice != "" {
		top = append(top, s.StatusError.Render(" ! "+g.notice))
	}
	var body string
	switch g.mode {
	case guidePick:
		body = g.pickView()
	case guideOverview:
		body = g.overviewView()
	default:
		body = g.stepView()
	}
	bodyH := g.height - len(top) - len(g.promptLines())
	parts := append(top, components.FitBlock(body, g.width, max(bodyH, 1)))
	if p := g.promptLines(); len(p) > 0 {
		parts = append(parts, strings.Join(p, "\n"))
	}
	return strings.Join(parts, "\n")
}

func (g *guide) pickView() string {
	s := g.c.Styles
	lines := []string{
		components.PaneTitle(s, "Choose a topology", "", g.width, true),
		g.topos.View(s, true),
		"",
		" " + s.Faint.Render("enter starts the walk-through; it resumes where you stopped last time."),
	}
	if i := g.topos.Cursor(); i < len(g.c.Base.Topologies) {
		sum := ansi.Wrap(strings.TrimSpace(g.c.Base.Topologies[i].Summary), max(g.width-2, 10), "")
		for _, ln := range strings.Split(sum, "\n") {
			lines = append(lines, " "+ln)
		}
	}
	return strings.Join(lines, "\n")
}

func (g *guide) overviewTitle() string {
	return fmt.Sprintf("Steps of %s (%d of %d done)", g.topo.ID, verify.CountDone(g.topo, g.topoProgress()), len(g.topo.Steps))
}

func (g *guide) overviewView() string {
	s := g.c.Styles
	return components.PaneTitle(s, g.overviewTitle(), "✓ done  → current  · to do", g.width, true) + "\n" +
		g.steps.View(s, true)
}

func (g *guide) stepView() string {
	s := g.c.Styles
	st := g.step()
	if st == nil {
		return s.Faint.Render(" This topology has no steps.")
	}
	title := fmt.Sprintf("Step %d of %d", g.idx+1, len(g.topo.Steps))
	if g.wide() {
		lw, rw := components.SplitWidths(g.width)
		h := max(g.detail.vp.Height+1, 1)
		left := components.PaneTitle(s, g.overviewTitle(), "", lw, false) + "\n" + g.steps.View(s, false)
		right := components.PaneTitle(s, title, g.detail.ScrollInfo(), rw, true) + "\n" + g.detail.View()
		return components.SideBySide(s, left, right, lw, rw, h)
	}
	return strings.Join([]string{
		" " + g.strip(),
		components.PaneTitle(s, title, g.detail.ScrollInfo(), g.width, true),
		g.detail.View(),
	}, "\n")
}

// strip is the whole topology on one line: a glyph per step and a count.
func (g *guide) strip() string {
	tp := g.topoProgress()
	var b strings.Builder
	for i, st := range g.topo.Steps {
		_, done := tp.IsDone(st.ID)
		b.WriteString(stepGlyph(done, g.stale[st.ID], i == g.idx))
	}
	return fmt.Sprintf("%s  %d of %d done · ✓ done → current · to do", b.String(), verify.CountDone(g.topo, tp), len(g.topo.Steps))
}

// promptLines is the confirmation box at the bottom, nil without a prompt.
func (g *guide) promptLines() []string {
	if g.prompt == promptNone || g.width == 0 {
		return nil
	}
	s := g.c.Styles
	w := g.width
	lines := []string{components.PaneTitle(s, "Confirm", "enter answers · esc cancels", w, true)}
	add := func(text string) {
		for _, ln := range strings.Split(ansi.Wrap(text, max(w-2, 10), ""), "\n") {
			lines = append(lines, " "+ln)
		}
	}
	switch g.prompt {
	case promptRun:
		lines = append(lines, confirmLines(s, w, g.pending)...)
	case promptManual:
		add(fmt.Sprintf("Mark %q done without a check? Do it only after you checked what Verify says. Type done (or yes):", g.step().Title))
	case promptReset:
		add(fmt.Sprintf("Forget the progress of %s for this environment? Every step goes back to to-do. Type yes:", g.topo.ID))
	}
	if g.retry != "" {
		lines = append(lines, " "+s.StatusError.Render("! "+g.retry))
	}
	return append(lines, " "+g.input.View())
}

func (g *guide) EnableKeys() {
	k := g.c.Keys
	if g.prompt != promptNone {
		return
	}
	switch g.mode {
	case guidePick:
		enable(&k.Select)
		if g.topos.Len() > 1 {
			enable(&k.Up, &k.Down, &k.Top, &k.Bottom)
		}
		return
	case guideOverview:
		enable(&k.Select, &k.GuideOverview, &k.GuideTopologies, &k.GuideReset, &k.Up, &k.Down, &k.Top, &k.Bottom, &k.PageUp, &k.PageDown)
		return
	}
	if g.step() == nil {
		enable(&k.GuideTopologies)
		return
	}
	// n and p stay on at the ends: they say where the walk stands.
	enable(&k.GuideNext, &k.GuidePrev, &k.GuideVerify, &k.GuideConfirm, &k.GuideOverview, &k.GuideTopologies, &k.GuideReset)
	enable(&k.GuideRun, &k.GuideRunOff) // one of them is unbound
	g.detail.enableKeys()
}

func (g *guide) ShortHelp() []key.Binding {
	k := g.c.Keys
	switch {
	case g.prompt != promptNone:
		return nil
	case g.mode == guidePick:
		return bindings(&k.Down, &k.Select)
	case g.mode == guideOverview:
		return bindings(&k.Down, &k.Select, &k.GuideOverview)
	}
	return bindings(&k.GuideNext, &k.GuidePrev, &k.GuideRun, &k.GuideRunOff, &k.GuideVerify, &k.GuideConfirm, &k.GuideOverview, &k.Copy)
}

func (g *guide) FullHelp() [][]key.Binding {
	k := g.c.Keys
	return [][]key.Binding{g.ShortHelp(), bindings(&k.GuideTopologies, &k.GuideReset, &k.CopyNth)}
}
