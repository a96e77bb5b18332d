package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/knowledge/paste"
)

// searchLimit is how many hits a query shows; the list scrolls.
const searchLimit = 50

// pane names the focus inside a screen, left to right (top to bottom when
// stacked).
type pane int

const (
	paneInput pane = iota
	paneList
	paneDetail
)

// searchResultMsg carries the hits for query number seq. A result for an
// older seq is dropped: the user has typed on since.
type searchResultMsg struct {
	seq   int
	query string
	hits  []knowledge.Hit
	// rec is what the query was recognized as, and unknown the codes no
	// entry knows; nil rec leaves the last recognition as it is.
	rec     *paste.Result
	unknown []string
	outside bool // nothing in the query is about this trust
}

// troubleshoot is search as you type: a field, the ranked hits, and the
// selected hit's detail with copy-ready commands.
type troubleshoot struct {
	c      *Common
	input  textinput.Model
	list   listView
	detail detailPane
	focus  pane

	query   string // the query last sent to search
	seq     int    // sequence number of that query
	hits    []knowledge.Hit
	noMatch bool // the query found nothing; the list offers the guides

	// What the query was recognized as (troubleshoot_paste.go).
	rec     paste.Result
	unknown []string // codes no entry knows
	outside bool     // the query is about something ucpilot does not cover
	// raw is the last paste as it arrived, line breaks and all; the field
	// shows it on one line (rawShown). While the field still holds exactly
	// that, the raw paste is what gets recognized.
	raw, rawShown string

	out runOutput // the last command run with x (troubleshoot_run.go)

	width, height int
	listH         int

	now func() time.Time // the clock a token's validity is judged by
}

func newTroubleshoot(c *Common) *troubleshoot {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "paste an error line or type a few words"
	in.PromptStyle = c.Styles.PaneFocused
	in.PlaceholderStyle = c.Styles.Faint
	in.TextStyle = c.Styles.Plain
	in.Cursor.Style = c.Styles.Selected
	in.Cursor.TextStyle = c.Styles.Plain
	// A blinking cursor redraws twice a second forever; over a slow SSH
	// link that is noise, so the cursor stays still.
	in.Cursor.SetMode(cursor.CursorStatic)
	t := &troubleshoot{c: c, input: in, detail: newDetailPane(c), now: time.Now}
	t.setHits(nil)
	return t
}

func (t *troubleshoot) Title() string   { return "Troubleshoot" }
func (t *troubleshoot) Capturing() bool { return t.focus == paneInput }

// Activate puts the keys in the search field, keeping what was typed.
func (t *troubleshoot) Activate() tea.Cmd { return t.setFocus(paneInput) }

// clearQuery empties the field and the results for a new search.
func (t *troubleshoot) clearQuery() {
	t.input.SetValue("")
	t.query = ""
	t.raw, t.rawShown = "", ""
	t.rec, t.unknown = paste.Result{}, nil
	t.seq++ // a search still on its way is for the old query
	t.SetSize(t.width, t.height)
	t.setHits(nil)
}

func (t *troubleshoot) setFocus(p pane) tea.Cmd {
	t.focus = p
	if p == paneInput {
		return t.input.Focus()
	}
	t.input.Blur()
	return nil
}

func (t *troubleshoot) wide() bool { return t.width >= wideBreak }

func (t *troubleshoot) SetSize(w, h int) {
	t.width, t.height = w, h
	t.input.Width = max(w-len(t.input.Prompt)-1, 1)
	body := h - 2 - len(t.recognizedLines()) // search title, field, what the paste was
	if t.wide() {
		lw, rw := splitWidths(w)
		t.listH = max(body-1, 1)
		t.list.SetSize(lw, t.listRows())
		t.detail.SetSize(rw, max(body-1, 1))
		return
	}
	lh, dh := stackHeights(body)
	t.listH = lh
	t.list.SetSize(w, t.listRows())
	t.detail.SetSize(w, dh)
}

// listRows is the list's height less the no-match notice line.
func (t *troubleshoot) listRows() int {
	if t.noMatchInList() {
		return max(t.listH-1, 1)
	}
	return t.listH
}

func (t *troubleshoot) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case searchResultMsg:
		return t.handleResults(msg)
	case tea.KeyMsg:
		return t.handleKey(msg)
	}
	if t.focus == paneInput {
		var cmd tea.Cmd
		t.input, cmd = t.input.Update(msg)
		return cmd
	}
	return nil
}

func (t *troubleshoot) handleResults(msg searchResultMsg) tea.Cmd {
	if msg.seq != t.seq {
		return nil // stale: a newer query is on its way
	}
	before := len(t.recognizedLines())
	if msg.rec != nil {
		t.rec = *msg.rec
	}
	t.unknown, t.outside = msg.unknown, msg.outside
	t.setHits(msg.hits)
	if len(t.recognizedLines()) != before {
		t.SetSize(t.width, t.height) // the lines above the results changed
	}
	return nil
}

// setHits fills the list with hits, or with the guides when there are none,
// and shows the first entry.
func (t *troubleshoot) setHits(hits []knowledge.Hit) {
	t.hits = hits
	t.noMatch = t.query != "" && len(hits) == 0
	var items []listItem
	if t.rec.Token != nil {
		items = append(items, t.tokenItem())
	}
	if len(hits) == 0 {
		for _, tp := range t.c.Base.Topologies {
			items = append(items, listItem{Badge: "guide", BadgeStyle: t.c.Styles.KindGuide, Text: tp.Title})
		}
	}
	for _, h := range hits {
		items = append(items, t.hitItem(h))
	}
	t.list.SetItems(items)
	t.list.Select(0)
	t.list.SetSize(t.list.width, t.listRows())
	if t.query == "" {
		t.detail.Show(introDoc())
		return
	}
	t.showSelected()
}

// tokenRows is 1 when the list starts with the decoded token, else 0.
func (t *troubleshoot) tokenRows() int {
	if t.rec.Token != nil {
		return 1
	}
	return 0
}

func (t *troubleshoot) hitItem(h knowledge.Hit) listItem {
	s := t.c.Styles
	it := listItem{Badge: string(h.Kind), Text: h.Title}
	switch h.Kind {
	case knowledge.KindPitfall:
		it.BadgeStyle = s.KindPitfall
		if h.Pitfall != nil && h.Pitfall.NotOAuth {
			it.Text += " (not OAuth)"
		}
	case knowledge.KindStep:
		it.BadgeStyle = s.KindStep
		if h.Topology != nil {
			it.Text += " (" + h.Topology.ID + ")"
		}
	case knowledge.KindIdentifier:
		it.Badge, it.BadgeStyle = "ident", s.KindIdentifier
	case knowledge.KindCmdlet:
		it.BadgeStyle = s.KindCmdlet
	}
	return it
}

// showSelected puts the selected list entry in the detail pane.
func (t *troubleshoot) showSelected() {
	i := t.list.Cursor() - t.tokenRows()
	switch {
	case i < 0:
		t.detail.Show(t.tokenDoc())
	case len(t.hits) > 0 && i < len(t.hits):
		t.detail.Show(t.out.wrap(t.entryKey(), hitDoc(t.hits[i])))
	case len(t.hits) == 0 && i < len(t.c.Base.Topologies):
		t.detail.Show(topologyDoc(&t.c.Base.Topologies[i]))
	default:
		t.detail.Show(nil)
	}
}

// search sends the field's query to the index off the Update loop. The
// closure copies what it needs; it never reads the model.
func (t *troubleshoot) search() tea.Cmd {
	q := strings.TrimSpace(t.input.Value())
	if q == t.query {
		return nil
	}
	t.query = q
	t.seq++
	if q == "" {
		t.rec, t.unknown = paste.Result{}, nil
		t.SetSize(t.width, t.height)
		t.setHits(nil)
		return nil
	}
	text := q
	if t.raw != "" && t.input.Value() == t.rawShown {
		text = t.raw
	}
	base, seq := t.c.Base, t.seq
	return func() tea.Msg {
		a := base.Ask(text, searchLimit)
		return searchResultMsg{seq: seq, query: q, hits: a.Hits, rec: &a.Recognized, unknown: a.Unknown, outside: a.OutOfDomain}
	}
}

func introDoc() entryDoc {
	return func(w *docWriter) {
		w.title("Paste an error, get the cause and the fix")
		w.para("Type or paste what you see: an error line, an event id, a cmdlet name, an identifier. " +
			"Matching pitfalls, steps, identifiers and cmdlets appear as you type; the selected one's " +
			"cause, fix and copy-ready commands show here.")
		w.section("Try")
		w.bullets([]string{"ExCreateItem exchange operations failed, code=5", "metadata/jason/1",
			"Test-CsExStorageConnectivity 401", "00000004-0000-0ff1-ce00-000000000000"})
		w.blank()
		w.faint("Or pick a guide in the list to browse a procedure step by step.")
	}
}

func (t *troubleshoot) resultsTitle() string {
	switch {
	case t.query == "":
		return "Guides"
	case t.noMatch && t.rec.Token != nil:
		return "Token"
	case t.noMatch:
		return "No match"
	}
	return fmt.Sprintf("Results (%d)", len(t.hits))
}

// noMatchNotice says plainly that nothing matched and what to do instead.
func (t *troubleshoot) noMatchNotice() string {
	q := t.query
	if r := []rune(q); len(r) > 40 {
		q = string(r[:40]) + "…"
	}
	if t.outside {
		return fmt.Sprintf("%q is not about the Exchange ⇄ Lync / Skype for Business OAuth trust, which ucpilot covers", q)
	}
	return fmt.Sprintf("No entry matches %q — try fewer words, or browse the procedures with b", q)
}
