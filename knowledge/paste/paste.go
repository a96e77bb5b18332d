// Package paste recognizes what an engineer pasted into the search box —
// a PowerShell error record, an Event Viewer text, HTTP response headers,
// an Entra (AADSTS) error, a .NET stack trace, log lines or a JSON Web
// Token — and pulls out its signal: the words worth searching, without
// the noise of the record around them (At line:1 char:1, CategoryInfo
// labels, namespaces, timestamps, correlation ids). A message found on its
// own must still be found when it arrives wrapped in one of these forms.
//
// Everything kept is bounded and passed through safetext, so a result can
// be shown as it is. Recognize never panics on any input.
package paste

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/ucpilot/ucpilot/internal/safetext"
)

// Bounds on what a paste may cost and what a result keeps.
const (
	// MaxInput is the most of a paste that is read; the rest is ignored.
	MaxInput = 32 << 10
	// MaxSignal bounds the search text handed on.
	MaxSignal = 4 << 10
	maxFields = 32
	maxCodes  = 16
	maxValue  = 512
	maxForms  = 8
)

// Field is one named value the paste carried, ready to show.
type Field struct{ Name, Value string }

// Code is an error or event code found in the paste, normalized: Kind is
// one of the Kind* constants, Value the code as the knowledge base spells
// it ("2000003", "AADSTS50012", "32054", "HCW8064", "0x80070005").
type Code struct{ Kind, Value string }

// Code kinds.
const (
	KindDiagnostics = "x-ms-diagnostics"
	KindAADSTS      = "aadsts"
	KindEvent       = "event"
	KindHCW         = "hcw"
	KindHResult     = "hresult"
	KindSIP         = "sip"
)

// Forms, in words, as they are shown.
const (
	FormPowerShell = "PowerShell error record"
	FormEvent      = "Event Viewer text"
	FormHTTP       = "HTTP response headers"
	FormAADSTS     = "Entra (AADSTS) error"
	FormStack      = ".NET stack trace"
	FormException  = ".NET exception"
	FormLog        = "log lines"
	FormJWT        = "JSON Web Token"
	// FormDiagnostics is a bare x-ms-diagnostics value, outside any other form.
	FormDiagnostics = "x-ms-diagnostics value"
)

// Result is what Recognize found in a paste.
type Result struct {
	Forms  []string // recognized forms in words (Form* constants), in the order found
	Source string   // the cmdlet, script or event source the paste names
	Fields []Field  // named values, e.g. {"x-ms-diagnostics code","2000003"}
	Codes  []Code   // codes found, normalized, without duplicates
	Signal string   // the informative text to search (the text itself when nothing was recognized)
	Token  *Token   // a decoded JWT if the paste held one
}

// Recognized reports whether any form was recognized.
func (r Result) Recognized() bool { return len(r.Forms) > 0 }

// Field returns the value of the first field named name, or "".
func (r Result) Field(name string) string {
	for _, f := range r.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// Recognize reads a paste and returns what it is and what it says. Plain
// text (nothing recognized) comes back with Signal set to the text,
// trimmed and bounded, and no forms.
func Recognize(text string) Result {
	text = cut(text, MaxInput)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	p := &parse{text: text, lower: strings.ToLower(text)}
	p.jwt()
	p.powershell()
	p.event()
	p.oauthTest()
	p.diagnostics()
	p.http()
	p.aadsts()
	p.stack()
	p.logs()
	p.otherCodes()

	r := Result{Token: p.token}
	r.Forms = p.forms
	r.Source = clean(p.source)
	r.Fields = p.fields
	r.Codes = p.codes
	if len(r.Forms) == 0 {
		r.Signal = cut(strings.TrimSpace(text), MaxSignal)
		return r
	}
	r.Signal = p.signal()
	return r
}

// parse is the state of one Recognize call: what was found and the edits
// that turn the paste into its signal.
type parse struct {
	text   string
	lower  string // text in lower case, for the cheap tests that spare a regexp its run
	forms  []string
	source string
	fields []Field
	codes  []Code
	token  *Token
	edits  []edit
	extras []string // informative words the edits removed (a short exception type)
	diag   bool     // an x-ms-diagnostics value was found
}

// edit replaces text[start:end] with repl when the signal is built.
type edit struct {
	start, end int
	repl       string
}

// mentions reports whether the paste holds any of the words (lower case):
// the regular expressions only run on a paste that could match them.
func (p *parse) mentions(words ...string) bool {
	for _, w := range words {
		if strings.Contains(p.lower, w) {
			return true
		}
	}
	return false
}

func (p *parse) form(f string) {
	for _, have := range p.forms {
		if have == f {
			return
		}
	}
	if len(p.forms) < maxForms {
		p.forms = append(p.forms, f)
	}
}

func (p *parse) field(name, value string) {
	value = clean(collapse(value))
	if value == "" || len(p.fields) >= maxFields {
		return
	}
	for _, f := range p.fields {
		if f.Name == name && f.Value == value {
			return
		}
	}
	p.fields = append(p.fields, Field{Name: name, Value: value})
}

func (p *parse) code(kind, value string) {
	value = clean(value)
	if value == "" || len(p.codes) >= maxCodes {
		return
	}
	for _, c := range p.codes {
		if c.Kind == kind && strings.EqualFold(c.Value, value) {
			return
		}
	}
	p.codes = append(p.codes, Code{Kind: kind, Value: value})
}

func (p *parse) setSource(s string) {
	if p.source == "" {
		p.source = strings.TrimSpace(s)
	}
}

func (p *parse) remove(start, end int) { p.replace(start, end, " ") }

func (p *parse) replace(start, end int, repl string) {
	if start < 0 || end > len(p.text) || start >= end {
		return
	}
	p.edits = append(p.edits, edit{start, end, repl})
}

func (p *parse) extra(s string) {
	s = strings.TrimSpace(s)
	if s == "" || len(p.extras) >= maxFields {
		return
	}
	p.extras = append(p.extras, s)
}

// signal applies the edits (the earliest, then the longest, wins where
// two overlap), adds the extras the text no longer holds and collapses
// white space.
func (p *parse) signal() string {
	sort.SliceStable(p.edits, func(i, j int) bool {
		if p.edits[i].start != p.edits[j].start {
			return p.edits[i].start < p.edits[j].start
		}
		return p.edits[i].end > p.edits[j].end
	})
	var b strings.Builder
	at := 0
	for _, e := range p.edits {
		if e.start < at {
			// Overlaps an applied edit: apply what is left of a removal.
			if e.end > at && strings.TrimSpace(e.repl) == "" {
				at = e.end
			}
			continue
		}
		b.WriteString(p.text[at:e.start])
		b.WriteString(" ")
		b.WriteString(e.repl)
		b.WriteString(" ")
		at = e.end
	}
	b.WriteString(p.text[at:])
	s := collapse(b.String())
	lines := dedupeSentences(s)
	for _, x := range p.extras {
		if !containsFold(lines, x) {
			lines += " " + x
		}
	}
	return cut(strings.TrimSpace(collapse(lines)), MaxSignal)
}

// dedupeSentences drops a repeated run of text: the same inner message
// is often printed twice (the exception and its inner exception).
func dedupeSentences(s string) string {
	parts := strings.SplitAfter(s, ". ")
	if len(parts) < 2 {
		return s
	}
	seen := map[string]bool{}
	var b strings.Builder
	for _, part := range parts {
		k := strings.ToLower(strings.TrimSpace(part))
		if len(k) > 12 && seen[k] {
			continue
		}
		seen[k] = true
		b.WriteString(part)
	}
	return b.String()
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// collapse turns every run of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// clean makes a value fit to show: one line, control characters visible,
// bounded.
func clean(s string) string { return safetext.Line(strings.TrimSpace(s), maxValue) }

// cut keeps at most n bytes of s, on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	end := n
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end]
}
