// Package pastesearch answers a query the way the search box and the
// search command do: recognize what was pasted, search its signal, and
// name the codes no entry knows. It stands in for knowledge.Base.Ask until
// that lands, so the CLI and the TUI share one answer.
package pastesearch

import (
	"strings"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/knowledge/paste"
)

// Answer is what a query answers: what the paste was, the hits, and the
// codes no entry knows. It has the fields of knowledge.Answer.
type Answer struct {
	Recognized paste.Result
	Hits       []knowledge.Hit
	Unknown    []string
}

// Ask recognizes a paste and searches its signal. A code that no entry
// names is reported as unknown and left out of the search, so "event 32054"
// is not answered with hits on the word "event".
func Ask(kb *knowledge.Base, text string, limit int) Answer {
	res := paste.Recognize(text)
	out := Answer{Recognized: res}
	signal := res.Signal
	for _, c := range res.Codes {
		if knowsCode(kb, c.Value) {
			continue
		}
		label := c.Value
		if c.Kind == paste.KindEvent {
			label = "event " + c.Value
		}
		out.Unknown = append(out.Unknown, label)
		signal = dropCode(signal, c)
	}
	if informative(signal) {
		out.Hits = kb.Search(signal, limit)
	}
	return out
}

// knowsCode reports whether an entry names the code in its own text.
func knowsCode(kb *knowledge.Base, code string) bool {
	low := strings.ToLower(code)
	for _, h := range kb.Search(code, 5) {
		if strings.Contains(strings.ToLower(hitText(h)), low) {
			return true
		}
	}
	return false
}

func hitText(h knowledge.Hit) string {
	var b strings.Builder
	b.WriteString(h.ID + " " + h.Title)
	switch {
	case h.Pitfall != nil:
		p := h.Pitfall
		b.WriteString(" " + strings.Join(p.Symptoms, " ") + " " + p.Cause + " " + p.Fix)
	case h.Step != nil:
		b.WriteString(" " + h.Step.What + " " + h.Step.Why)
	case h.Identifier != nil:
		b.WriteString(" " + h.Identifier.Value + " " + h.Identifier.Where)
	case h.Cmdlet != nil:
		b.WriteString(" " + h.Cmdlet.Does)
	}
	return b.String()
}

// dropCode removes an unknown code (and the word "event" before an event
// number) from the search text.
func dropCode(signal string, c paste.Code) string {
	words := strings.Fields(signal)
	out := words[:0]
	for i, w := range words {
		bare := strings.Trim(w, ".,;:()[]'\"")
		if strings.EqualFold(bare, c.Value) {
			if c.Kind == paste.KindEvent && len(out) > 0 && i > 0 {
				if prev := strings.ToLower(strings.Trim(out[len(out)-1], ".,;:")); prev == "event" || prev == "id" {
					out = out[:len(out)-1]
					if len(out) > 0 && strings.EqualFold(out[len(out)-1], "event") {
						out = out[:len(out)-1]
					}
				}
			}
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// informative reports whether text holds a word worth searching.
func informative(text string) bool {
	for _, w := range strings.Fields(text) {
		if len(strings.Trim(w, ".,;:()[]'\"-")) >= 2 {
			return true
		}
	}
	return false
}
