package knowledge

import (
	"regexp"
	"strings"
	"testing"
)

var reSeedName = regexp.MustCompile(`seed:|\d{3}_[0-9a-f]{16}\.txt`)

func TestSourceLabel(t *testing.T) {
	b := fixtureBase(t, nil)
	got := b.SourceLabel("seed:001_b0c6884bb744772e.txt")
	want := "Configure partner applications in Skype for Business Server and Exchange Server — https://learn.microsoft.com/skypeforbusiness/deploy/integrate-with-exchange-server/configure-partner-applications"
	if got != want {
		t.Errorf("SourceLabel(seed 001) = %q, want %q", got, want)
	}
	if got := b.SourceLabel("seed:009_0123456789abcdef.txt"); reSeedName.MatchString(got) {
		t.Errorf("an unknown seed is shown by its file name: %q", got)
	}
	if got := b.SourceLabel("https://example.com/x"); got != "https://example.com/x" {
		t.Errorf("an unlisted URL should show as itself, got %q", got)
	}
	// A Base assembled by hand (no index) still finds its rows.
	hand := &Base{Sources: []Source{{Ref: "seed:000_7d07d0ef459fd3ae.txt", Title: "T", URL: "https://x.example/"}}}
	if got := hand.SourceLabel("seed:000_7d07d0ef459fd3ae.txt"); got != "T — https://x.example/" {
		t.Errorf("hand-built base: %q", got)
	}
}

// TestShippedSourcesReadable: every source the shipped base cites shows as a
// title (and an address where one exists), never as an internal file name.
func TestShippedSourcesReadable(t *testing.T) {
	b := loadBase(t)
	var refs []string
	for _, p := range b.Pitfalls {
		refs = append(refs, p.Sources...)
	}
	for _, tp := range b.Topologies {
		refs = append(refs, tp.Sources...)
		for _, s := range tp.Steps {
			refs = append(refs, s.Sources...)
		}
	}
	for _, id := range b.Identifiers {
		refs = append(refs, id.Sources...)
	}
	for _, c := range b.Cmdlets {
		refs = append(refs, c.Sources...)
	}
	if len(refs) < 100 {
		t.Fatalf("only %d cited sources found; the walk is broken", len(refs))
	}
	for _, r := range refs {
		s, ok := b.Source(r)
		if !ok {
			t.Errorf("%q is in no sources table", r)
			continue
		}
		label := b.SourceLabel(r)
		if reSeedName.MatchString(label) || strings.TrimSpace(s.Title) == "" {
			t.Errorf("%q shows as %q", r, label)
		}
	}
}
