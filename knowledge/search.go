package knowledge

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// Kind is the kind of a search hit. The values are stable (JSON output).
type Kind string

const (
	KindPitfall    Kind = "pitfall"
	KindStep       Kind = "step"
	KindIdentifier Kind = "identifier"
	KindCmdlet     Kind = "cmdlet"
)

// Hit is one ranked search result. Exactly one of the entry pointers is set,
// matching Kind; Topology is set with Step.
type Hit struct {
	Kind       Kind
	ID         string
	Title      string
	Score      float64 // 0..1, 1 the best possible match
	Pitfall    *Pitfall
	Step       *Step
	Topology   *Topology
	Identifier *Identifier
	Cmdlet     *Cmdlet
}

// Expansion factors: how much a query word counts when it matched an entry's
// word exactly, as the start of a longer word (typing in progress), as a
// near spelling, or inside a longer word.
const (
	fExact   float32 = 1.0
	fPrefix  float32 = 0.85
	fSynonym float32 = 0.8
	fTypo    float32 = 0.7
	fInfix   float32 = 0.6

	maxExpansions = 64
	// maxQueryWords bounds the work on a pasted stack trace: the first
	// informative words of an error line carry its meaning.
	maxQueryWords = 64
	// longQuery is the number of words past which a query is a text (a
	// paste, a question) rather than a few words typed to find something.
	longQuery = 4
)

// Score mix (sums to 1): field-weighted coverage, plain coverage, phrase
// (adjacent words in the same order) and the fuzzy match on short fields.
const (
	mixField, mixCover, mixPhrase, mixFuzzy = 0.55, 0.2, 0.15, 0.1
)

// Search returns at most limit hits for query, best first (limit <= 0: no
// limit). A query that matches nothing relevant returns no hits.
func (b *Base) Search(query string, limit int) []Hit {
	ix := b.index
	if ix == nil {
		ix = buildIndex(b) // a Base assembled by hand without Reindex
	}
	return ix.search(query, limit)
}

type expansion struct {
	term   int32
	factor float32
}

// queryTerm is one informative word of the query with its weight and the
// vocabulary terms it stands for.
type queryTerm struct {
	text   string
	weight float64
	exps   []expansion
	exact  int32 // the exactly matching term, or -1 (phrases use exact terms only)
	code   bool  // a recognized code the base knows (Ask)
}

// parseQuery lexes a query and resolves its words against the vocabulary.
// Noise (unknown GUIDs, long numbers, stop words) is dropped; unknown words
// stay, with a weight, so that a query about something else fails the
// coverage test.
func (ix *Index) parseQuery(query string) (terms []queryTerm, seq []int32) {
	type group struct {
		main   lexTok
		extras []lexTok
	}
	var groups []group
	lex(query, func(t lexTok) {
		if t.class == clsWord && stopWords[t.text] {
			return
		}
		if !t.extra && len(groups) >= maxQueryWords {
			return
		}
		if t.extra && len(groups) > 0 {
			g := &groups[len(groups)-1]
			g.extras = append(g.extras, t)
			return
		}
		groups = append(groups, group{main: t})
	})
	seen := map[string]bool{}
	add := func(qt queryTerm) {
		if seen[qt.text] || qt.weight <= 0 {
			return
		}
		seen[qt.text] = true
		terms = append(terms, qt)
	}
	var recent []string
	long := len(groups) > longQuery
	for gi, g := range groups {
		last := gi == len(groups)-1
		if g.main.class == clsWord && len(ix.phraseEnd) > 0 {
			if len(recent) == maxPhraseWords {
				recent = recent[1:]
			}
			recent = append(recent, g.main.text)
			for _, ph := range phrasesEnding(ix.phraseEnd, recent) {
				if pt := ix.resolve(lexTok{text: ph, class: clsPhrase}, false, long); len(pt.exps) > 0 {
					add(pt)
				}
			}
		}
		qt := ix.resolve(g.main, last, long)
		if len(qt.exps) > 0 {
			seq = append(seq, qt.exact)
			add(qt)
			for _, e := range g.extras {
				if e.text == badGUIDMarker {
					add(ix.resolve(e, false, long))
				}
			}
			continue
		}
		seq = append(seq, -1)
		// An unknown compound word: its camel-case parts may be known.
		var found bool
		for _, e := range g.extras {
			if et := ix.resolve(e, last, long); len(et.exps) > 0 {
				add(et)
				found = true
			}
		}
		if !found {
			add(qt) // unknown: weight only (or dropped as noise, weight 0)
		}
	}
	return terms, seq
}

// resolve finds the vocabulary terms a query token stands for.
func (ix *Index) resolve(t lexTok, last, long bool) queryTerm {
	qt := queryTerm{text: t.text, exact: -1}
	if id, ok := ix.termID[t.text]; ok {
		qt.exact = id
		qt.exps = append(qt.exps, expansion{id, fExact})
	}
	for _, syn := range ix.synonyms[t.text] {
		if id, ok := ix.termID[syn]; ok {
			qt.exps = append(qt.exps, expansion{id, fSynonym})
		}
	}
	synonyms := len(qt.exps) - min(1, int(qt.exact+1))
	n := len(t.text)
	switch t.class {
	case clsGUID, clsNum, clsPhrase:
		// exact only
	case clsGUIDFrag, clsLongNum:
		qt.exps = ix.prefixes(t.text, qt.exps)
	case clsBadGUID:
	case clsWord:
		// A word being typed may be the start of a longer one; in a long
		// text every word but the last is whole ("pro" in "Windows 10 pro"
		// is not "process").
		if (n >= 3 || (n == 2 && last && qt.exact < 0)) && (last || !long || qt.exact < 0 && len(qt.exps) == 0) {
			qt.exps = ix.prefixes(t.text, qt.exps)
			if t.surf != "" || last {
				qt.exps = ix.surfacePrefixes(cmp.Or(t.surf, t.text), qt.exps)
			}
		}
		// Near spellings and words inside longer words rescue a short query
		// or the word being typed; in a long text (a paste, a question) an
		// unknown word is most likely just not ours ("figure" is not inside
		// "configure").
		if len(qt.exps) == synonyms && n >= 4 && t.text != badGUIDMarker && (last || !long) {
			qt.exps = ix.typos(t.text, qt.exps)
			qt.exps = ix.infixes(t.text, qt.exps)
		}
	}
	qt.exps = dedupe(qt.exps)
	switch {
	case len(qt.exps) > 0:
		// A word weighs as much as its commonest reading: "exch", rare as
		// written, mostly stands for "exchange", which is everywhere.
		maxDF := 0
		for _, e := range qt.exps {
			maxDF = max(maxDF, len(ix.postings[e.term]))
		}
		qt.weight = ix.idf(maxDF)
	case t.class == clsWord && n >= 3 && !t.extra:
		qt.weight = 0.5 * ix.maxIDF // unknown word: counts against coverage
	case t.class == clsNum:
		qt.weight = 0.25 * ix.maxIDF
	}
	if t.class == clsWord {
		qt.weight *= ix.commonFactor(t.text)
	}
	return qt
}

// prefixes adds the terms that start with p (other than p itself).
func (ix *Index) prefixes(p string, exps []expansion) []expansion {
	i := sort.SearchStrings(ix.sorted, p)
	for n := 0; i < len(ix.sorted) && strings.HasPrefix(ix.sorted[i], p) && n < maxExpansions; i++ {
		if ix.sorted[i] != p {
			exps = append(exps, expansion{ix.termID[ix.sorted[i]], fPrefix})
			n++
		}
	}
	return exps
}

// surfacePrefixes adds the stemmed terms of the words as written that
// start with p: "certificat", typed on the way to "certificate", reaches
// the stem "certif".
func (ix *Index) surfacePrefixes(p string, exps []expansion) []expansion {
	i := sort.SearchStrings(ix.surfSorted, p)
	for n := 0; i < len(ix.surfSorted) && strings.HasPrefix(ix.surfSorted[i], p) && n < maxExpansions; i++ {
		exps = append(exps, expansion{ix.surface[ix.surfSorted[i]], fPrefix})
		n++
	}
	return exps
}

// dedupe keeps the best factor of each term.
func dedupe(exps []expansion) []expansion {
	if len(exps) < 2 {
		return exps
	}
	out := exps[:0]
	for _, e := range exps {
		i := slices.IndexFunc(out, func(o expansion) bool { return o.term == e.term })
		switch {
		case i < 0:
			out = append(out, e)
		case out[i].factor < e.factor:
			out[i].factor = e.factor
		}
	}
	return out
}

// typos adds the terms within a small edit distance of w: one edit for
// short words, two for long ones.
func (ix *Index) typos(w string, exps []expansion) []expansion {
	rw := []rune(w)
	limit := 1
	if len(rw) >= 8 {
		limit = 2
	}
	for n := max(1, len(rw)-limit); n <= len(rw)+limit && n < len(ix.byLen); n++ {
		for _, id := range ix.byLen[n] {
			if len(exps) >= maxExpansions {
				return exps
			}
			t := ix.terms[id]
			// People rarely get the first two letters both wrong; this
			// filter keeps the edit-distance work small.
			if t[0] != w[0] && (len(t) < 2 || len(w) < 2 || t[1] != w[1]) {
				continue
			}
			if editDistance(rw, []rune(t), limit) <= limit {
				exps = append(exps, expansion{id, fTypo})
			}
		}
	}
	return exps
}

// infixes adds the terms that contain w (e.g. "exstorage" inside
// csexstorageconnectivity) when nothing better matched.
func (ix *Index) infixes(w string, exps []expansion) []expansion {
	for _, t := range ix.sorted {
		if len(exps) >= maxExpansions {
			break
		}
		if len(t) > len(w) && strings.Contains(t, w) {
			exps = append(exps, expansion{ix.termID[t], fInfix})
		}
	}
	return exps
}
