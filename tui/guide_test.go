package tui

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine/progress"
)

func TestGuideHiddenWithoutSource(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 120, 40)
	d.mustNotShow("Guide")
	if len(d.m.c.Keys.GuideVerify.Keys()) != 0 || len(d.m.c.Keys.Guide.Keys()) != 0 {
		t.Error("guide keys stay bound in a session without a Guide: help would list them")
	}
	d.key("w")
	if d.m.current() != screenHome {
		t.Errorf("w opened screen %d without a Guide", d.m.current())
	}
}

func TestGuidePickPreselectsTopologyAndNavigates(t *testing.T) {
	e := newGuideEnv(t, 120, 40, "")
	e.mustShow("Guide", "walk a procedure step by step")
	e.key("w")
	e.mustShow("Choose a topology", "onprem", "0 of 4 steps done")
	if got := e.guide().topos.Cursor(); e.m.c.Base.Topologies[got].ID != "onprem" {
		t.Fatalf("picker starts on %s, want the environment's onprem", e.m.c.Base.Topologies[got].ID)
	}
	e.key("enter")
	e.mustShow("Step 1 of 4", "Check that autodiscover resolves", "nslookup autodiscover.contoso.com", "Where: DNS\n")
	e.key("n")
	e.mustShow("Step 2 of 4", "Configure-EnterprisePartnerApplication.ps1", "changes server")
	e.key("n")
	e.mustShow("Step 3 of 4", "disruptive", "Elevated command prompt")
	e.key("p")
	e.mustShow("Step 2 of 4")
	if e.m.current() != screenGuide {
		t.Fatal("p left the Guide (it must be previous step here, not the profile form)")
	}
	if got := e.saved().Current; got != "g-partnerapp" {
		t.Errorf("stored current step %q, want g-partnerapp", got)
	}
	// The overview: glyphs say what is done without colour; enter opens.
	e.key("o")
	e.mustShow("Steps of onprem (0 of 4 done)", "→  2 Make Skype for Business", "·  4 Archive instant messages in Exchange (optional)")
	e.key("down")
	e.key("enter")
	e.mustShow("Step 3 of 4", "Restart IIS")
	e.key("n")
	e.key("n") // past the last step: stays, says so
	e.mustShow("Step 4 of 4")
	if !strings.Contains(e.status(), "last step") {
		t.Errorf("status after n on the last step: %q", e.status())
	}
	e.key("t")
	e.mustShow("Choose a topology")
}

func TestGuideVerifyPassMarksDone(t *testing.T) {
	e := newGuideEnv(t, 120, 40, "")
	e.open()
	if _, done := e.saved().IsDone("g-dns"); done {
		t.Fatal("done before verification")
	}
	e.key("v")
	e.mustShow("✓ pass  dns.autodiscover", "Result: ✓ verified")
	d, done := e.saved().IsDone("g-dns")
	if !done || d.Verified() != "dns.autodiscover pass" || d.ConfirmedBy != "" {
		t.Fatalf("progress after a passing verification: done=%v %+v", done, d)
	}
	e.mustShow("✓  1 Check that autodiscover resolves", "1 of 4 done")
	// m on a step the checks proved is refused: no ticking boxes.
	e.key("m")
	if e.guide().prompt != promptNone {
		t.Error("m opened a confirmation on a verified step")
	}
}

func TestGuideFailingVerificationShowsPitfallThenFixPasses(t *testing.T) {
	e := newGuideEnv(t, 120, 40, "")
	e.open()
	e.key("n")
	e.key("n")
	e.key("v")
	e.mustShow("✗ fail  bearer.ews", "trusted_issuers: (empty)", "Result: ✗ verification failed",
		"What is probably wrong", "No iisreset after the partner application script", "Fix: Restart IIS")
	e.mustNotShow("RTCUniversalUserAdmins") // the step's own pitfall is only the fallback
	if _, done := e.saved().IsDone("g-iisreset"); done {
		t.Fatal("a failed verification marked the step done")
	}
	// A failure cannot be confirmed away by hand.
	e.key("m")
	if e.guide().prompt != promptNone || !strings.Contains(e.status(), "cannot be confirmed away") {
		t.Fatalf("m after a failure: prompt %v, status %q", e.guide().prompt, e.status())
	}
	// [1] is the step's iisreset, [2] the pitfall's; select 2 and run it.
	e.key("2")
	e.key("x")
	e.mustShow("Confirm", "Runs on exch01.contoso.com (test):", "iisreset /noforce", "Type exch01 to run it")
	if !e.m.active().Capturing() {
		t.Fatal("the confirmation field does not have the keys")
	}
	e.typeText("yes") // the wrong word for a disruptive command
	e.key("enter")
	// Asked again, not closed: the next keys must not reach the list.
	if len(e.lab.commands()) != 0 || e.guide().prompt != promptRun {
		t.Fatalf("ran %v with the wrong word; prompt %v", e.lab.commands(), e.guide().prompt)
	}
	e.mustShow(`typed "yes", needed exch01`, "iisreset /noforce")
	e.typeText("exch01")
	e.key("enter")
	if got := e.lab.commands(); len(got) != 1 || got[0] != "iisreset /noforce <exch01>" {
		t.Fatalf("commands run: %q", got)
	}
	e.mustShow("Last command", "Internet services successfully restarted", "done, exit code 0")
	e.key("v")
	e.mustShow("✓ pass  bearer.ews", "Result: ✓ verified")
	e.mustNotShow("What is probably wrong")
	if d, done := e.saved().IsDone("g-iisreset"); !done || d.Verified() != "bearer.ews pass" {
		t.Fatalf("after the fix: done=%v %q", done, d.Verified())
	}
}

func TestGuideManualConfirmation(t *testing.T) {
	e := newGuideEnv(t, 120, 40, "")
	e.open()
	e.key("m") // step 1 has a check: m is refused
	if e.guide().prompt != promptNone || !strings.Contains(e.status(), "press v") {
		t.Fatalf("m on a checkable step: prompt %v, status %q", e.guide().prompt, e.status())
	}
	// Step 2's check needs credentials the session lacks: v says so, then m works.
	e.key("n")
	e.key("v")
	e.mustShow("not run ps.exchange.partnerapp: needs PowerShell", "Result: cannot be verified automatically here")
	e.key("m")
	e.mustShow("without a check?", "Type done (or yes)")
	e.typeText("nope")
	e.key("enter")
	if _, done := e.saved().IsDone("g-partnerapp"); done || e.guide().prompt != promptManual {
		t.Fatalf("a wrong answer confirmed the step (%v) or closed the question (%v)", done, e.guide().prompt)
	}
	e.mustShow(`typed "nope": type done (or yes)`)
	e.typeText("done")
	e.key("enter")
	d, done := e.saved().IsDone("g-partnerapp")
	if !done || d.Verified() != "confirmed by tester manually" {
		t.Fatalf("manual confirmation: done=%v %q", done, d.Verified())
	}
	// Step 4 is manual: the step says so before any v.
	e.key("n")
	e.key("n")
	e.mustShow("Cannot be verified automatically (no check can prove this step)")
	e.key("m")
	e.typeText("yes")
	e.key("enter")
	if _, done := e.saved().IsDone("g-archiving"); !done {
		t.Fatal("manual step not done after yes")
	}
}

func TestGuideWithoutRunnerSaysCopy(t *testing.T) {
	e := newGuideEnv(t, 120, 40, "", withoutRunner)
	if k := e.m.c.Keys; len(k.GuideRun.Keys()) != 0 || len(k.GuideRunOff.Keys()) == 0 {
		t.Error("without a runner, help should list x as off, not as run")
	}
	if k := newGuideEnv(t, 120, 40, "").m.c.Keys; len(k.GuideRun.Keys()) == 0 || len(k.GuideRunOff.Keys()) != 0 {
		t.Error("with a runner, help should list x as run")
	}
	e.open()
	e.mustShow("x off: copy (c), run it yourself", "this session does not")
	e.key("x")
	if !strings.Contains(e.status(), "copy it with c") {
		t.Errorf("x without a runner: status %q", e.status())
	}
	e.key("c")
	if !strings.Contains(e.status(), "(OSC 52): nslookup autodiscover.contoso.com") {
		t.Errorf("c did not copy the command: %q", e.status())
	}
}

func TestGuideReadOnlyRefusesChangingCommand(t *testing.T) {
	e := newGuideEnv(t, 120, 40, "", readOnly)
	e.open()
	e.key("n")
	e.key("x")
	if e.guide().prompt != promptNone || !strings.Contains(e.status(), "read-only session") {
		t.Fatalf("read-only x: prompt %v, status %q", e.guide().prompt, e.status())
	}
	e.key("p")
	e.key("x") // a read-only command still runs
	if got := e.lab.commands(); len(got) != 1 || !strings.HasPrefix(got[0], "nslookup") {
		t.Fatalf("read-only command not run: %v", got)
	}
}

func TestGuideResetNeedsConfirmation(t *testing.T) {
	e := newGuideEnv(t, 120, 40, "")
	e.open()
	e.key("v")
	e.key("n")
	e.key("R")
	e.mustShow("Forget the progress of onprem", "Type yes")
	e.typeText("no")
	e.key("enter")
	if _, done := e.saved().IsDone("g-dns"); !done {
		t.Fatal("progress reset without yes")
	}
	e.key("R")
	e.key("esc") // cancels, and stays in the Guide
	if e.m.current() != screenGuide || e.guide().prompt != promptNone {
		t.Fatalf("esc in the prompt: screen %d prompt %v", e.m.current(), e.guide().prompt)
	}
	e.key("R")
	e.typeText("yes")
	e.key("enter")
	if tp := e.saved(); len(tp.Done) != 0 || tp.Current != "" {
		t.Fatalf("after reset: %+v", tp)
	}
	e.mustShow("Step 1 of 4", "0 of 4 done")
}

func TestGuideResumesFromStoredProgress(t *testing.T) {
	dir := t.TempDir()
	store, err := progress.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := progress.New("lab:test")
	tp := p.Topology("onprem")
	tp.Current = "g-iisreset"
	tp.MarkDone(progress.StepDone{Step: "g-dns", When: time.Now(), Checks: []progress.CheckStatus{{ID: "dns.autodiscover", Status: "pass"}}})
	tp.MarkDone(progress.StepDone{Step: "g-partnerapp", When: time.Now(), ConfirmedBy: "bob"})
	if err := store.Save(p); err != nil {
		t.Fatal(err)
	}
	e := newGuideEnv(t, 120, 40, dir)
	e.key("w")
	e.mustShow("2 of 4 steps done")
	e.key("enter")
	e.mustShow("Step 3 of 4", "Restart IIS", "✓  1 Check", "✓  2 Make", "→  3 Restart", "2 of 4 done")
	e.key("p")
	e.mustShow("Status: ✓ done", "confirmed by bob manually")
}

func TestGuideCorruptProgressShowsNotice(t *testing.T) {
	dir := t.TempDir()
	store, _ := progress.NewStore(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(store.Path("lab:test"), []byte(`{"version": 1, "topologies": {"onprem": `), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newGuideEnv(t, 120, 40, dir)
	e.key("w")
	e.mustShow("! the saved progress was corrupt; moved it to lab_test-", ".corrupt-", "starting afresh", "Choose a topology")
	e.key("enter")
	e.key("v") // the guide works on and saves afresh
	if _, done := e.saved().IsDone("g-dns"); !done {
		t.Fatal("progress after a corrupt file was not saved")
	}
}

func TestGuideVerificationResultsReachGuideFromElsewhere(t *testing.T) {
	e := newGuideEnv(t, 120, 40, "")
	e.open()
	g := e.guide()
	cmd := g.verify()
	e.key("esc") // to Home while the checks run
	e.run(cmd)
	if e.m.current() != screenHome {
		t.Fatalf("screen %d", e.m.current())
	}
	if _, done := e.saved().IsDone("g-dns"); !done {
		t.Fatal("a verification finished in the background did not reach the Guide")
	}
}

// A lab restarts from its scenario: resuming saved progress there says
// that steps done before may need doing again; without saved progress,
// nothing is said.
func TestGuideResumeNoteOnlyWithSavedProgress(t *testing.T) {
	const note = "the lab restarted from its scenario"
	withNote := func(o *Options) { o.Guide.ResumeNote = note }
	dir := t.TempDir()
	fresh := newGuideEnv(t, 120, 40, dir, withNote)
	fresh.key("w")
	fresh.mustNotShow(note)

	store, err := progress.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := progress.New("lab:test")
	p.Topology("onprem").MarkDone(progress.StepDone{Step: "g-dns", When: time.Now(), ConfirmedBy: "bob"})
	if err := store.Save(p); err != nil {
		t.Fatal(err)
	}
	resumed := newGuideEnv(t, 120, 40, dir, withNote)
	resumed.key("w")
	resumed.mustShow(note)
}

// At 80 columns the question before a changing command shows the whole
// command, wrapped at spaces, so the part that changes the server (here
// at the end) is read before the word is typed (issue 14 item 5).
func TestGuideConfirmShowsTheWholeCommandAt80(t *testing.T) {
	e := newGuideEnv(t, 80, 24, "")
	e.open()
	e.key("n") // g-partnerapp: one long changing command
	e.key("x")
	e.mustShow("Confirm", "Configure-EnterprisePartnerApplication.ps1", "-ApplicationType Lync", "Type yes to run it")
	for _, ln := range strings.Split(e.m.View(), "\n") {
		if strings.HasSuffix(strings.TrimRight(ln, " "), "…") {
			t.Errorf("a line of the question is cut: %q", ln)
		}
	}
}

// A lab restarts from its scenario, which may undo what was done: a step
// saved as done before is shown as such (↺), not as ✓, until it is
// checked again (issue 14 item 9).
func TestGuideResumeOnRestartedLabMarksStepsDoneBefore(t *testing.T) {
	dir := t.TempDir()
	store, err := progress.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := progress.New("lab:test")
	p.Topology("onprem").MarkDone(progress.StepDone{Step: "g-dns", When: time.Now(), ConfirmedBy: "bob"})
	if err := store.Save(p); err != nil {
		t.Fatal(err)
	}
	e := newGuideEnv(t, 120, 40, dir, func(o *Options) { o.Guide.ResumeNote = "the lab restarted" })
	e.open()
	e.key("p") // back to step 1, g-dns
	for e.guide().idx > 0 {
		e.key("p")
	}
	e.mustShow("↺", "done before the lab restarted")
	e.mustNotShow("✓ done")
	e.key("v")
	e.mustShow("✓ done")
	e.mustNotShow("done before the lab restarted")
}
