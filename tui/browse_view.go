package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"github.com/ucpilot/ucpilot/tui/components"
)

func (b *browse) View() string {
	s := b.c.Styles
	topoH := max(b.topos.Len(), 1)
	topoBlock := func(w int) string {
		body := b.topos.View(s, b.focus == paneTopologies)
		if b.topos.Len() == 0 {
			body = s.Faint.Render("no topology loaded")
		}
		return components.PaneTitle(s, "Topologies", "", w, b.focus == paneTopologies) + "\n" + body
	}
	stepsTitle := "Steps"
	if t := b.topology(); t != nil {
		stepsTitle = fmt.Sprintf("Steps of %s (%d)", t.ID, len(t.Steps))
	}
	stepsBlock := func(w int) string {
		return components.PaneTitle(s, stepsTitle, "", w, b.focus == paneSteps) + "\n" + b.steps.View(s, b.focus == paneSteps)
	}
	detailTitle := "Topology"
	if b.focus != paneTopologies {
		detailTitle = "Step"
	}
	detailBlock := func(w int) string {
		return components.PaneTitle(s, detailTitle, b.detail.ScrollInfo(), w, b.focus == paneStep) + "\n" + b.detail.View()
	}
	if b.wide() {
		lw, rw := components.SplitWidths(b.width)
		left := components.FitBlock(topoBlock(lw), lw, topoH+1) + "\n" + stepsBlock(lw)
		return components.SideBySide(s, left, detailBlock(rw), lw, rw, b.height)
	}
	lh, dh := components.StackHeights(b.height - topoH - 1)
	return strings.Join([]string{
		components.FitBlock(topoBlock(b.width), b.width, topoH+1),
		components.FitBlock(stepsBlock(b.width), b.width, lh+1),
		components.FitBlock(detailBlock(b.width), b.width, dh+1),
	}, "\n")
}

func (b *browse) EnableKeys() {
	k := b.c.Keys
	enable(&k.NextPane, &k.PrevPane)
	if b.focus > paneTopologies {
		enable(&k.Left)
	}
	if b.focus < paneStep {
		enable(&k.Right, &k.Select)
		l := &b.steps
		if b.focus == paneTopologies {
			l = &b.topos
		}
		if l.Len() > 1 {
			enable(&k.Up, &k.Down, &k.Top, &k.Bottom, &k.PageUp, &k.PageDown)
		}
		b.detail.enableCopyKeys()
		b.detail.enableRunKeys()
		return
	}
	b.detail.enableKeys()
	b.detail.enableRunKeys()
}

func (b *browse) ShortHelp() []key.Binding {
	k := b.c.Keys
	if b.focus == paneStep {
		return withRunHelp(bindings(&k.Down, &k.Copy, &k.CopyNth, &k.Left), b.detail.runHelp(), k.Copy)
	}
	return withRunHelp(bindings(&k.Down, &k.Select, &k.Left, &k.Copy), b.detail.runHelp(), k.Copy)
}

func (b *browse) FullHelp() [][]key.Binding { return [][]key.Binding{b.ShortHelp()} }
