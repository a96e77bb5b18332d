package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// detailPane shows one entry in a scrolling viewport and copies its
// numbered commands. Troubleshoot, Browse and Identifiers all use it.
type detailPane struct {
	c        *Common
	vp       viewport.Model
	doc      entryDoc
	copies   []copyable
	selected int
	anchor   int // line of the command output section, -1 without one
}

func newDetailPane(c *Common) detailPane {
	return detailPane{c: c, vp: viewport.New(0, 0)}
}

func (d *detailPane) SetSize(w, h int) {
	d.vp.Width, d.vp.Height = max(w, 1), max(h, 1)
	d.render()
}

// Show replaces the entry, back at the top with the first command selected.
func (d *detailPane) Show(doc entryDoc) {
	d.doc = doc
	d.selected = 0
	d.vp.GotoTop()
	d.render()
}

// render lays the document out again at the current width, keeping the
// scroll position.
func (d *detailPane) render() {
	if d.doc == nil || d.vp.Width <= 1 {
		d.copies = nil
		d.vp.SetContent("")
		return
	}
	w := newDocWriter(d.c, d.vp.Width, d.selected)
	d.doc(w)
	d.copies = w.copies
	d.anchor = w.anchor
	off := d.vp.YOffset
	d.vp.SetContent(w.String())
	d.vp.SetYOffset(off)
}

func (d *detailPane) View() string { return d.vp.View() }

// HasCopies reports whether the entry has anything to copy.
func (d *detailPane) HasCopies() bool { return len(d.copies) > 0 }

// Scrollable reports whether the content is longer than the pane.
func (d *detailPane) Scrollable() bool { return d.vp.TotalLineCount() > d.vp.Height }

// ScrollInfo is a short position note for the pane title ("40%").
func (d *detailPane) ScrollInfo() string {
	if !d.Scrollable() {
		return ""
	}
	return fmt.Sprintf("%d%%", int(d.vp.ScrollPercent()*100))
}

// handleScroll moves the viewport for the navigation keys; it reports
// whether msg was one of them.
func (d *detailPane) handleScroll(msg tea.KeyMsg) bool {
	k := d.c.Keys
	switch {
	case key.Matches(msg, k.Up):
		d.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		d.vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		d.vp.PageUp()
	case key.Matches(msg, k.PageDown):
		d.vp.PageDown()
	case key.Matches(msg, k.Top):
		d.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		d.vp.GotoBottom()
	default:
		return false
	}
	return true
}

// handleCopy copies the selected command (c/y) or the n-th (1-9). It
// reports whether msg was a copy key; the command reports the outcome.
func (d *detailPane) handleCopy(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := d.c.Keys
	switch {
	case key.Matches(msg, k.Copy):
		if !d.HasCopies() {
			return statusCmd("nothing to copy in this entry", true), true
		}
		return copyCmd(d.c.Clipboard, d.copies[d.selected].Text), true
	case key.Matches(msg, k.CopyNth):
		n := int(msg.Runes[0] - '0')
		if n > len(d.copies) {
			return statusCmd(fmt.Sprintf("no command %d here: this entry has %d", n, len(d.copies)), true), true
		}
		d.selected = n - 1
		d.render()
		d.revealCopy(d.selected)
		return copyCmd(d.c.Clipboard, d.copies[d.selected].Text), true
	}
	return nil, false
}

// revealCopy scrolls so the header of copyable i is on screen.
func (d *detailPane) revealCopy(i int) {
	line := d.copies[i].line
	if line < d.vp.YOffset || line >= d.vp.YOffset+d.vp.Height-1 {
		d.vp.SetYOffset(line)
	}
}

// enableKeys switches on the keys this pane answers to when focused.
func (d *detailPane) enableKeys() {
	k := d.c.Keys
	if d.Scrollable() {
		enable(&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom)
	}
	d.enableCopyKeys()
}

func (d *detailPane) enableCopyKeys() {
	if d.HasCopies() {
		enable(&d.c.Keys.Copy, &d.c.Keys.CopyNth)
	}
}

func statusCmd(text string, isError bool) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, isError: isError} }
}
