package knowledge

import (
	"math"
	"sort"
	"strings"
	"sync"
)

// Fields: where in an entry a word occurs says how much the entry is about
// that word. A title is the entry's own name; symptoms, keywords and ids are
// what people type or paste; causes explain; fixes and commands mention many
// things in passing.
type fieldClass uint8

const (
	fTitle fieldClass = iota
	fSymptom
	fCause
	fFix
	fMinor
	nFields
)

// fieldWeight is the BM25F weight of each field class.
// (The weights and the BM25 parameters below were compared on the
// evaluation set; the differences between reasonable choices are a case or
// two.)
var fieldWeight = [nFields]float64{fTitle: 4.0, fSymptom: 3.0, fCause: 1.5, fFix: 0.7, fMinor: 0.5}

// BM25F parameters: k1 saturates repeated occurrences, b normalizes a field
// by its length (a word in a short title says more than one in a long fix).
const (
	bm25K1 = 0.8
	bm25B  = 0.25
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
	weight float32 // BM25F saturation of the term in the entry, 0..1 (1: once in an average title)
}

// fieldCounts counts a term's occurrences in each field of one entry until
// the average field lengths are known.
type fieldCounts [nFields]uint16

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
	// surface maps a word as written to its stemmed term, and surfSorted
	// lists those words, so that a prefix being typed ("certificat") still
	// reaches the stem ("certif").
	surface    map[string]int32
	surfSorted []string
	// synonyms maps a vocabulary member to the other members of its group
	// (assets/vocabulary.yaml); phraseEnd finds its multi-word members.
	synonyms  map[string][]string
	phraseEnd map[string][][]string
	// common is the background table of common technical English
	// (assets/commonwords.txt): stem to share per 10,000 files.
	common map[string]uint16
	// startPhrases (plainWords form) and startEntries: see StartingPoints.
	startPhrases []string
	startTopics  []string
	startEntries []int32

	scratchPool sync.Pool // *scratch, see getScratch

	counts  [][]fieldCounts   // per posting, dropped by finish
	lengths [][nFields]uint16 // per entry: tokens in each field
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
	cur     map[int32]*fieldCounts
	curLen  [nFields]uint16
	curPair map[uint64]struct{}
}

func buildIndex(b *Base) *Index {
	ix := &Index{termID: map[string]int32{}, bigrams: map[uint64][]int32{}, surface: map[string]int32{}}
	ix.synonyms, ix.phraseEnd = compileVocabulary(b.Vocabulary)
	ix.common = b.common
	bd := &indexBuilder{ix: ix, cur: map[int32]*fieldCounts{}, curPair: map[uint64]struct{}{}}
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
	for _, p := range b.Vocabulary.StartingPoints.Phrases {
		if p = plainWords(p); strings.TrimSpace(p) != "" {
			ix.startPhrases = append(ix.startPhrases, p)
		}
	}
	for _, p := range b.Vocabulary.StartingPoints.Topics {
		if p = plainWords(p); strings.TrimSpace(p) != "" {
			ix.startTopics = append(ix.startTopics, p)
		}
	}
	for _, id := range b.Vocabulary.StartingPoints.Entries {
		for e := range ix.entries {
			if ix.entries[e].id == id {
				ix.startEntries = append(ix.startEntries, int32(e))
				break
			}
		}
	}
	return ix
}

func (bd *indexBuilder) addPitfall(p *Pitfall) {
	bd.field(p.Title, fTitle)
	bd.field(p.ID, fSymptom)
	for _, s := range p.Symptoms {
		bd.field(s, fSymptom)
	}
	for _, k := range p.Keywords {
		bd.field(k, fSymptom)
	}
	bd.field(p.Cause, fCause)
	bd.field(p.Versions, fCause)
	bd.field(p.Fix, fFix)
	for _, c := range p.Commands {
		bd.field(c.Text, fFix)
	}
	bd.commit(indexEntry{kind: KindPitfall, id: p.ID, title: p.Title, pitfall: p,
		short: []string{p.ID, p.Title}})
}

func (bd *indexBuilder) addStep(t *Topology, s *Step) {
	bd.field(s.Title, fTitle)
	bd.field(s.ID, fSymptom)
	bd.field(s.What, fFix)
	bd.field(s.Why, fFix)
	for _, c := range s.Commands {
		bd.field(c.Text, fFix)
	}
	bd.field(s.Verify.Text, fMinor)
	for _, c := range s.Verify.Commands {
		bd.field(c.Text, fMinor)
	}
	bd.commit(indexEntry{kind: KindStep, id: s.ID, title: s.Title, step: s, topology: t,
		short: []string{s.ID, s.Title}})
}

func (bd *indexBuilder) addIdentifier(id *Identifier) {
	bd.field(id.Name, fTitle)
	bd.field(id.Value, fTitle)
	bd.field(id.ID, fSymptom)
	bd.field(id.Product, fCause)
	bd.field(id.Where, fCause)
	bd.field(id.Notes, fFix)
	for _, t := range id.Typos {
		bd.field(t.Value, fSymptom)
		bd.field(t.Note, fMinor)
	}
	bd.commit(indexEntry{kind: KindIdentifier, id: id.ID, title: id.Name, identifier: id,
		short: []string{id.ID, id.Name, id.Value}})
}

func (bd *indexBuilder) addCmdlet(c *Cmdlet) {
	bd.field(c.Name, fTitle)
	bd.field(c.Does, fCause)
	bd.field(c.Example, fFix)
	for _, f := range c.Fields {
		bd.field(f.Name, fFix)
	}
	bd.commit(indexEntry{kind: KindCmdlet, id: c.Name, title: c.Name, cmdlet: c,
		short: []string{c.Name}})
}

// field indexes one text of the current entry as part of field class f.
func (bd *indexBuilder) field(text string, f fieldClass) {
	if text == "" {
		return
	}
	prev := int32(-1)
	var recent []string // the last few stems, for vocabulary phrases
	lex(text, func(t lexTok) {
		// Stop words are skipped without breaking a phrase, exactly as in
		// a query, so "certificate with thumbprint" pairs certificate and
		// thumbprint on both sides.
		if t.class == clsGUIDFrag || (t.class == clsWord && stopWords[t.text]) {
			return
		}
		id := bd.ix.term(t.text)
		if t.surf != "" {
			if _, ok := bd.ix.surface[t.surf]; !ok {
				bd.ix.surface[t.surf] = id
			}
		}
		bd.count(id, f)
		if t.extra {
			return
		}
		if bd.curLen[f] < 0xffff {
			bd.curLen[f]++
		}
		if len(bd.ix.phraseEnd) > 0 {
			if len(recent) == maxPhraseWords {
				recent = recent[1:]
			}
			recent = append(recent, t.text)
			for _, ph := range phrasesEnding(bd.ix.phraseEnd, recent) {
				bd.count(bd.ix.term(ph), f)
			}
		}
		if prev >= 0 {
			bd.curPair[pairKey(prev, id)] = struct{}{}
		}
		prev = id
	})
}

// maxPhraseWords bounds the length of a vocabulary phrase.
const maxPhraseWords = 4

// count records one occurrence of term id in field f of the current entry.
func (bd *indexBuilder) count(id int32, f fieldClass) {
	c := bd.cur[id]
	if c == nil {
		c = &fieldCounts{}
		bd.cur[id] = c
	}
	if c[f] < 0xffff {
		c[f]++
	}
}

// commit files the terms of the current entry under a new entry id.
func (bd *indexBuilder) commit(e indexEntry) {
	ix := bd.ix
	for i, s := range e.short {
		e.short[i] = strings.ToLower(s)
	}
	eid := int32(len(ix.entries))
	ix.entries = append(ix.entries, e)
	ix.lengths = append(ix.lengths, bd.curLen)
	bd.curLen = [nFields]uint16{}
	for t, c := range bd.cur {
		ix.postings[t] = append(ix.postings[t], posting{entry: eid})
		ix.counts[t] = append(ix.counts[t], *c)
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
	ix.counts = append(ix.counts, nil)
	return id
}

// finish weighs the postings (BM25F, now that the average field lengths
// are known), sorts the vocabulary and buckets it by length.
func (ix *Index) finish() {
	var avg [nFields]float64
	for _, l := range ix.lengths {
		for f := range avg {
			avg[f] += float64(l[f])
		}
	}
	for f := range avg {
		avg[f] = max(1, avg[f]/float64(max(1, len(ix.lengths))))
	}
	// ref is the saturation of one occurrence in a title of average
	// length: the best a single mention can do.
	ref := fieldWeight[fTitle] / (bm25K1 + fieldWeight[fTitle])
	for t, ps := range ix.postings {
		for i := range ps {
			c, l := ix.counts[t][i], ix.lengths[ps[i].entry]
			var tf float64
			for f := range nFields {
				if c[f] > 0 {
					tf += fieldWeight[f] * float64(c[f]) / (1 - bm25B + bm25B*float64(max(l[f], 1))/avg[f])
				}
			}
			ps[i].weight = float32(min(1, tf/(bm25K1+tf)/ref))
		}
	}
	ix.counts, ix.lengths = nil, nil
	for w := range ix.surface {
		ix.surfSorted = append(ix.surfSorted, w)
	}
	sort.Strings(ix.surfSorted)
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
