package knowledge

import "strings"

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

// Index is the search index over a Base.
// PLACEHOLDER: the real index (token/phrase scoring + sahilm/fuzzy on short
// fields, noise normalisation) replaces this substring scan.
type Index struct {
	base *Base
}

func buildIndex(b *Base) *Index { return &Index{base: b} }

// Search returns at most limit hits for query, best first. A query that
// matches nothing relevant returns no hits.
func (b *Base) Search(query string, limit int) []Hit {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return nil
	}
	var out []Hit
	for i := range b.Pitfalls {
		p := &b.Pitfalls[i]
		if strings.Contains(strings.ToLower(p.Title+" "+strings.Join(p.Symptoms, " ")), q) {
			out = append(out, Hit{Kind: KindPitfall, ID: p.ID, Title: p.Title, Score: 0.5, Pitfall: p})
		}
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
