package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/knowledge"
)

// A narrowed plan keeps what each check waits for (dependencies and
// gates) and cuts every link to a check it left out: the engine would
// wait for a missing gate until the run's time limit.
func TestSubsetFollowsDependenciesAndGates(t *testing.T) {
	mk := func(id string, deps, gates []string) Check {
		return Check{Spec: knowledge.CheckSpec{ID: id}, DependsOn: deps, GatedBy: gates}
	}
	p := &Plan{Checks: []Check{
		mk("a", []string{"b"}, nil), mk("b", nil, nil), mk("c", nil, []string{"d"}),
		mk("d", []string{"gone"}, nil), mk("e", nil, nil),
	}}
	got := p.Subset([]string{"a", "c", "not-planned"})
	var ids []string
	for _, c := range got.Checks {
		ids = append(ids, c.Spec.ID)
		for _, l := range append(append([]string{}, c.DependsOn...), c.GatedBy...) {
			if l == "gone" || l == "e" {
				t.Errorf("%s keeps a link to %s, which is not in the plan", c.Spec.ID, l)
			}
		}
	}
	if strings.Join(ids, ",") != "a,b,c,d" {
		t.Fatalf("kept %v, want a,b,c,d", ids)
	}
	if len(p.Checks) != 5 || len(p.Checks[3].DependsOn) != 1 {
		t.Error("Subset changed the plan it was given")
	}
	if !p.Has("e") || got.Has("e") || len(p.Subset([]string{"nope"}).Checks) != 0 {
		t.Error("Has/Subset disagree about what a plan holds")
	}
}

// A re-run of one gated check (the TUI's r) runs its gate with it and
// needs no help from Run.
func TestSubsetOfAGatedCheckRuns(t *testing.T) {
	reg := NewRegistry()
	reg.Register("tls.autodiscover", func(context.Context, *Env) Result { return Result{Status: StatusPass, Summary: "ok"} })
	reg.Register("dns.autodiscover", func(context.Context, *Env) Result { return Result{Status: StatusPass, Summary: "ok"} })
	plan, err := NewPlan(loadKB(t), onpremProfile(), PlanOptions{Registry: reg, Only: []string{"dns.autodiscover", "tls.autodiscover"}})
	if err != nil {
		t.Fatal(err)
	}
	sub := plan.Subset([]string{"tls.autodiscover"})
	if len(sub.Checks) != 2 {
		t.Fatalf("subset holds %d checks, want tls.autodiscover and its gate", len(sub.Checks))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n := 0
	for r := range Run(ctx, sub, RunOptions{}) {
		n++
		if r.Status != StatusPass {
			t.Errorf("%s: %s %q, want pass", r.ID, r.Status, r.Summary)
		}
	}
	if n != 2 {
		t.Errorf("%d results, want 2", n)
	}
}

// A plan cut by hand that still links to a check it does not hold is a
// programming error: the check reports it at once instead of waiting for
// the run's time limit.
func TestRunReportsALinkToACheckNotInThePlan(t *testing.T) {
	reg := NewRegistry()
	reg.Register("tls.autodiscover", func(context.Context, *Env) Result { return Result{Status: StatusPass, Summary: "ok"} })
	reg.Register("dns.autodiscover", func(context.Context, *Env) Result { return Result{Status: StatusPass, Summary: "ok"} })
	plan, err := NewPlan(loadKB(t), onpremProfile(), PlanOptions{Registry: reg, Only: []string{"dns.autodiscover", "tls.autodiscover"}})
	if err != nil {
		t.Fatal(err)
	}
	var only []Check
	for _, c := range plan.Checks {
		if c.Spec.ID == "tls.autodiscover" {
			only = append(only, c) // still gated by dns.autodiscover
		}
	}
	plan.Checks = only
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The run's own time limit is an hour: a result arriving at all shows
	// the check did not wait for the missing gate.
	for r := range Run(ctx, plan, RunOptions{Timeout: time.Hour}) {
		if r.Status != StatusError || !strings.Contains(r.Summary, "dns.autodiscover") {
			t.Errorf("%s: %s %q, want an error naming the missing dns.autodiscover", r.ID, r.Status, r.Summary)
		}
	}
}
