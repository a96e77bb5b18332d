package tui

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/internal/safetext"
	"github.com/ucpilot/ucpilot/knowledge/paste"
)

// paste starts a fresh query with what was pasted: an error line pasted
// after an earlier search must not be glued to the old query
// ("code=5HCW8064 ..."). The field shows the paste on one line; the paste
// itself, line breaks and all, is what gets recognized.
func (t *troubleshoot) paste(msg tea.KeyMsg) tea.Cmd {
	t.clearQuery()
	raw := string(msg.Runes)
	if len(raw) > paste.MaxInput {
		end := paste.MaxInput
		for end > 0 && !utf8.RuneStart(raw[end]) {
			end--
		}
		raw = raw[:end]
	}
	// A token is a credential: the field shows a mark in its place.
	msg.Runes = []rune(paste.RedactTokens(raw))
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	t.raw, t.rawShown = raw, t.input.Value()
	t.input.CursorStart() // show the paste from its start
	return tea.Batch(cmd, t.search())
}

// recognizedLines go under the search field, across the whole width: what
// the query was recognized as (at most two lines) and the codes no entry
// knows (at most two).
func (t *troubleshoot) recognizedLines() []string {
	if t.query == "" {
		return nil
	}
	s := t.c.Styles
	var out []string
	if sum := t.rec.Summary(); sum != "" {
		lines := wrapAtSpaces(sum, max(t.width, 20))
		if len(lines) > 2 {
			lines = lines[:2]
		}
		for _, ln := range lines {
			out = append(out, s.Faint.Render(strings.TrimRight(ln, " ")))
		}
	}
	for i, u := range t.unknown {
		if i == 2 {
			break
		}
		out = append(out, s.Notice.Render("unknown: "+safetext.Line(u, 80)+" — no entry of the knowledge base knows this code"))
	}
	if t.noMatch && t.outside && t.rec.Token == nil {
		out = append(out, s.Notice.Render(t.noMatchNotice()))
	}
	return out
}

// noMatchInList: the plain "no entry matches" notice sits above the list;
// the out-of-domain one goes across the whole width, under the field.
func (t *troubleshoot) noMatchInList() bool {
	return t.noMatch && !t.outside && t.rec.Token == nil
}

func (t *troubleshoot) tokenItem() listItem {
	it := listItem{Badge: "token", BadgeStyle: t.c.Styles.KindIdentifier, Text: "decoded token held against the profile"}
	if n := len(t.rec.Token.Check(t.expect())); n > 0 {
		it.Text += " (" + plural(n, "finding") + ")"
	}
	return it
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// expect is what the profile says a token for this trust must carry: the
// tenant as realm on the hybrid and online topologies, the domain on
// premises; Exchange's host as the audience; the clock now.
func (t *troubleshoot) expect() paste.Expect {
	e := paste.Expect{Now: t.now()}
	p := t.c.Profile
	if p == nil {
		return e
	}
	switch {
	case p.Topology != "onprem" && p.TenantID != "":
		e.Realm = p.TenantID
	default:
		e.Realm = p.Domain
	}
	e.AudienceHost = p.Exchange.FQDN
	if p.Exchange.EWSURL != "" {
		if u, err := url.Parse(p.Exchange.EWSURL); err == nil && u.Hostname() != "" {
			e.AudienceHost = u.Hostname()
		}
	}
	return e
}

// tokenDoc shows the decoded token beside the profile, value by value,
// with what differs.
func (t *troubleshoot) tokenDoc() entryDoc {
	tok, e := t.rec.Token, t.expect()
	havePrf := t.c.Profile != nil
	return func(w *docWriter) {
		w.title("Decoded token, held against the profile")
		writeToken := func(tk *paste.Token, label string) {
			w.section(label)
			w.field("issuer", tk.Issuer)
			w.field("audience", tk.Audience)
			w.field("nameid", tk.NameID)
			w.field("appid", tk.AppID)
			w.field("signed by", tk.KeyID)
		}
		w.faint("token · profile")
		for _, f := range tok.Compare(e) {
			mark := "✓"
			if !f.OK {
				mark = "✗"
			}
			want := f.Expected
			if want == "" {
				want = "—"
				if !havePrf {
					want = "(no profile)"
				}
			}
			w.para(mark + " " + f.What + ": " + orDash(f.Token) + " · " + want)
			if !f.OK {
				w.add(w.c.Styles.Notice, 2, f.Problem)
			}
		}
		writeToken(tok, "Token")
		if tok.ActorToken != nil {
			writeToken(tok.ActorToken, "Actor token")
		}
		w.blank()
		w.faint("The signature is not checked: pasting a token proves nothing about who signed it.")
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// wrapAtSpaces breaks text only at spaces, so a cmdlet name such as
// Test-OAuthConnectivity is never split at its hyphen; a single word wider
// than the line is the one thing cut.
func wrapAtSpaces(text string, width int) []string {
	var out []string
	cur := ""
	for _, w := range strings.Fields(text) {
		switch {
		case cur == "":
			cur = w
		case ansi.StringWidth(cur)+1+ansi.StringWidth(w) <= width:
			cur += " " + w
		default:
			out = append(out, cur)
			cur = w
		}
		for ansi.StringWidth(cur) > width {
			out = append(out, ansi.Truncate(cur, width, ""))
			cur = ansi.TruncateLeft(cur, width, "")
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
