package knowledge

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchQueries are the query shapes the search must answer within a frame.
var benchQueries = map[string]string{
	"fragment": "code=5",
	"prefix":   "autodisc",
	"typo":     "iisrest",
	"pasted":   "Test-CsExStorageConnectivity : ExCreateItem exchange operations failed, code=5 at 11/3/2025 10:04:33 AM",
	"bearer":   `WWW-Authenticate: Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*"`,
	"negative": "kubernetes pod crashloop",
	"question": "the trust between exchange and skype is broken since we renewed the certificate, where do I start",
	"record":   "Test-CsExStorageConnectivity : ExCreateItem exchange operations failed, code=5 At line:1 char:1 + Test-CsExStorageConnectivity -SipUri sip:alice@contoso.com + CategoryInfo : InvalidOperation: (:) [Test-CsExStorageConnectivity], ExStorageException + FullyQualifiedErrorId : ExCreateItem,Microsoft.Rtc.Management.Internal.ExStorage.TestExStorageConnectivityCmdlet",
}

func BenchmarkSearchShipped(b *testing.B) {
	base := loadBase(b)
	for name, q := range benchQueries {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				base.Search(q, 10)
			}
		})
	}
}

func BenchmarkSearchSynthetic10k(b *testing.B) {
	base := syntheticBase(10000, loadBase(b))
	b.Logf("synthetic base: %d pitfalls, %d terms", len(base.Pitfalls), len(base.index.terms))
	for name, q := range benchQueries {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				base.Search(q, 10)
			}
		})
	}
}

// BenchmarkAsk measures the whole per-keystroke path of the TUI: paste
// recognition, then the search.
func BenchmarkAskShipped(b *testing.B) {
	base := loadBase(b)
	for name, q := range benchQueries {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				base.Ask(q, 10)
			}
		})
	}
}

func BenchmarkAskSynthetic10k(b *testing.B) {
	base := syntheticBase(10000, loadBase(b))
	for name, q := range benchQueries {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				base.Ask(q, 10)
			}
		})
	}
}

func BenchmarkBuildIndexShipped(b *testing.B) {
	base := loadBase(b)
	for b.Loop() {
		buildIndex(base)
	}
}

// syntheticBase makes n realistic pitfalls (titles, three symptoms, a
// cause and a fix of ~250 characters each) from the vocabulary of the real
// base, plus invented server names, event ids and error codes, and indexes
// them with Reindex, the exported hook.
func syntheticBase(n int, real *Base) *Base {
	r := rand.New(rand.NewPCG(1, 2))
	var words []string
	for _, p := range real.Pitfalls {
		words = append(words, strings.Fields(p.Cause+" "+p.Fix+" "+strings.Join(p.Symptoms, " "))...)
	}
	sentence := func(chars int) string {
		var sb strings.Builder
		for sb.Len() < chars {
			switch r.IntN(12) {
			case 0:
				fmt.Fprintf(&sb, "srv%03d.contoso%d.com ", r.IntN(1000), r.IntN(50))
			case 1:
				fmt.Fprintf(&sb, "code=%d ", r.IntN(700))
			case 2:
				fmt.Fprintf(&sb, "Event %d ", 1000+r.IntN(40000))
			default:
				sb.WriteString(words[r.IntN(len(words))])
				sb.WriteByte(' ')
			}
		}
		return strings.TrimSpace(sb.String())
	}
	b := &Base{}
	for i := range n {
		b.Pitfalls = append(b.Pitfalls, Pitfall{
			ID:       fmt.Sprintf("synthetic-%05d", i),
			Title:    sentence(60),
			Symptoms: []string{sentence(120), sentence(120), sentence(80)},
			Cause:    sentence(250),
			Fix:      sentence(250),
			Keywords: strings.Fields(sentence(40)),
			Sources:  []string{"seed:000_7d07d0ef459fd3ae.txt"},
		})
	}
	b.Reindex()
	return b
}

// TestSyntheticBaseSearch keeps the benchmark honest: the synthetic base
// answers, and an entry is found by its own title.
func TestSyntheticBaseSearch(t *testing.T) {
	base := syntheticBase(500, loadBase(t))
	p := base.Pitfalls[123]
	hits := base.Search(p.Title, 3)
	found := false
	for _, h := range hits {
		found = found || h.ID == p.ID
	}
	if !found {
		t.Errorf("synthetic pitfall not found by its title %q: %v", p.Title, hitIDs(hits))
	}
}
