package knowledge

import (
	"slices"
	"testing"
)

// TestAskPastedForms: a message found on its own is found the same when it
// arrives inside a PowerShell error record, flattened to one line, inside
// an Event Viewer text, or in a log line.
func TestAskPastedForms(t *testing.T) {
	b := loadBase(t)
	const want = "exstorage-code5-rtcuniversaluseradmins"
	bare := "Test-CsExStorageConnectivity : ExCreateItem exchange operations failed, code=5"
	forms := map[string]string{
		"bare": bare,
		"record": bare + "\nAt line:1 char:1\n+ Test-CsExStorageConnectivity -SipUri sip:alice@contoso.com\n+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n" +
			"    + CategoryInfo          : InvalidOperation: (:) [Test-CsExStorageConnectivity], ExStorageException\n" +
			"    + FullyQualifiedErrorId : ExCreateItem,Microsoft.Rtc.Management.Internal.ExStorage.TestExStorageConnectivityCmdlet",
		"one line": bare + " At line:1 char:1 + Test-CsExStorageConnectivity -SipUri sip:alice@contoso.com + ~~~~~~~~~~~~~ + CategoryInfo : InvalidOperation: (:) [Test-CsExStorageConnectivity], ExStorageException + FullyQualifiedErrorId : ExCreateItem,Microsoft.Rtc.Management.Internal.ExStorage.TestExStorageConnectivityCmdlet",
		"log line": "2025-11-03T10:04:33.123Z [FE01] ERROR corr=5d1c0f2e-8f7a-4b3c-9d2e-1a2b3c4d5e6f " + bare,
	}
	for name, q := range forms {
		a := b.Ask(q, 3)
		if len(a.Hits) == 0 || a.Hits[0].ID != want {
			t.Errorf("%s: want %s first, got %v (recognized %v)", name, want, hitIDs(a.Hits), a.Recognized.Forms)
		}
	}
}

// TestAskUnknownCode: a code no entry knows is reported, and the common
// words around it ("event", "service") do not carry a hit on their own.
func TestAskUnknownCode(t *testing.T) {
	b := loadBase(t)
	for _, q := range []string{"Event ID: 39999", "event 39999 occurred on the server", "Log Name: Application Event ID: 39999 Level: Error"} {
		a := b.Ask(q, 5)
		if !slices.Contains(a.Unknown, "event 39999") {
			t.Errorf("%q: event 39999 not reported unknown: %v", q, a.Unknown)
		}
		if len(a.Hits) > 0 {
			t.Errorf("%q: an unknown event id answered with %v", q, hitIDs(a.Hits))
		}
		if a.OutOfDomain {
			t.Errorf("%q: a paste with an unknown code is not out of domain", q)
		}
	}
	// The words around an unknown code may still answer, and the code is
	// still reported.
	a := b.Ask("Event ID: 39999 Source: LS Storage Service", 5)
	if !slices.Contains(a.Unknown, "event 39999") {
		t.Errorf("event 39999 beside a known source not reported unknown: %v", a.Unknown)
	}
	// A known code dominates the words around it.
	a = b.Ask(`x-ms-diagnostics: 2000005;reason="The user specified by the user-context in the token does not exist.";error_category="invalid_user"`, 3)
	if len(a.Unknown) > 0 || len(a.Hits) == 0 || a.Hits[0].ID != "xmsdiag-2000005-user-not-found" {
		t.Errorf("2000005: got %v, unknown %v", hitIDs(a.Hits), a.Unknown)
	}
}

// TestAskOutOfDomain: a question about something else returns nothing and
// says so.
func TestAskOutOfDomain(t *testing.T) {
	b := loadBase(t)
	for _, q := range []string{"banana smoothie recipe", "how do I bake sourdough bread", "kubernetes pod crashloop",
		"how do I check disk space on linux", "where do I start learning the guitar"} {
		a := b.Ask(q, 5)
		if len(a.Hits) > 0 || !a.OutOfDomain {
			t.Errorf("%q: want out of domain and no hits, got %v (out of domain %v)", q, hitIDs(a.Hits), a.OutOfDomain)
		}
	}
	// A question about the tool's subject that nothing answers is not out
	// of domain: it is a gap.
	if a := b.Ask("exchange zorblax frobnication", 5); a.OutOfDomain {
		t.Errorf("a question naming Exchange is not out of domain: %+v", hitIDs(a.Hits))
	}
	if a := b.Ask("   ", 5); a.OutOfDomain || len(a.Hits) > 0 {
		t.Errorf("blank input: got %+v", a)
	}
}

// TestAskStartingPoint: a question with no symptom in it lands on the
// starting point, the end-to-end test step that exercises the whole chain.
func TestAskStartingPoint(t *testing.T) {
	b := loadBase(t)
	starts := []string{"xmsdiag-reading-the-header", "onprem-test-exstorage", "hybrid-test-end-to-end", "sfbonline-test-end-to-end"}
	for _, q := range []string{
		"the trust is broken, where do I start",
		"where do I start troubleshooting the Exchange and Skype for Business integration",
		"how do I test the OAuth trust between Exchange and Lync",
		"oauth between exchange and skype stopped working, how to diagnose",
	} {
		a := b.Ask(q, 3)
		if !slices.ContainsFunc(a.Hits, func(h Hit) bool { return slices.Contains(starts, h.ID) }) {
			t.Errorf("%q: want a test step in the top 3, got %v", q, hitIDs(a.Hits))
		}
	}
}

// TestSearchScratchReuse: the pooled per-query scratch leaves nothing
// behind; the same query gives the same hits whatever ran before it.
func TestSearchScratchReuse(t *testing.T) {
	b := loadBase(t)
	queries := append(slices.Clone(negativeQueries), "code=5", "clock skew", "autodisc", "iisrest",
		"Event 32053 LS Storage Service", `x-ms-diagnostics: 2000005;reason="The user specified by the user-context in the token does not exist."`)
	first := map[string][]Hit{}
	for _, q := range queries {
		first[q] = b.Ask(q, 10).Hits
	}
	for i := len(queries) - 1; i >= 0; i-- {
		q := queries[i]
		again := b.Ask(q, 10).Hits
		if !slices.EqualFunc(first[q], again, func(x, y Hit) bool { return x.ID == y.ID && x.Score == y.Score }) {
			t.Errorf("%q: %v the first time, %v after other queries", q, hitIDs(first[q]), hitIDs(again))
		}
	}
}
