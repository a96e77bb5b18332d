package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// Defaults for RunOptions.
const (
	DefaultCheckTimeout = 10 * time.Second
	DefaultRunTimeout   = 2 * time.Minute
)

// RunOptions bounds a run.
type RunOptions struct {
	CheckTimeout time.Duration // each check; 0 = DefaultCheckTimeout
	Timeout      time.Duration // the whole run; 0 = DefaultRunTimeout
	MaxParallel  int           // checks running at once; 0 = no limit
	// ShellCheckTimeout bounds each credentialed check; 0 =
	// DefaultShellCheckTimeout. Loading the Exchange or Skype for Business
	// cmdlets alone takes several seconds on a real server.
	ShellCheckTimeout time.Duration
}

// Time limits when a plan holds credentialed checks.
const (
	DefaultShellCheckTimeout = 90 * time.Second // one credentialed check
	DefaultShellRunTimeout   = 5 * time.Minute  // the whole run, when RunOptions.Timeout is 0
)

func (p *Plan) hasShellChecks() bool {
	for _, c := range p.Checks {
		if c.Spec.Credentials {
			return true
		}
	}
	return false
}

func (o RunOptions) timeoutFor(c Check) time.Duration {
	if !c.Spec.Credentials && c.Spec.Group != "fleet" {
		return o.CheckTimeout
	}
	if o.ShellCheckTimeout > 0 {
		return o.ShellCheckTimeout
	}
	return DefaultShellCheckTimeout
}

func (o RunOptions) withDefaults() RunOptions {
	if o.CheckTimeout <= 0 {
		o.CheckTimeout = DefaultCheckTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultRunTimeout
	}
	return o
}

// Run starts every check of the plan concurrently and sends each Result on
// the returned channel as soon as it is ready.
//
// Every planned check yields exactly one Result, and then the channel is
// closed. A check whose dependency failed, errored or was skipped is
// skipped with the reason; a dependency that warned still lets it run.
// When ctx is cancelled (or the run's Timeout passes) the running checks
// see their context end and return, and the checks not yet started are
// reported as skipped ("cancelled") at once, so a UI can close every row.
// The channel is buffered for the whole plan: a reader that stops reading
// never blocks the run, and no goroutine outlives the last check's return.
func Run(ctx context.Context, plan *Plan, opts RunOptions) <-chan Result {
	if opts.Timeout <= 0 && plan.hasShellChecks() {
		opts.Timeout = DefaultShellRunTimeout
	}
	opts = opts.withDefaults()
	out := make(chan Result, len(plan.Checks))
	runCtx, cancel := context.WithTimeout(ctx, opts.Timeout)
	r := &runner{plan: plan, opts: opts, caller: ctx, done: map[string]chan struct{}{}, results: map[string]Result{}}
	if opts.MaxParallel > 0 {
		r.sem = make(chan struct{}, opts.MaxParallel)
	}
	for _, c := range plan.Checks {
		r.done[c.Spec.ID] = make(chan struct{})
	}
	var wg sync.WaitGroup
	for _, c := range plan.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := r.runOne(runCtx, c)
			r.record(c.Spec.ID, res)
			out <- res
		}()
	}
	go func() {
		wg.Wait()
		cancel()
		close(out)
	}()
	return out
}

type runner struct {
	plan   *Plan
	opts   RunOptions
	caller context.Context // the caller's ctx, to tell cancel from the run's own deadline
	sem    chan struct{}

	mu      sync.Mutex
	done    map[string]chan struct{} // closed when the check's result is recorded
	results map[string]Result
}

// dangling returns a link of c to a check this run does not hold. Plans
// narrowed with Plan.Subset (or built by NewPlan) have none; waiting on
// one would hang the check until the run's time limit.
func (r *runner) dangling(c Check) string {
	for _, ids := range [][]string{c.DependsOn, c.GatedBy} {
		for _, id := range ids {
			if r.done[id] == nil {
				return id
			}
		}
	}
	return ""
}

func (r *runner) record(id string, res Result) {
	r.mu.Lock()
	r.results[id] = res
	r.mu.Unlock()
	close(r.done[id])
}

// runOne waits for the dependencies, then runs the check under its own
// deadline, and finishes the result (names, fix, duration).
func (r *runner) runOne(runCtx context.Context, c Check) Result {
	if d := r.dangling(c); d != "" {
		return r.finish(c, Result{Status: StatusError, Summary: fmt.Sprintf("internal error: the plan links this check to %s, which it does not hold (narrow a plan with Plan.Subset)", d)}, 0)
	}
	deps := map[string]Result{}
	for _, d := range c.DependsOn {
		select {
		case <-r.done[d]:
		case <-runCtx.Done():
			return r.finish(c, r.stopped(runCtx, false), 0)
		}
		r.mu.Lock()
		deps[d] = r.results[d]
		r.mu.Unlock()
	}
	for _, d := range c.DependsOn {
		if dep := deps[d]; dep.Status != StatusPass && dep.Status != StatusWarn {
			return r.finish(c, skippedFor(d, dep), 0)
		}
	}
	if r.sem != nil {
		select {
		case r.sem <- struct{}{}:
			defer func() { <-r.sem }()
		case <-runCtx.Done():
			return r.finish(c, r.stopped(runCtx, false), 0)
		}
	}
	if runCtx.Err() != nil {
		return r.finish(c, r.stopped(runCtx, false), 0)
	}
	checkCtx, cancel := context.WithTimeout(runCtx, r.opts.timeoutFor(c))
	defer cancel()
	env := &Env{Profile: r.plan.Profile, Vars: r.plan.Vars, Net: r.plan.Net, Target: c.Target, deps: deps,
		Shells: r.plan.Shells, HostShell: r.plan.HostShell}
	start := time.Now()
	res, gate, gateRes := r.callGated(runCtx, checkCtx, cancel, c, env)
	if gate != "" {
		if gateRes.Status == "" {
			return r.finish(c, r.stopped(runCtx, false), 0)
		}
		return r.finish(c, skippedFor(gate, gateRes), 0)
	}
	elapsed := time.Since(start)
	if checkCtx.Err() != nil && (res.Status == StatusError || res.Status == "") {
		if runCtx.Err() != nil {
			res = r.stopped(runCtx, true)
		} else {
			res.Status = StatusError
			res.Summary = joinSummary(fmt.Sprintf("no verdict within the check's time limit of %s", r.opts.timeoutFor(c)), res.Summary)
		}
	}
	if res.Status == "" {
		res.Status, res.Summary = StatusError, joinSummary("internal error: the check returned no status", res.Summary)
	}
	return r.finish(c, res, elapsed)
}

// call runs fn and turns a panic into an error result, so one broken check
// cannot take the whole run (or the TUI) down.
func call(ctx context.Context, fn CheckFunc, env *Env) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			res = Result{Status: StatusError, Summary: fmt.Sprintf("internal error: the check panicked: %v", p)}
			res.Add("stack", string(debug.Stack()))
		}
	}()
	return fn(ctx, env)
}

// stopped is the result of a check the run stopped: cancelled by the
// caller, or cut by the run's own time limit.
func (r *runner) stopped(runCtx context.Context, wasRunning bool) Result {
	if r.caller.Err() != nil || !errors.Is(runCtx.Err(), context.DeadlineExceeded) {
		return Result{Status: StatusSkipped, Summary: "cancelled"}
	}
	if wasRunning {
		return Result{Status: StatusError, Summary: fmt.Sprintf("no verdict before the run's time limit of %s", r.opts.Timeout)}
	}
	return Result{Status: StatusSkipped, Summary: fmt.Sprintf("not started: the run's time limit of %s was reached", r.opts.Timeout)}
}

// skippedFor explains a skip by the dependency that did not pass.
func skippedFor(depID string, dep Result) Result {
	var why string
	switch dep.Status {
	case StatusFail:
		why = "failed"
	case StatusError:
		why = "could not finish"
	default:
		why = "was skipped"
	}
	res := Result{Status: StatusSkipped, Summary: fmt.Sprintf("skipped: %s %s: %s", depID, why, dep.Summary)}
	if dep.Summary == "" {
		res.Summary = fmt.Sprintf("skipped: %s %s", depID, why)
	}
	res.Add("dependency", depID+": "+string(dep.Status))
	return res
}

func joinSummary(head, tail string) string {
	if tail == "" {
		return head
	}
	return head + ": " + tail
}

// finish fills what the engine owns: names from the spec, the target when
// the check did not refine it, the duration, the insecure flag and the fix.
func (r *runner) finish(c Check, res Result, elapsed time.Duration) Result {
	res.ID, res.Group, res.Title = c.Spec.ID, c.Spec.Group, c.Spec.Title
	if res.Target == "" {
		res.Target = c.Target
	}
	res.Duration = elapsed
	if r.plan.Net.Insecure && usesTLS(c.Spec.Group) && res.Status != StatusSkipped {
		res.Insecure = true
	}
	r.plan.explain(&res)
	makeSafe(&res, r.plan.Redact)
	return res
}

func usesTLS(group string) bool { return group == "tls" || group == "metadata" || group == "bearer" }

// callGated runs the check while its gates finish. It returns the check's
// result, or — when a gate did not pass or warn, or the run ended first —
// the gate's id and result (an empty result when the run ended); the
// check is then cancelled and waited for, so no goroutine outlives it.
func (r *runner) callGated(runCtx, checkCtx context.Context, cancel context.CancelFunc, c Check, env *Env) (Result, string, Result) {
	if len(c.GatedBy) == 0 {
		return call(checkCtx, c.Run, env), "", Result{}
	}
	resCh := make(chan Result, 1)
	go func() { resCh <- call(checkCtx, c.Run, env) }()
	for _, g := range c.GatedBy {
		select {
		case <-r.done[g]:
		case <-runCtx.Done():
			cancel()
			<-resCh
			return Result{}, g, Result{}
		}
		r.mu.Lock()
		gr := r.results[g]
		r.mu.Unlock()
		if gr.Status != StatusPass && gr.Status != StatusWarn {
			cancel()
			<-resCh
			return Result{}, g, gr
		}
	}
	return <-resCh, "", Result{}
}
