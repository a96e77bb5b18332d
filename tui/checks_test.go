package tui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"go.uber.org/goleak"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/profile"
)

func TestChecksResultsStreamAndRender(t *testing.T) {
	a := newAsyncDriver(t, checksOptions(t, finishedRegistry(), engine.RunOptions{}), 120, 40)
	a.mustShow("Checks", "(C)")
	a.key("C")
	a.pumpUntil("the run to finish", a.runOver)
	want := map[string]engine.Status{
		"dns.autodiscover": engine.StatusFail, "dns.pool": engine.StatusPass, "bearer.ews": engine.StatusWarn,
		"tls.autodiscover": engine.StatusSkipped, "metadata.exchange": engine.StatusSkipped,
	}
	for id, st := range want {
		if r := a.row(id); r.res == nil || r.res.Status != st {
			t.Errorf("%s: got %+v, want status %s", id, r.res, st)
		}
	}
	s := a.screen()
	for _, w := range []string{
		"✗ Autodiscover name resolves", "✓ Skype for Business pool resolves", "! EWS answers a Bearer challenge",
		"- Autodiscover certificate is valid", "- Exchange metadata document",
		"1 ✓ pass · 1 ! warn · 1 ✗ fail · 0 E error · 2 - skipped",
		"Not run: 1 need PowerShell credentials (ps.exchange.partnerapp)",
		"DNS", "TLS", "METADATA", "BEARER",
	} {
		if !strings.Contains(s, w) {
			t.Errorf("screen lacks %q:\n%s", w, s)
		}
	}
	if strings.Contains(s, "VERIFICATION WAS OFF") {
		t.Errorf("the insecure banner shows for a verified run:\n%s", s)
	}
	a.settle()
}

func (a *asyncDriver) mustShow(want ...string) {
	a.t.Helper()
	for _, w := range want {
		if !strings.Contains(a.screen(), w) {
			a.t.Fatalf("screen lacks %q:\n%s", w, a.screen())
		}
	}
}

// A check that hangs until cancelled: keys still answer at once, esc ends
// the run promptly with the check skipped as "cancelled", and after quit
// no goroutine is left (the engine's, the reader's, the spinner's).
func TestChecksCancelHangingCheck(t *testing.T) {
	defer goleak.VerifyNone(t)
	started := make(chan string, 4)
	reg := finishedRegistry()
	reg.Register("bearer.ews", blockUntilDone(started, "bearer.ews"))
	a := newAsyncDriver(t, checksOptions(t, reg, engine.RunOptions{CheckTimeout: time.Hour, Timeout: time.Hour}), 120, 40)
	a.key("C")
	// Every check but the hanging one ends first (the two that depend on
	// the failing DNS check end skipped), so esc below can only cut off
	// bearer.ews: under load dns.autodiscover could still be pending.
	for _, id := range []string{"dns.pool", "dns.autodiscover", "tls.autodiscover", "metadata.exchange"} {
		a.pumpUntil("the fast check "+id+" to finish", a.finished(id))
	}
	<-started
	if !a.checks().running || !a.row("bearer.ews").running {
		t.Fatalf("the hanging check is not shown as running:\n%s", a.screen())
	}
	// Update must return while the check hangs: a key that blocked would
	// trip the deadline instead of hanging the test.
	done := make(chan struct{})
	go func() { a.key("down"); a.key("tab"); a.key("shift+tab"); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a key press blocked while a check hangs")
	}
	if !strings.Contains(a.screen(), "esc cancel the run") {
		t.Errorf("while running, the footer does not offer esc to cancel:\n%s", a.screen())
	}
	a.key("esc")
	if a.m.current() != screenChecks {
		t.Fatalf("esc during a run left the screen instead of cancelling it")
	}
	a.pumpUntil("the cancelled run to end", a.runOver)
	if r := a.row("bearer.ews").res; r == nil || r.Status != engine.StatusSkipped || r.Summary != "cancelled" {
		t.Fatalf("the cancelled check reads %+v, want skipped / cancelled", r)
	}
	a.mustShow("- EWS answers a Bearer challenge", "3 - skipped")
	a.key("esc") // no run now: back to Home
	if a.m.current() != screenHome {
		t.Errorf("esc after the run did not go back; screen %v", a.m.current())
	}
	a.key("q")
	a.settle()
	if !a.quit {
		t.Error("q did not quit")
	}
}

// R while a run hangs starts a new run; the old run's late results (its
// cancelled check) carry the old id and never overwrite the new ones.
func TestChecksStaleResultsDropped(t *testing.T) {
	defer goleak.VerifyNone(t)
	var calls atomic.Int32
	oldDone := make(chan struct{})
	reg := finishedRegistry()
	reg.Register("bearer.ews", func(ctx context.Context, _ *engine.Env) engine.Result {
		if calls.Add(1) == 1 {
			<-ctx.Done()
			close(oldDone)
			return engine.Result{Status: engine.StatusFail, Summary: "stale run"}
		}
		<-oldDone // the new result lands after the stale one is on its way
		return engine.Result{Status: engine.StatusPass, Summary: "fresh run"}
	})
	a := newAsyncDriver(t, checksOptions(t, reg, engine.RunOptions{CheckTimeout: time.Hour}), 120, 40)
	a.key("C")
	a.pumpUntil("the first run to plan", func() bool { return calls.Load() == 1 })
	first := a.checks().run
	a.key("R")
	a.pumpUntil("the second run to finish", a.runOver)
	a.settle()
	if r := a.row("bearer.ews").res; r == nil || r.Summary != "fresh run" {
		t.Fatalf("bearer.ews shows %+v, want the second run's pass", r)
	}
	// And a late message of the first run, delivered now, changes nothing.
	a.send(checkResultMsg{run: first, res: engine.Result{ID: "dns.pool", Status: engine.StatusError, Summary: "late"}})
	a.send(checkDoneMsg{run: first})
	if r := a.row("dns.pool").res; r.Summary == "late" {
		t.Fatal("a result of the replaced run overwrote the current one")
	}
}

// r re-runs the selected check and the checks it depends on, nothing else.
func TestChecksRerunOne(t *testing.T) {
	counts := map[string]*atomic.Int32{}
	reg := engine.NewRegistry()
	for _, id := range []string{"dns.autodiscover", "dns.pool", "tls.autodiscover", "metadata.exchange", "bearer.ews"} {
		n := &atomic.Int32{}
		counts[id] = n
		reg.Register(id, func(context.Context, *engine.Env) engine.Result {
			k := n.Add(1)
			return engine.Result{Status: engine.StatusPass, Summary: fmt.Sprintf("run %d", k)}
		})
	}
	a := newAsyncDriver(t, checksOptions(t, reg, engine.RunOptions{}), 120, 40)
	a.key("C")
	a.pumpUntil("the first run", a.runOver)
	for a.checks().selectedID() != "tls.autodiscover" {
		a.key("down")
	}
	a.key("r")
	a.pumpUntil("the re-run", a.runOver)
	a.settle()
	want := map[string]int32{"dns.autodiscover": 2, "tls.autodiscover": 2, "dns.pool": 1, "metadata.exchange": 1, "bearer.ews": 1}
	for id, n := range want {
		if got := counts[id].Load(); got != n {
			t.Errorf("%s ran %d times, want %d", id, got, n)
		}
	}
	if r := a.row("tls.autodiscover").res; r.Summary != "run 2" {
		t.Errorf("the re-run check shows %q, want its new result", r.Summary)
	}
	if r := a.row("bearer.ews").res; r == nil || r.Summary != "run 1" {
		t.Errorf("a check outside the re-run lost its result: %+v", r)
	}
}

// The fix's commands are numbered and copy like Troubleshoot's; enter
// opens the check's pitfalls in Troubleshoot.
func TestChecksCopyFixAndOpenPitfalls(t *testing.T) {
	a := newAsyncDriver(t, checksOptions(t, finishedRegistry(), engine.RunOptions{}), 120, 40)
	a.key("C")
	a.pumpUntil("the run", a.runOver)
	for a.checks().selectedID() != "bearer.ews" {
		a.key("down")
	}
	a.mustShow("[1] changes server · disruptive", "iisreset /noforce", "[2]", "whoami /groups")
	a.key("2")
	a.settle()
	want := "whoami /groups | findstr /i RTCUniversalUserAdmins"
	if got := a.clip.String(); got != osc52For(want) {
		t.Fatalf("2 copied %q, want the OSC 52 sequence for %q", got, want)
	}
	a.key("enter")
	a.settle()
	if a.m.current() != screenTroubleshoot {
		t.Fatalf("enter did not open Troubleshoot; screen:\n%s", a.screen())
	}
	a.mustShow("Results (2)", "No iisreset after the partner application script", "Test-CsExStorageConnectivity")
	a.key("esc")
	if a.m.current() != screenChecks {
		t.Errorf("esc from the pitfalls did not return to Checks")
	}
}

func TestChecksInsecureBannerAndPlanError(t *testing.T) {
	o := checksOptions(t, finishedRegistry(), engine.RunOptions{})
	o.Profile.TLS.Insecure = true
	a := newAsyncDriver(t, o, 120, 40)
	a.key("C")
	a.pumpUntil("the run", a.runOver)
	a.mustShow("! TLS CERTIFICATE VERIFICATION WAS OFF")

	o = checksOptions(t, finishedRegistry(), engine.RunOptions{})
	o.Checks.Plan = func(context.Context, *profile.Profile) (*engine.Plan, error) {
		return nil, fmt.Errorf("tls.ca_file: /nope.pem does not exist")
	}
	b := newAsyncDriver(t, o, 80, 24)
	b.key("C")
	b.pumpUntil("the plan error", b.runOver)
	b.mustShow("could not plan the checks: tls.ca_file: /nope.pem")
	a.settle()
	b.settle()
}

// Goldens of a finished run with every status, the warn check selected so
// its evidence and numbered fix show. Durations are pinned.
func TestChecksGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("finished_%dx%d", size[0], size[1]), func(t *testing.T) {
			a := newAsyncDriver(t, checksOptions(t, finishedRegistry(), engine.RunOptions{}), size[0], size[1])
			a.key("C")
			a.pumpUntil("the run", a.runOver)
			a.settle()
			ch := a.checks()
			for i := range ch.rows {
				if ch.rows[i].res != nil && ch.rows[i].res.Duration > 0 {
					ch.rows[i].res.Duration = 42 * time.Millisecond
				}
			}
			ch.elapsed = 1300 * time.Millisecond
			for ch.selectedID() != "bearer.ews" {
				a.key("down")
			}
			v := a.m.View()
			assertFits(t, v, size[0], size[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// Without a Checks source there is no Checks screen, key or help group.
func TestChecksAbsentWithoutSource(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 120, 40)
	d.mustNotShow("Checks")
	d.key("C")
	if d.m.current() != screenHome {
		t.Fatal("C opened something without a Checks source")
	}
	d.key("?")
	d.mustNotShow("re-run")
}

// In every state of the Checks screen (running, finished, each pane) no
// two enabled bindings share a key: esc is either "cancel" or "back".
func TestChecksBindingsNeverShareAKey(t *testing.T) {
	defer goleak.VerifyNone(t)
	reg := finishedRegistry()
	reg.Register("bearer.ews", blockUntilDone(nil, "bearer.ews"))
	a := newAsyncDriver(t, checksOptions(t, reg, engine.RunOptions{CheckTimeout: time.Hour}), 80, 24)
	check := func(state string) {
		seen := map[string]string{}
		for _, b := range a.m.c.Keys.all() {
			if !b.Enabled() {
				continue
			}
			for _, k := range b.Keys() {
				if other, dup := seen[k]; dup {
					t.Errorf("%s: key %q is bound to both %q and %q", state, k, other, b.Help().Desc)
				}
				seen[k] = b.Help().Desc
			}
		}
	}
	a.key("C")
	a.pumpUntil("the fast checks", a.finished("dns.pool"))
	for _, k := range []string{"tab", "tab", "tab"} {
		check("running, after " + k)
		a.key(k)
	}
	a.key("esc")
	a.pumpUntil("the cancel", a.runOver)
	for _, k := range []string{"G", "tab", "tab", "tab"} {
		check("finished, after " + k)
		a.key(k)
	}
	a.settle()
}

// When a run ends, the cursor lands on the first failed check (dns.pool
// passes and comes before it in the list only if the user put it there).
func TestChecksRunEndsOnTheFirstFailure(t *testing.T) {
	a := newAsyncDriver(t, checksOptions(t, finishedRegistry(), engine.RunOptions{}), 120, 40)
	a.key("C")
	a.pumpUntil("the run to finish", a.runOver)
	if got := a.checks().selectedID(); got != "dns.autodiscover" {
		t.Errorf("after the run the cursor is on %q, want the failed dns.autodiscover", got)
	}
	// A cursor the user moved during a run stays where they put it.
	a.key("R")
	a.key("down")
	want := a.checks().selectedID()
	a.pumpUntil("the second run to finish", a.runOver)
	if got := a.checks().selectedID(); got != want {
		t.Errorf("the cursor jumped to %q although the user chose %q", got, want)
	}
	a.settle()
}

// f jumps to the next failed or errored check, wrapping around, as a k9s
// or lazygit user expects of a long list; help lists it (issue 14).
func TestChecksNextFailureKey(t *testing.T) {
	reg := finishedRegistry()
	reg.Register("dns.pool", fixed(engine.StatusError, "no answer from the resolver"))
	a := newAsyncDriver(t, checksOptions(t, reg, engine.RunOptions{}), 120, 40)
	a.key("C")
	a.pumpUntil("the run to finish", a.runOver)
	var problems []string
	for _, r := range a.checks().rows {
		if r.res != nil && (r.res.Status == engine.StatusFail || r.res.Status == engine.StatusError) {
			problems = append(problems, r.check.Spec.ID)
		}
	}
	if len(problems) != 2 {
		t.Fatalf("problems %v, want dns.autodiscover and dns.pool", problems)
	}
	first := a.checks().selectedID()
	a.key("f")
	second := a.checks().selectedID()
	a.key("f")
	if second == first || !contains(problems, second) || a.checks().selectedID() != first {
		t.Errorf("f went %s → %s → %s, want the other failure and back", first, second, a.checks().selectedID())
	}
	a.key("?")
	a.mustShow("next failure")
	a.settle()
}
