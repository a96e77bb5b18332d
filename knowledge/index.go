package knowledge

import (
	"math"
	"sort"
	"strings"
)

// Field weights: where in an entry a word occurs says how much it is about
// that word. A title is the entry's own name; symptoms, keywords and ids are
// what people type or paste; causes explain; fixes and commands mention many
// things in passing.
const (
	wTitle   float32 = 3.0
	wSymptom float32 = 2.0
	wCause   float32 = 1.2
	wFix     float32 = 0.8
	wMinor   float32 = 0.6
	wMax             = wTitle
)

// indexEntry is one searchable thing: a pitfall, a step, an identifier or a
// cmdlet.
type indexEntry struct {
	kind       Kind
	id         string
	title      string
	short      []string // short fields for fuzzy matching (lowercase)
	pitfall    *Pitfall
	step       *Step
	topology   *Topology
	identifier *Identifier
	cmdlet     *Cmdlet
}

type posting struct {
	entry  int32
	weight float32 // best field weight of the term in the entry
}

// Index is the search index over a Base: an inverted index of tokens (with
// a sorted vocabulary for prefix, infix and typo expansion) and of adjacent
// token pairs (for the phrase bonus of pasted lines).
type Index struct {
	entries  []indexEntry
	termID   map[string]int32
	terms    []string  // term text by id
	sorted   []string  // vocabulary, sorted, for prefix search
	byLen    [][]int32 // term ids by rune length, for typo search
	postings [][]posting
	bigrams  map[uint64][]int32
	maxIDF   float64
}

// Reindex rebuilds the lookup tables and the search index after the exported
// fields of b were filled or changed by hand (tests, benchmarks, tools that
// assemble a Base without LoadFS).
func (b *Base) Reindex() {
	b.pitfallByID = make(map[string]*Pitfall, len(b.Pitfalls))
	for i := range b.Pitfalls {
		b.pitfallByID[b.Pitfalls[i].ID] = &b.Pitfalls[i]
	}
	b.index = buildIndex(b)
}

// indexBuilder accumulates the terms and pairs of the entry being indexed.
type indexBuilder struct {
	ix      *Index
	cur     map[int32]float32
	curPair map[uint64]struct{}
}

func buildIndex(b *Base) *Index {
	ix := &Index{termID: map[string]int32{}, bigrams: map[uint64][]int32{}}
	bd := &indexBuilder{ix: ix, cur: map[int32]float32{}, curPair: map[uint64]struct{}{}}
	for i := range b.Pitfalls {
		bd.addPitfall(&b.Pitfalls[i])
	}
	for i := range b.Topologies {
		t := &b.Topologies[i]
		for j := range t.Steps {
			bd.addStep(t, &t.Steps[j])
		}
	}
	for i := range b.Identifiers {
		bd.addIdentifier(&b.Identifiers[i])
	}
	for i := range b.Cmdlets {
		bd.addCmdlet(&b.Cmdlets[i])
	}
	ix.finish()
	return ix
}

func (bd *indexBuilder) addPitfall(p *Pitfall) {
	bd.field(p.Title, wTitle)
	bd.field(p.ID, wSymptom)
	for _, s := range p.Symptoms {
		bd.field(s, wSymptom)
	}
	for _, k := range p.Keywords {
		bd.field(k, wSymptom)
	}
	bd.field(p.Cause, wCause)
	bd.field(p.Versions, wCause)
	bd.field(p.Fix, wFix)
	for _, c := range p.Commands {
		bd.field(c.Text, wFix)
	}
	bd.commit(indexEntry{kind: KindPitfall, id: p.ID, title: p.Title, pitfall: p,
		short: []string{p.ID, p.Title}})
}

func (bd *indexBuilder) addStep(t *Topology, s *Step) {
	bd.field(s.Title, wTitle)
	bd.field(s.ID, wSymptom)
	bd.field(s.What, wFix)
	bd.field(s.Why, wFix)
	for _, c := range s.Commands {
		bd.field(c.Text, wFix)
	}
	bd.field(s.Verify.Text, wMinor)
	for _, c := range s.Verify.Commands {
		bd.field(c.Text, wMinor)
	}
	bd.commit(indexEntry{kind: KindStep, id: s.ID, title: s.Title, step: s, topology: t,
		short: []string{s.ID, s.Title}})
}

func (bd *indexBuilder) addIdentifier(id *Identifier) {
	bd.field(id.Name, wTitle)
	bd.field(id.Value, wTitle)
	bd.field(id.ID, wSymptom)
	bd.field(id.Product, wCause)
	bd.field(id.Where, wCause)
	bd.field(id.Notes, wFix)
	for _, t := range id.Typos {
		bd.field(t.Value, wSymptom)
		bd.field(t.Note, wMinor)
	}
	bd.commit(indexEntry{kind: KindIdentifier, id: id.ID, title: id.Name, identifier: id,
		short: []string{id.ID, id.Name, id.Value}})
}

func (bd *indexBuilder) addCmdlet(c *Cmdlet) {
	bd.field(c.Name, wTitle)
	bd.field(c.Does, wCause)
	bd.field(c.Example, wFix)
	for _, f := range c.Fields {
		bd.field(f.Name, wFix)
	}
	bd.commit(indexEntry{kind: KindCmdlet, id: c.Name, title: c.Name, cmdlet: c,
		short: []string{c.Name}})
}

// field indexes one text of the current entry with weight w.
func (bd *indexBuilder) field(text string, w float32) {
	if text == "" {
		return
	}
	prev := int32(-1)
	lex(text, func(t lexTok) {
		// Stop words are skipped without breaking a phrase, exactly as in
		// a query, so "certificate with thumbprint" pairs certificate and
		// thumbprint on both sides.
		if t.class == clsGUIDFrag || (t.class == clsWord && stopWords[t.text]) {
			return
		}
		id := bd.ix.term(t.text)
		if bd.cur[id] < w {
			bd.cur[id] = w
		}
		if t.extra {
			return
		}
		if prev >= 0 {
			bd.curPair[pairKey(prev, id)] = struct{}{}
		}
		prev = id
	})
}

// commit files the terms of the current entry under a new entry id.
func (bd *indexBuilder) commit(e indexEntry) {
	ix := bd.ix
	for i, s := range e.short {
		e.short[i] = strings.ToLower(s)
	}
	eid := int32(len(ix.entries))
	ix.entries = append(ix.entries, e)
	for t, w := range bd.cur {
		ix.postings[t] = append(ix.postings[t], posting{entry: eid, weight: w})
		delete(bd.cur, t)
	}
	for k := range bd.curPair {
		ix.bigrams[k] = append(ix.bigrams[k], eid)
		delete(bd.curPair, k)
	}
}

func (ix *Index) term(s string) int32 {
	if id, ok := ix.termID[s]; ok {
		return id
	}
	id := int32(len(ix.terms))
	ix.termID[s] = id
	ix.terms = append(ix.terms, s)
	ix.postings = append(ix.postings, nil)
	return id
}

// finish sorts the vocabulary and buckets it by length.
func (ix *Index) finish() {
	ix.sorted = append([]string(nil), ix.terms...)
	sort.Strings(ix.sorted)
	for id, s := range ix.terms {
		n := len([]rune(s))
		for len(ix.byLen) <= n {
			ix.byLen = append(ix.byLen, nil)
		}
		ix.byLen[n] = append(ix.byLen[n], int32(id))
	}
	ix.maxIDF = math.Log(1 + float64(len(ix.entries)))
}

// idf weighs a term by how few entries hold it: rare words decide.
func (ix *Index) idf(df int) float64 {
	if df < 1 {
		df = 1
	}
	return math.Log(1 + float64(len(ix.entries))/float64(df))
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }
