package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/tui/components"
)

// Focus inside Identifiers, top to bottom.
const (
	paneTable pane = iota
	paneIdentifier
)

// identifiers is the table of well-known values (application ids, issuers,
// URL shapes) with the selected one's detail and the typos seen in the wild.
type identifiers struct {
	c      *Common
	table  listView
	detail detailPane
	focus  pane

	width, height int
	tableH        int
	cols          [3]int // name, value, product widths
}

func newIdentifiers(c *Common) *identifiers {
	v := &identifiers{c: c, detail: newDetailPane(c)}
	v.show()
	return v
}

func (v *identifiers) Title() string     { return "Identifiers" }
func (v *identifiers) Capturing() bool   { return false }
func (v *identifiers) Activate() tea.Cmd { return nil }

func (v *identifiers) SetSize(w, h int) {
	v.width, v.height = w, h
	v.cols = v.columnWidths(w - 2)
	v.table.SetItems(v.rows())
	// The table takes what it needs up to half the body; the detail the rest.
	v.tableH = components.Clamp(len(v.c.Base.Identifiers), 3, max((h-3)/2, 3))
	v.table.SetSize(w, v.tableH)
	v.detail.SetSize(w, max(h-v.tableH-3, 1))
}

// columnWidths fits the value column to the longest value (a GUID is 36
// cells) up to half the width, the name column to the longest name up to a
// quarter, and gives the product the rest.
func (v *identifiers) columnWidths(avail int) [3]int {
	avail -= 4 // two gaps of two spaces
	longVal, longName := 5, 4
	for _, id := range v.c.Base.Identifiers {
		longVal = max(longVal, ansi.StringWidth(id.Value))
		longName = max(longName, ansi.StringWidth(id.Name))
	}
	value := min(longVal, avail/2)
	name := components.Clamp(longName, 8, max((avail-value)/2, 8))
	return [3]int{name, value, max(avail-value-name, 4)}
}

func (v *identifiers) cell(s string, w int) string {
	return components.FitLine(ansi.Truncate(s, w, ellipsis), w)
}

func (v *identifiers) row(name, value, product string) string {
	return v.cell(name, v.cols[0]) + "  " + v.cell(value, v.cols[1]) + "  " + ansi.Truncate(product, v.cols[2], ellipsis)
}

func (v *identifiers) rows() []listItem {
	items := make([]listItem, 0, len(v.c.Base.Identifiers))
	for _, id := range v.c.Base.Identifiers {
		items = append(items, listItem{Text: v.row(id.Name, id.Value, id.Product)})
	}
	return items
}

func (v *identifiers) show() {
	if i := v.table.Cursor(); i < len(v.c.Base.Identifiers) {
		v.detail.Show(identifierDoc(&v.c.Base.Identifiers[i]))
		return
	}
	v.detail.Show(func(w *docWriter) { w.faint("The knowledge base holds no identifier yet.") })
}

func (v *identifiers) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(tea.KeyMsg); ok {
		return v.handleKey(msg)
	}
	return nil
}

func (v *identifiers) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := v.c.Keys
	switch {
	case key.Matches(msg, k.NextPane), key.Matches(msg, k.PrevPane):
		v.focus = 1 - v.focus
		return nil
	case v.focus == paneTable && (key.Matches(msg, k.Select) || key.Matches(msg, k.Right)):
		v.focus = paneIdentifier
		return nil
	case v.focus == paneIdentifier && key.Matches(msg, k.Left):
		v.focus = paneTable
		return nil
	case v.focus == paneIdentifier && v.detail.handleScroll(msg):
		return nil
	case v.focus == paneTable && v.handleTableMove(msg):
		return nil
	}
	cmd, _ := v.detail.handleCopy(msg)
	return cmd
}

func (v *identifiers) handleTableMove(msg tea.KeyMsg) bool {
	k := v.c.Keys
	before := v.table.Cursor()
	switch {
	case key.Matches(msg, k.Up):
		v.table.Move(-1)
	case key.Matches(msg, k.Down):
		v.table.Move(1)
	case key.Matches(msg, k.PageUp):
		v.table.Move(-v.table.height)
	case key.Matches(msg, k.PageDown):
		v.table.Move(v.table.height)
	case key.Matches(msg, k.Top):
		v.table.Select(0)
	case key.Matches(msg, k.Bottom):
		v.table.Select(v.table.Len() - 1)
	default:
		return false
	}
	if v.table.Cursor() != before {
		v.show()
	}
	return true
}

func (v *identifiers) View() string {
	s := v.c.Styles
	title := fmt.Sprintf("Identifiers (%d)", v.table.Len())
	header := s.Faint.Render("  " + v.row("Name", "Value", "Product"))
	table := components.PaneTitle(s, title, "", v.width, v.focus == paneTable) + "\n" + header + "\n" +
		v.table.View(s, v.focus == paneTable)
	if v.table.Len() == 0 {
		table = components.PaneTitle(s, title, "", v.width, v.focus == paneTable) + "\n\n" +
			s.Faint.Render("  no identifier loaded")
	}
	detail := components.PaneTitle(s, "Detail", v.detail.ScrollInfo(), v.width, v.focus == paneIdentifier) + "\n" +
		v.detail.View()
	return strings.Join([]string{
		components.FitBlock(table, v.width, v.tableH+2),
		components.FitBlock(detail, v.width, max(v.height-v.tableH-2, 1)),
	}, "\n")
}

func (v *identifiers) EnableKeys() {
	k := v.c.Keys
	enable(&k.NextPane, &k.PrevPane)
	if v.focus == paneTable {
		enable(&k.Select, &k.Right)
		if v.table.Len() > 1 {
			enable(&k.Up, &k.Down, &k.Top, &k.Bottom, &k.PageUp, &k.PageDown)
		}
		v.detail.enableCopyKeys()
		return
	}
	enable(&k.Left)
	v.detail.enableKeys()
}

func (v *identifiers) ShortHelp() []key.Binding {
	k := v.c.Keys
	if v.focus == paneTable {
		return bindings(&k.Down, &k.Select, &k.Copy)
	}
	return bindings(&k.Down, &k.Copy, &k.Left)
}

func (v *identifiers) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }
