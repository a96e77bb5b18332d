package engine

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/knowledge"
)

type fake struct {
	id, group string
	deps      []string
	pitfalls  []string
	fn        CheckFunc
}

// fakePlan builds a plan of fake checks (dependencies as given), with the
// real knowledge base for fixes.
func fakePlan(t testing.TB, checks ...fake) *Plan {
	t.Helper()
	plan := &Plan{Profile: onpremProfile().Effective(), Topology: "onprem", Vars: onpremProfile().Vars(), kb: loadKB(t)}
	for _, f := range checks {
		g := f.group
		if g == "" {
			g = "dns"
		}
		plan.Checks = append(plan.Checks, Check{
			Spec:   knowledge.CheckSpec{ID: f.id, Group: g, Title: "title of " + f.id, Pitfalls: f.pitfalls},
			Target: "target-" + f.id, Run: f.fn, DependsOn: f.deps,
		})
	}
	return plan
}

func status(s Status, summary string) CheckFunc {
	return func(context.Context, *Env) Result { return Result{Status: s, Summary: summary} }
}

// blockUntilDone is a check that only returns when its context ends.
func blockUntilDone(started *atomic.Int32) CheckFunc {
	return func(ctx context.Context, _ *Env) Result {
		started.Add(1)
		<-ctx.Done()
		return Result{Status: StatusError, Summary: ctx.Err().Error()}
	}
}

func collect(ch <-chan Result) map[string]Result {
	out := map[string]Result{}
	for r := range ch {
		out[r.ID] = r
	}
	return out
}

func TestRunDependencies(t *testing.T) {
	plan := fakePlan(t,
		fake{id: "dns.pool", fn: status(StatusFail, "pool01.contoso.com did not resolve")},
		fake{id: "tls.pool", deps: []string{"dns.pool"}, fn: status(StatusPass, "")},
		fake{id: "meta", deps: []string{"tls.pool"}, fn: status(StatusPass, "")},
		fake{id: "warned", fn: status(StatusWarn, "expires soon")},
		fake{id: "after-warn", deps: []string{"warned"}, fn: func(_ context.Context, env *Env) Result {
			dep, ok := env.Dependency("warned")
			if !ok || dep.Status != StatusWarn || env.Fact("warned", "x") != "" {
				return Result{Status: StatusFail, Summary: "dependency not visible"}
			}
			return Result{Status: StatusPass}
		}},
		fake{id: "errored", fn: status(StatusError, "connection refused")},
		fake{id: "after-error", deps: []string{"errored"}, fn: status(StatusPass, "")},
	)
	got := collect(Run(context.Background(), plan, RunOptions{}))
	if len(got) != len(plan.Checks) {
		t.Fatalf("%d results for %d checks", len(got), len(plan.Checks))
	}
	want := map[string]Status{"dns.pool": StatusFail, "tls.pool": StatusSkipped, "meta": StatusSkipped,
		"warned": StatusWarn, "after-warn": StatusPass, "errored": StatusError, "after-error": StatusSkipped}
	for id, st := range want {
		if got[id].Status != st {
			t.Errorf("%s: %s (%s), want %s", id, got[id].Status, got[id].Summary, st)
		}
	}
	if s := got["tls.pool"].Summary; s != "skipped: dns.pool failed: pool01.contoso.com did not resolve" {
		t.Errorf("skip reason %q", s)
	}
	if s := got["meta"].Summary; !strings.HasPrefix(s, "skipped: tls.pool was skipped") {
		t.Errorf("transitive skip reason %q", s)
	}
	if r := got["tls.pool"]; r.Title != "title of tls.pool" || r.Target != "target-tls.pool" || r.Group != "dns" {
		t.Errorf("engine-filled fields: %+v", r)
	}
}

func TestRunFactsReachDependants(t *testing.T) {
	plan := fakePlan(t,
		fake{id: "a", fn: func(context.Context, *Env) Result {
			r := Result{Status: StatusPass}
			r.SetFact(FactRealm, "contoso.com")
			return r
		}},
		fake{id: "b", deps: []string{"a"}, fn: func(_ context.Context, env *Env) Result {
			return Result{Status: StatusPass, Summary: env.Fact("a", FactRealm)}
		}},
	)
	if got := collect(Run(context.Background(), plan, RunOptions{})); got["b"].Summary != "contoso.com" {
		t.Fatalf("fact not passed: %+v", got["b"])
	}
}

func TestRunCheckTimeout(t *testing.T) {
	var started atomic.Int32
	plan := fakePlan(t, fake{id: "slow", fn: blockUntilDone(&started)}, fake{id: "fast", fn: status(StatusPass, "")})
	got := collect(Run(context.Background(), plan, RunOptions{CheckTimeout: 50 * time.Millisecond}))
	r := got["slow"]
	if r.Status != StatusError || !strings.Contains(r.Summary, "time limit of 50ms") {
		t.Fatalf("slow check: %s %q", r.Status, r.Summary)
	}
	if got["fast"].Status != StatusPass {
		t.Fatalf("fast check: %+v", got["fast"])
	}
}

func TestRunCancelMidRun(t *testing.T) {
	var started atomic.Int32
	plan := fakePlan(t,
		fake{id: "b1", fn: blockUntilDone(&started)},
		fake{id: "b2", fn: blockUntilDone(&started)},
		fake{id: "dep", deps: []string{"b1"}, fn: status(StatusPass, "")},
		fake{id: "b3", fn: blockUntilDone(&started)},
	)
	ctx, cancel := context.WithCancel(context.Background())
	ch := Run(ctx, plan, RunOptions{MaxParallel: 2, CheckTimeout: time.Minute})
	for started.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	begin := time.Now()
	cancel()
	got := collect(ch)
	if waited := time.Since(begin); waited > 2*time.Second {
		t.Errorf("cancel took %s to close the channel", waited)
	}
	if len(got) != 4 {
		t.Fatalf("every check must be reported once, got %d", len(got))
	}
	if n := started.Load(); n != 2 {
		t.Errorf("%d checks started with MaxParallel 2; the queued one must never start", n)
	}
	for _, id := range []string{"b1", "b2", "dep", "b3"} {
		if got[id].Status != StatusSkipped || got[id].Summary != "cancelled" {
			t.Errorf("%s: %s %q, want skipped/cancelled", id, got[id].Status, got[id].Summary)
		}
	}
}

func TestRunOverallTimeout(t *testing.T) {
	var started atomic.Int32
	plan := fakePlan(t, fake{id: "b", fn: blockUntilDone(&started)}, fake{id: "after", deps: []string{"b"}, fn: status(StatusPass, "")})
	got := collect(Run(context.Background(), plan, RunOptions{Timeout: 50 * time.Millisecond, CheckTimeout: time.Minute}))
	if r := got["b"]; r.Status != StatusError || !strings.Contains(r.Summary, "run's time limit") {
		t.Errorf("running check at the run deadline: %s %q", r.Status, r.Summary)
	}
	if r := got["after"]; r.Status != StatusSkipped {
		t.Errorf("waiting check at the run deadline: %s %q", r.Status, r.Summary)
	}
}

func TestRunReaderStopsReading(t *testing.T) {
	// Nobody reads the channel: the run must still finish and close it
	// (goleak in TestMain proves no goroutine is left behind).
	plan := fakePlan(t, fake{id: "a", fn: status(StatusPass, "")}, fake{id: "b", fn: status(StatusPass, "")})
	ch := Run(context.Background(), plan, RunOptions{})
	deadline := time.After(5 * time.Second)
	for len(ch) < 2 {
		select {
		case <-deadline:
			t.Fatal("results not buffered")
		default:
			time.Sleep(time.Millisecond)
		}
	}
}

func TestRunPanicAndEmptyStatus(t *testing.T) {
	plan := fakePlan(t,
		fake{id: "panics", fn: func(context.Context, *Env) Result { panic("boom") }},
		fake{id: "empty", fn: func(context.Context, *Env) Result { return Result{} }},
	)
	got := collect(Run(context.Background(), plan, RunOptions{}))
	if r := got["panics"]; r.Status != StatusError || !strings.Contains(r.Summary, "boom") {
		t.Errorf("panic: %+v", r)
	}
	if r := got["empty"]; r.Status != StatusError || !strings.Contains(r.Summary, "no status") {
		t.Errorf("empty: %+v", r)
	}
}

func TestFixFromPitfalls(t *testing.T) {
	plan := fakePlan(t,
		fake{id: "jason", group: "metadata", fn: func(context.Context, *Env) Result {
			return Result{Status: StatusFail, Pitfalls: []string{"metadata-url-jason", "metadata-url-jason", "no-such-pitfall"}}
		}},
		fake{id: "ok", fn: func(context.Context, *Env) Result {
			return Result{Status: StatusPass, Pitfalls: []string{"metadata-url-jason"}}
		}},
	)
	plan.Net.Insecure = true
	got := collect(Run(context.Background(), plan, RunOptions{}))
	r := got["jason"]
	if len(r.Pitfalls) != 2 {
		t.Errorf("pitfalls not deduplicated: %v", r.Pitfalls)
	}
	if r.Fix.Text == "" || len(r.Fix.Commands) == 0 {
		t.Fatalf("no fix from the pitfall: %+v", r.Fix)
	}
	cmd := r.Fix.Commands[0].Text
	if strings.Contains(cmd, "{{") || !strings.Contains(cmd, "https://pool01.contoso.com/metadata/json/1") {
		t.Errorf("command not rendered with the profile: %q", cmd)
	}
	if !r.Insecure || got["ok"].Insecure {
		t.Errorf("insecure flag: metadata %v, dns %v", r.Insecure, got["ok"].Insecure)
	}
	if !got["ok"].Fix.Empty() {
		t.Errorf("a pass gets no fix: %+v", got["ok"].Fix)
	}
}

// A gated check runs beside its gate instead of after it, and is skipped
// with the gate's reason when the gate fails.
func TestGatedChecksRunBesideTheirGates(t *testing.T) {
	reg := NewRegistry()
	started := make(chan struct{})
	reg.Register("dns.autodiscover", func(ctx context.Context, _ *Env) Result {
		select { // the gate finishes only after the gated check has started
		case <-started:
		case <-ctx.Done():
		}
		return Result{Status: StatusPass, Summary: "resolves"}
	})
	reg.Register("tls.autodiscover", func(ctx context.Context, _ *Env) Result {
		close(started)
		return Result{Status: StatusPass, Summary: "trusted"}
	})
	kb := loadKB(t)
	plan, err := NewPlan(kb, onpremProfile(), PlanOptions{Registry: reg, Only: []string{"dns.autodiscover", "tls.autodiscover"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got := map[string]Result{}
	for r := range Run(ctx, plan, RunOptions{}) {
		got[r.ID] = r
	}
	if got["tls.autodiscover"].Status != StatusPass || got["dns.autodiscover"].Status != StatusPass {
		t.Fatalf("the gated check did not run beside its gate: %+v", got)
	}

	failing := NewRegistry()
	failing.Register("dns.autodiscover", func(context.Context, *Env) Result {
		return Result{Status: StatusFail, Summary: "no such host"}
	})
	failing.Register("tls.autodiscover", func(ctx context.Context, _ *Env) Result {
		<-ctx.Done() // would hang forever without the gate stopping it
		return Result{Status: StatusError, Summary: "stopped"}
	})
	plan, err = NewPlan(kb, onpremProfile(), PlanOptions{Registry: failing, Only: []string{"dns.autodiscover", "tls.autodiscover"}})
	if err != nil {
		t.Fatal(err)
	}
	got = map[string]Result{}
	for r := range Run(ctx, plan, RunOptions{}) {
		got[r.ID] = r
	}
	if r := got["tls.autodiscover"]; r.Status != StatusSkipped || !strings.Contains(r.Summary, "dns.autodiscover") {
		t.Errorf("gated check after a failed gate: %s %q, want skipped naming dns.autodiscover", r.Status, r.Summary)
	}
}
