package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

func (b *browse) View() string {
	s := b.c.Styles
	topoH := max(b.topos.Len(), 1)
	topoBlock := func(w int) string {
		body := b.topos.View(s, b.focus == paneTopologies)
		if b.topos.Len() == 0 {
			body = s.Faint.Render("no topology loaded")
		}
		return paneTitle(s, "Topologies", "", w, b.focus == paneTopologies) + "\n" + body
	}
	stepsTitle := "Steps"
	if t := b.topology(); t != nil {
		stepsTitle = fmt.Sprintf("Steps of %s (%d)", t.ID, len(t.Steps))
	}
	stepsBlock := func(w int) string {
		return paneTitle(s, stepsTitle, "", w, b.focus == paneSteps) + "\n" + b.steps.View(s, b.focus == paneSteps)
	}
	detailTitle := "Topology"
	if b.focus != paneTopologies {
		detailTitle = "Step"
	}
	detailBlock := func(w int) string {
		return paneTitle(s, detailTitle, b.detail.ScrollInfo(), w, b.focus == paneStep) + "\n" + b.detail.View()
	}
	if b.wide() {
		lw, rw := splitWidths(b.width)
		left := fitBlock(topoBlock(lw), lw, topoH+1) + "\n" + stepsBlock(lw)
		return sideBySide(s, left, detailBlock(rw), lw, rw, b.height)
	}
	lh, dh := stackHeights(b.height - topoH - 1)
	return strings.Join([]string{
		fitBlock(topoBlock(b.width), b.width, topoH+1),
		fitBlock(stepsBlock(b.width), b.width, lh+1),
		fitBlock(detailBlock(b.width), b.width, dh+1),
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
