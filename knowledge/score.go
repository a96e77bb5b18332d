package knowledge

import (
	"math"
	"sort"
	"strings"

	"github.com/sahilm/fuzzy"
)

// scratch holds the per-query accumulators, dense over the entries.
type scratch struct {
	cover, field, phrase, fuzz []float32
	code                       []float32 // weight of the known codes the entry holds
	stamp                      []int32   // stamp[e] == current term+1: best is valid
	bestM, bestF               []float32
	touched                    []int32 // entries with any match, in first-seen order
	seen                       []bool
}

func newScratch(n int) *scratch {
	return &scratch{
		cover: make([]float32, n), field: make([]float32, n), phrase: make([]float32, n),
		fuzz: make([]float32, n), code: make([]float32, n), stamp: make([]int32, n),
		bestM: make([]float32, n), bestF: make([]float32, n), seen: make([]bool, n),
	}
}

// reset clears what a query wrote (only the entries it touched: every
// slot written belongs to one), so the scratch can serve the next query.
func (s *scratch) reset() {
	for _, e := range s.touched {
		s.cover[e], s.field[e], s.phrase[e], s.fuzz[e], s.code[e] = 0, 0, 0, 0, 0
		s.stamp[e], s.bestM[e], s.bestF[e], s.seen[e] = 0, 0, 0, false
	}
	s.touched = s.touched[:0]
}

// getScratch takes a clean scratch from the index's pool: allocating and
// clearing arrays over every entry for each keystroke costs more, at ten
// thousand entries, than the search itself.
func (ix *Index) getScratch() *scratch {
	if s, ok := ix.scratchPool.Get().(*scratch); ok && len(s.cover) == len(ix.entries) {
		return s
	}
	return newScratch(len(ix.entries))
}

func (ix *Index) putScratch(s *scratch) {
	s.reset()
	ix.scratchPool.Put(s)
}

func (s *scratch) touch(e int32) {
	if !s.seen[e] {
		s.seen[e] = true
		s.touched = append(s.touched, e)
	}
}

// fuzzyCandidates caps the fuzzy pass: sahilm/fuzzy is fast on short strings,
// but its cost grows with the total length it scans.
const (
	fuzzyCandidates  = 64
	fuzzyAllMaxBase  = 2000
	fuzzyMaxPattern  = 40
	fuzzyMinPattern  = 3
	fuzzyAllMinMatch = 0.75
)

func (ix *Index) search(query string, limit int) []Hit {
	terms, seq := ix.parseQuery(query)
	return ix.withStartingPoints(query, ix.rank(terms, seq, limit), limit)
}

// rank scores the entries against the resolved query terms and returns the
// hits that pass the bar, best first.
func (ix *Index) rank(terms []queryTerm, seq []int32, limit int) []Hit {
	if len(terms) == 0 || len(ix.entries) == 0 {
		return nil
	}
	var total float64
	for _, t := range terms {
		total += t.weight
	}
	s := ix.getScratch()
	defer ix.putScratch(s)
	ix.accumulate(terms, s)
	phraseTotal := ix.phrases(terms, seq, s)
	// Pairs form among known words only; their share is scaled by the share
	// of the query that is known, so "Event ID: 39999" (an unknown code)
	// earns no full phrase credit for "event id".
	var known, codes float64
	for _, t := range terms {
		if len(t.exps) > 0 {
			known += t.weight
		}
		if t.code {
			codes += t.weight
		}
	}
	if known > 0 {
		phraseTotal *= total / known
	}
	pattern := fuzzyPattern(terms)
	if len(s.touched) == 0 && len(terms) == 1 && len(ix.entries) <= fuzzyAllMaxBase {
		ix.fuzzyAll(pattern, s) // one unknown word: last resort for typos
	}
	type cand struct {
		e     int32
		score float64
	}
	var cands []cand
	bar := acceptBar(len(terms))
	for _, e := range s.touched {
		score := ix.mix(s, e, total, phraseTotal, false)
		var code float64
		if codes > 0 {
			code = float64(s.code[e]) / codes
			score = withCodes(score, code)
		}
		if score < bar && code < 0.5 && float64(s.fuzz[e]) < fuzzyAllMinMatch {
			continue
		}
		cands = append(cands, cand{e, score})
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	// The fuzzy bonus on short fields reorders the leading candidates only.
	if n := len(pattern); n >= fuzzyMinPattern && n <= fuzzyMaxPattern {
		top := cands[:min(len(cands), fuzzyCandidates)]
		for i := range top {
			e := top[i].e
			s.fuzz[e] = max(s.fuzz[e], fuzzyQuality(pattern, ix.entries[e].short))
			top[i].score = ix.mix(s, e, total, phraseTotal, true)
			if codes > 0 {
				top[i].score = withCodes(top[i].score, float64(s.code[e])/codes)
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.score != b.score {
			return a.score > b.score
		}
		ea, eb := &ix.entries[a.e], &ix.entries[b.e]
		if ka, kb := kindOrder(ea.kind), kindOrder(eb.kind); ka != kb {
			return ka < kb
		}
		return ea.id < eb.id
	})
	if limit > 0 && len(cands) > limit {
		cands = cands[:limit]
	}
	hits := make([]Hit, len(cands))
	for i, c := range cands {
		hits[i] = ix.entries[c.e].hit(c.score)
	}
	return hits
}

// accumulate adds, for every query term, its best match in each entry.
func (ix *Index) accumulate(terms []queryTerm, s *scratch) {
	var local []int32
	for qi, qt := range terms {
		stamp := int32(qi + 1)
		local = local[:0]
		for _, ex := range qt.exps {
			for _, p := range ix.postings[ex.term] {
				e := p.entry
				if s.stamp[e] != stamp {
					s.stamp[e] = stamp
					s.bestM[e], s.bestF[e] = 0, 0
					local = append(local, e)
				}
				s.bestM[e] = max(s.bestM[e], ex.factor)
				s.bestF[e] = max(s.bestF[e], ex.factor*p.weight)
			}
		}
		w := float32(qt.weight)
		for _, e := range local {
			s.cover[e] += w * s.bestM[e]
			s.field[e] += w * s.bestF[e]
			if qt.code {
				s.code[e] += w
			}
			s.touch(e)
		}
	}
}

// phrases credits entries holding adjacent query words side by side; it
// returns the weight all pairs could earn.
func (ix *Index) phrases(terms []queryTerm, seq []int32, s *scratch) float64 {
	weight := map[int32]float64{}
	for _, t := range terms {
		if t.exact >= 0 {
			weight[t.exact] = t.weight
		}
	}
	var total float64
	done := map[uint64]bool{}
	for i := 1; i < len(seq); i++ {
		a, b := seq[i-1], seq[i]
		if a < 0 || b < 0 || a == b {
			continue
		}
		k := pairKey(a, b)
		if done[k] {
			continue
		}
		done[k] = true
		w := min(weight[a], weight[b])
		total += w
		for _, e := range ix.bigrams[k] {
			s.phrase[e] += float32(w)
		}
	}
	return total
}

// codeMix is the share of the score that the known codes of a query
// decide: an entry holding the code of a paste ranks above every entry that
// only shares its words, and the words order the entries that hold it.
const codeMix = 0.5

func withCodes(score, code float64) float64 { return (1-codeMix)*score + codeMix*code }

// acceptBar is the score an entry needs to be shown for a query of n
// informative terms. A short query must be mostly answered by one entry
// (so "banana smoothie recipe" finds nothing rather than the least bad
// entry); a long text — a paste, a question in the reporter's words —
// holds words no single entry has, so the bar falls slowly with its
// length. The constants were fitted on the evaluation set
// (testdata/eval), where they keep the out-of-domain questions out.
func acceptBar(n int) float64 {
	return max(acceptBarMin, acceptBar1-acceptBarSlope*math.Log(float64(max(n, 1))))
}

var (
	acceptBar1     = 0.55
	acceptBarSlope = 0.08
	acceptBarMin   = 0.2
)

// mix combines the parts into a score in 0..1.
func (ix *Index) mix(s *scratch, e int32, total, phraseTotal float64, withFuzzy bool) float64 {
	field := float64(s.field[e]) / total
	cover := float64(s.cover[e]) / total
	var fz float64
	if withFuzzy {
		fz = float64(s.fuzz[e])
	}
	prior := kindPrior[ix.entries[e].kind]
	if phraseTotal == 0 {
		// No pairs to match: the phrase share goes to the field coverage.
		return prior * min(1, (mixField+mixPhrase)*field+mixCover*cover+mixFuzzy*fz)
	}
	ph := min(1, float64(s.phrase[e])/phraseTotal)
	return prior * min(1, mixField*field+mixCover*cover+mixPhrase*ph+mixFuzzy*fz)
}

// kindPrior gently favours pitfalls: the person searching is usually
// troubleshooting. An identifier still wins when the query is its value,
// because its value is its title.
var kindPrior = map[Kind]float64{KindPitfall: 1, KindStep: 0.97, KindIdentifier: 0.94, KindCmdlet: 0.94}

// fuzzyPattern is the query's informative words run together: the form in
// which sahilm/fuzzy tolerates a missing or swapped letter in a short name.
func fuzzyPattern(terms []queryTerm) string {
	var b strings.Builder
	for _, t := range terms {
		if t.text != badGUIDMarker {
			b.WriteString(t.text)
		}
	}
	return b.String()
}

// fuzzyQuality rates the best fuzzy match of pattern in the short fields:
// 1 for a contiguous match covering the field, less for scattered letters.
func fuzzyQuality(pattern string, fields []string) float32 {
	var best float32
	for _, m := range fuzzy.FindNoSort(pattern, fields) {
		runs := 1
		for i := 1; i < len(m.MatchedIndexes); i++ {
			if m.MatchedIndexes[i] != m.MatchedIndexes[i-1]+1 {
				runs++
			}
		}
		contiguity := 1 - float32(runs-1)/float32(len(m.MatchedIndexes))
		if runs > 1+len(pattern)/4 {
			contiguity = 0 // letters strewn over the field: chance, not a match
		}
		span := float32(len(pattern)) / float32(max(len(m.Str), 1))
		q := contiguity * (0.7 + 0.3*min(1, span))
		best = max(best, q)
	}
	return best
}

// fuzzyAll runs the fuzzy matcher over every entry's short fields. It is the
// fallback for a single word the vocabulary does not know at all.
func (ix *Index) fuzzyAll(pattern string, s *scratch) {
	if len(pattern) < 4 || len(pattern) > 24 {
		return
	}
	for i := range ix.entries {
		e := int32(i)
		if q := fuzzyQuality(pattern, ix.entries[i].short); q >= fuzzyAllMinMatch {
			s.fuzz[e] = q
			s.touch(e)
		}
	}
}

func kindOrder(k Kind) int {
	switch k {
	case KindPitfall:
		return 0
	case KindStep:
		return 1
	case KindIdentifier:
		return 2
	}
	return 3
}

func (e *indexEntry) hit(score float64) Hit {
	return Hit{Kind: e.kind, ID: e.id, Title: e.title, Score: score, Pitfall: e.pitfall,
		Step: e.step, Topology: e.topology, Identifier: e.identifier, Cmdlet: e.cmdlet}
}

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions, swaps of neighbours), giving up
// with limit+1 as soon as the distance must exceed limit.
func editDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
