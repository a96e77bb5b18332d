package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/knowledge"
)

func step() *knowledge.Step {
	st := &knowledge.Step{ID: "g-iisreset", Pitfalls: []string{"code5"}}
	st.Verify.Checks = []string{"dns.autodiscover", "bearer.ews"}
	return st
}

func TestJudge(t *testing.T) {
	st := step()
	r := func(id, status string, pitfalls ...string) engine.Result {
		return engine.Result{ID: id, Status: engine.Status(status), Pitfalls: pitfalls}
	}
	cases := []struct {
		name        string
		results     []engine.Result
		unavailable []string
		want        Verdict
		pitfalls    string
	}{
		{"pass", []engine.Result{r("dns.autodiscover", "pass"), r("bearer.ews", "pass")}, nil, Passed, ""},
		{"warn does not pass", []engine.Result{r("bearer.ews", "warn", "iisreset")}, nil, Failed, "iisreset"},
		{"fail names its pitfalls", []engine.Result{r("bearer.ews", "fail", "iisreset")}, nil, Failed, "iisreset"},
		{"fail without pitfalls falls back to the step's", []engine.Result{r("bearer.ews", "error")}, nil, Failed, "code5"},
		{"skipped after a failed dependency", []engine.Result{r("dns.autodiscover", "fail", "iisreset"), r("bearer.ews", "skipped")}, nil, Failed, "iisreset"},
		{"not run", nil, []string{"bearer.ews: needs credentials"}, Incomplete, ""},
		{"missing result", []engine.Result{r("dns.autodiscover", "pass")}, nil, Incomplete, ""},
	}
	for _, tc := range cases {
		got, ids := Judge(st, tc.results, tc.unavailable)
		if got != tc.want || strings.Join(ids, ",") != tc.pitfalls {
			t.Errorf("%s: verdict %d pitfalls %v, want %d %q", tc.name, got, ids, tc.want, tc.pitfalls)
		}
	}
}

// Narrow says why each check it cannot run is left out, and keeps the
// others with what they wait for.
func TestNarrow(t *testing.T) {
	full := &engine.Plan{
		Checks: []engine.Check{
			{Spec: knowledge.CheckSpec{ID: "dns.autodiscover"}},
			{Spec: knowledge.CheckSpec{ID: "tls.autodiscover"}, GatedBy: []string{"dns.autodiscover"}},
			{Spec: knowledge.CheckSpec{ID: "other"}},
		},
		NeedCredentials: []string{"ps.exchange"},
		NotImplemented:  []string{"future"},
	}
	plan, un := Narrow(full, []string{"tls.autodiscover", "ps.exchange", "future", "elsewhere"})
	if len(plan.Checks) != 2 || !plan.Has("dns.autodiscover") {
		t.Errorf("kept %d checks, want tls.autodiscover and its gate", len(plan.Checks))
	}
	want := []string{"no credentials", "not implemented", "not planned"}
	if len(un) != len(want) {
		t.Fatalf("unavailable %q", un)
	}
	for i, w := range want {
		if !strings.Contains(un[i], w) {
			t.Errorf("unavailable[%d] = %q, want it to say %q", i, un[i], w)
		}
	}
}

func TestRecordKeepsTheStepsChecks(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	d := Record(step(), []engine.Result{{ID: "bearer.ews", Status: engine.StatusPass}, {ID: "dep", Status: engine.StatusPass}}, now)
	if d.Step != "g-iisreset" || !d.When.Equal(now) || d.When.Location() != time.UTC {
		t.Errorf("record %+v", d)
	}
	if len(d.Checks) != 1 || d.Checks[0].ID != "bearer.ews" {
		t.Errorf("checks %+v, want only the step's own", d.Checks)
	}
}
