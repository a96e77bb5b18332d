package knowledge

import (
	"strings"

	"github.com/ucpilot/ucpilot/knowledge/paste"
)

// Answer is what Ask makes of a question or a paste: what was recognized in
// it, the entries that answer it, the codes in it that no entry knows, and
// whether it is about something this base does not cover at all.
type Answer struct {
	Recognized  paste.Result // the forms, source, fields and codes of a paste
	Hits        []Hit
	Unknown     []string // codes in the text that no entry knows, e.g. "event 32054"
	OutOfDomain bool     // nothing answers and nothing in the text is ours (no code, no topic word): say what the tool covers
}

// Code weights. A code the base knows (an x-ms-diagnostics value, an AADSTS
// code, an event id) names the problem exactly, so it outweighs every word
// around it; a code the base does not know counts against every entry, so
// that the words around it ("event", "service") cannot carry a hit alone.
const (
	codeKnownWeight   = 3.0 // × the highest idf
	codeUnknownWeight = 1.0 // × the highest idf
)

// Ask recognizes what was pasted (paste.Recognize), searches its signal
// rather than the noise of the record around it, lets the codes it carries
// dominate, and reports the codes no entry knows. limit bounds the hits
// (<= 0: no limit).
func (b *Base) Ask(text string, limit int) Answer {
	ix := b.index
	if ix == nil {
		ix = buildIndex(b)
	}
	a := Answer{Recognized: paste.Recognize(text)}
	terms, seq := ix.parseQuery(a.Recognized.Signal)
	terms, a.Unknown = ix.weighCodes(terms, a.Recognized.Codes)
	a.Hits = ix.withStartingPoints(text, ix.rank(terms, seq, limit), limit)
	// Nothing answers, no code of ours is unknown, and no word names what
	// the tool covers: the question is about something else.
	a.OutOfDomain = len(a.Hits) == 0 && len(a.Unknown) == 0 && strings.TrimSpace(text) != "" &&
		!containsAny(plainWords(text), ix.startTopics)
	return a
}

// weighCodes gives each recognized code its weight among the query terms:
// a known code is made dominant, an unknown one a heavy term no entry
// matches. It returns the unknown codes as they are shown.
func (ix *Index) weighCodes(terms []queryTerm, codes []paste.Code) ([]queryTerm, []string) {
	var unknown []string
	for _, c := range codes {
		key := codeKey(c)
		if key == "" {
			continue
		}
		i := -1
		for j := range terms {
			if terms[j].text == key {
				i = j
			}
		}
		id, known := ix.termID[key]
		known = known && len(ix.postings[id]) > 0
		if !known {
			unknown = append(unknown, codeLabel(c))
		}
		if i < 0 {
			t := queryTerm{text: key, exact: -1}
			if known {
				t.exact = id
				t.exps = []expansion{{id, fExact}}
			}
			terms = append(terms, t)
			i = len(terms) - 1
		}
		if known {
			// Only the exact code counts: 2000003 must not be met by 20000030.
			terms[i].exps = []expansion{{id, fExact}}
			terms[i].exact = id
			terms[i].weight = codeKnownWeight * ix.maxIDF
			terms[i].code = true
		} else {
			terms[i].exps = nil
			terms[i].weight = codeUnknownWeight * ix.maxIDF
		}
	}
	return terms, unknown
}

// codeKey is the index term a code is held under; "" for codes that are
// searched as words (SIP_E_… names split into words).
func codeKey(c paste.Code) string {
	v := strings.ToLower(strings.TrimSpace(c.Value))
	if v == "" || strings.HasPrefix(v, "sip_e_") {
		return ""
	}
	return v
}

// codeLabel names a code for the reader: "event 32054", "x-ms-diagnostics 2000010".
func codeLabel(c paste.Code) string {
	switch c.Kind {
	case paste.KindEvent:
		return "event " + c.Value
	case paste.KindDiagnostics:
		return "x-ms-diagnostics " + c.Value
	case paste.KindSIP:
		return "ms-diagnostics " + c.Value
	}
	return c.Value
}
