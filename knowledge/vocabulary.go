package knowledge

import (
	"slices"
	"strings"
	"unicode"
)

// The domain vocabulary (assets/vocabulary.yaml) lists groups of words and
// phrases that mean the same thing to the people who search this base:
// free/busy and availability, renew and replace, photo and picture. A query
// word of a group also matches the other members, at a discount, so an
// entry written from the cause is found in the reporter's own words.

// Vocabulary is the domain vocabulary as loaded: groups of synonyms, each
// member a word or a short phrase.
type Vocabulary struct {
	Synonyms [][]string `yaml:"synonyms" json:"synonyms"`
	// StartingPoints answers the questions that name no symptom ("the
	// trust is broken, where do I start"): when a query holds one of the
	// phrases, the entries (the end-to-end test steps) are listed right
	// after the best hit.
	StartingPoints StartingPoints `yaml:"starting_points" json:"starting_points"`
}

// StartingPoints: see Vocabulary.
type StartingPoints struct {
	Phrases []string `yaml:"phrases" json:"phrases"`
	Entries []string `yaml:"entries" json:"entries"`
	// Topics are the words that put a question in this tool's domain even
	// when no entry matches it ("Exchange", "Lync", "server to server").
	Topics []string `yaml:"topics" json:"topics"`
}

// maxQuestionLen is how much of a query is read for a where-to-start phrase.
const maxQuestionLen = 600

// startScore is the least score a starting point is shown with.
const startScore = 0.5

// plainWords lowercases s and keeps its letters and digits, one space
// between words and one at each end, for whole-word phrase matching.
func plainWords(s string) string {
	var b strings.Builder
	b.WriteByte(' ')
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// containsAny reports whether q (plainWords form) holds one of the phrases.
func containsAny(q string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(q, p) {
			return true
		}
	}
	return false
}

// withStartingPoints puts the starting points into hits when the query asks
// where to start.
func (ix *Index) withStartingPoints(query string, hits []Hit, limit int) []Hit {
	// A question that nothing of ours answers ("how to check disk space
	// on Linux") stays out of domain.
	if len(ix.startPhrases) == 0 || len(ix.startEntries) == 0 {
		return hits
	}
	// A question is short; a long paste is not asking where to start, and
	// reading all of it on every keystroke would cost more than the search.
	if len(query) > maxQuestionLen {
		query = query[:maxQuestionLen]
	}
	q := plainWords(query)
	if !containsAny(q, ix.startPhrases) || len(hits) == 0 && !containsAny(q, ix.startTopics) {
		return hits
	}
	// Only the best hit, when it matches well, stays above the starting
	// points; they take the score of the hit they displace, so the list
	// stays in order.
	var out []Hit
	rest := hits
	if len(hits) > 0 && hits[0].Score >= startScore {
		out, rest = append(out, hits[0]), hits[1:]
	}
	score := startScore
	if len(rest) > 0 {
		score = max(score, rest[0].Score)
	}
	if len(out) > 0 {
		score = min(score, out[0].Score)
	}
	for _, e := range ix.startEntries {
		id := ix.entries[e].id
		if !slices.ContainsFunc(out, func(h Hit) bool { return h.ID == id }) {
			out = append(out, ix.entries[e].hit(score))
		}
	}
	for _, h := range rest {
		if !slices.ContainsFunc(out, func(o Hit) bool { return o.ID == h.ID }) {
			out = append(out, h)
		}
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// A multi-word member ("free/busy", "unified contact store") is held in
// the index as one more term, its stems joined by a space, wherever an
// entry has those words in a row; a single word of the group then reaches
// it, and the phrase in a query reaches the single words.

// memberStems lexes one vocabulary member into its stems as the index holds
// them (stop words dropped).
func memberStems(m string) []string {
	var out []string
	lex(m, func(t lexTok) {
		if t.extra || (t.class == clsWord && stopWords[t.text]) {
			return
		}
		out = append(out, t.text)
	})
	return out
}

// compileVocabulary turns the groups into lookups: each member (its stems
// joined by a space) to the other members of its group, and the multi-word
// members by their last word.
func compileVocabulary(v Vocabulary) (syn map[string][]string, phraseEnd map[string][][]string) {
	syn, phraseEnd = map[string][]string{}, map[string][][]string{}
	for _, g := range v.Synonyms {
		var keys []string
		for _, m := range g {
			stems := memberStems(m)
			if len(stems) == 0 {
				continue
			}
			k := strings.Join(stems, " ")
			if slices.Contains(keys, k) {
				continue
			}
			keys = append(keys, k)
			if len(stems) > 1 {
				last := stems[len(stems)-1]
				phraseEnd[last] = append(phraseEnd[last], stems)
			}
		}
		for _, k := range keys {
			for _, o := range keys {
				if o != k && !slices.Contains(syn[k], o) {
					syn[k] = append(syn[k], o)
				}
			}
		}
	}
	return syn, phraseEnd
}

// phrasesEnding returns the vocabulary phrases (stems joined by a space)
// that end with the last of the recent stems.
func phrasesEnding(phraseEnd map[string][][]string, recent []string) []string {
	if len(recent) == 0 {
		return nil
	}
	var out []string
	for _, ph := range phraseEnd[recent[len(recent)-1]] {
		if len(ph) <= len(recent) && slices.Equal(ph, recent[len(recent)-len(ph):]) {
			out = append(out, strings.Join(ph, " "))
		}
	}
	return out
}

// vocabulary lints the domain vocabulary: every group has two members or
// more, every member says something the index can hold, no member is in two
// groups, and every group meets the base (one member at least occurs in an
// entry), so a group cannot rot unnoticed.
func (l *linter) vocabulary() {
	ix := l.b.index
	if ix == nil {
		ix = buildIndex(l.b)
	}
	seen := map[string]int{}
	for gi, g := range l.b.Vocabulary.Synonyms {
		if len(g) < 2 {
			l.add("vocabulary group %d %v has fewer than two members; a synonym needs a partner", gi+1, g)
		}
		known := false
		for _, m := range g {
			stems := memberStems(m)
			if len(stems) == 0 {
				l.add("vocabulary group %d: member %q has no searchable word (empty, or stop words only)", gi+1, m)
				continue
			}
			key := strings.Join(stems, " ")
			if prev, dup := seen[key]; dup && prev == gi+1 {
				l.add("vocabulary group %d: %q stems like another member of the group; drop it", gi+1, m)
			} else if dup {
				l.add("vocabulary: %q is in group %d and group %d; merge them or drop one", m, prev, gi+1)
			}
			seen[key] = gi + 1
			all := true
			for _, s := range stems {
				if _, ok := ix.termID[s]; !ok {
					all = false
				}
			}
			known = known || all
		}
		if !known && len(g) > 0 {
			l.add("vocabulary group %d %v: no member occurs in any entry; the group does nothing", gi+1, g)
		}
	}
	sp := l.b.Vocabulary.StartingPoints
	if len(sp.Phrases) > 0 && len(sp.Entries) == 0 || len(sp.Phrases) == 0 && len(sp.Entries) > 0 {
		l.add("vocabulary starting_points: give both phrases and entries, or neither")
	}
	for _, p := range append(slices.Clone(sp.Phrases), sp.Topics...) {
		if strings.TrimSpace(plainWords(p)) == "" {
			l.add("vocabulary starting_points: phrase or topic %q has no word", p)
		}
	}
	for _, id := range sp.Entries {
		if !slices.ContainsFunc(ix.entries, func(e indexEntry) bool { return e.id == id }) {
			l.add("vocabulary starting_points: entry %q is not in the knowledge base", id)
		}
	}
}
