package tui

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/knowledge"
)

// accessibleRun runs the accessible guide on the fake world with scripted
// answers, one per line, and returns what it printed.
func accessibleRun(t *testing.T, lab *fakeLab, dir string, answers ...string) string {
	t.Helper()
	kb := guideBase(t)
	var out strings.Builder
	o := Options{
		Base: kb, Vars: knowledge.ExampleVars(), EnvLabel: "lab: test (onprem)", Accessible: true,
		Input: strings.NewReader(strings.Join(answers, "\n") + "\n"), Output: &out,
		Checks: lab.checkSource(t, kb),
		Guide:  &GuideSource{Topology: "onprem", ProgressKey: "lab:test", ProgressDir: dir, Runner: lab.runner(), User: "tester"},
	}
	if err := RunAccessibleGuide(context.Background(), o); err != nil {
		t.Fatalf("RunAccessibleGuide: %v\n%s", err, out.String())
	}
	return out.String()
}

func mustContainInOrder(t *testing.T, out string, want ...string) {
	t.Helper()
	rest := out
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("output lacks %q (after the earlier matches):\n%s", w, out)
		}
		rest = rest[i+len(w):]
	}
}

func TestAccessibleGuideWalkThrough(t *testing.T) {
	lab := &fakeLab{}
	dir := t.TempDir()
	out := accessibleRun(t, lab, dir,
		"",       // the preselected topology
		"verify", // step 1 passes
		"4",      // next
		"2",      // verify: the check needs credentials
		"3", "done",
		"next",
		"confirm",       // refused: checks can prove this step
		"2",             // verify fails: the pitfall and its command
		"1", "2", "yes", // wrong word for a disruptive command
		"run", "2", "exch01",
		"verify",
		"6",
		"bogus",
		"8")
	mustContainInOrder(t, out,
		"ucpilot guide, accessible mode. Environment: lab: test (onprem)",
		"1. Exchange Server and Skype for Business Server, both on premises (onprem), 0 of 4 steps done",
		"2. Skype for Business Server with Exchange Online (hybrid)",
		"Topology number (Enter for 1):",
		"Step 1 of 4: Check that autodiscover resolves",
		"Where to run it: DNS.",
		"Command 1 (read-only, DNS):", "    nslookup autodiscover.contoso.com",
		"Choose: 1 run a command, 2 verify, 3 confirm by hand, 4 next step, 5 previous step, 6 list the steps, 7 reset progress, 8 quit.",
		"pass dns.autodiscover", "Verified: the step is done.",
		"Step 2 of 4",
		"not run ps.exchange.partnerapp: needs PowerShell", "Some checks cannot run here",
		"Type done to mark the step done:", "Confirmed by tester: the step is done.",
		"Step 3 of 4: Restart IIS on the Exchange servers",
		"Command 1 (changes the server, disruptive, Elevated command prompt):",
		"Checks can prove this step: choose verify.",
		"fail bearer.ews: EWS does not list the pool", "Verification failed: the step is not done.",
		"Probable cause: No iisreset after the partner application script", "Fix: Restart IIS",
		"Command 2 (changes the server, disruptive, Elevated command prompt):", "    iisreset /noforce",
		"Command number, 1 to 2:", "This runs on exch01.contoso.com (test):", "Type exch01 to run it:",
		"Not confirmed; the command was not run.",
		"Command finished: done, exit code 0.", "Internet services successfully restarted",
		"pass bearer.ews", "Verified: the step is done.",
		"1. done: Check that autodiscover resolves", "2. done: Make Skype", "3. done, current: Restart IIS", "4. to do: Archive",
		"Please answer a number from 1 to 8",
		"Progress is kept")
	if got := lab.commands(); len(got) != 1 || got[0] != "iisreset /noforce <exch01>" {
		t.Fatalf("commands run: %q", got)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("accessible output carries escape sequences")
	}
	store, _ := progress.NewStore(dir)
	p, err := store.Load("lab:test")
	if err != nil {
		t.Fatal(err)
	}
	tp := p.Topology("onprem")
	if d, _ := tp.IsDone("g-partnerapp"); d.ConfirmedBy != "tester" {
		t.Errorf("manual confirmation not stored: %+v", tp.Done)
	}
	if len(tp.Done) != 3 || tp.Current != "g-iisreset" {
		t.Errorf("stored progress: current %q, %d done", tp.Current, len(tp.Done))
	}

	// A second session resumes at step 3 with the steps before it done.
	again := accessibleRun(t, &fakeLab{}, dir, "", "6", "quit")
	mustContainInOrder(t, again, "3 of 4 steps done", "Step 3 of 4: Restart IIS", "Status: done on",
		"1. done: Check", "3. done, current: Restart IIS")
}

func TestAccessibleGuideEndOfInputAndReset(t *testing.T) {
	lab := &fakeLab{}
	dir := t.TempDir()
	accessibleRun(t, lab, dir, "", "verify") // input ends: returns quietly
	out := accessibleRun(t, lab, dir, "", "7", "no", "reset", "yes", "6")
	mustContainInOrder(t, out, "1 of 4 steps done", "Not reset.", "Progress reset.", "Step 1 of 4", "1. to do, current: Check")
}

func TestAccessibleGuideWithoutHooks(t *testing.T) {
	var out strings.Builder
	o := Options{Base: guideBase(t), Vars: knowledge.ExampleVars(), Input: strings.NewReader("2\n1\n2\n3\nyes\n"), Output: &out}
	if err := RunAccessibleGuide(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	mustContainInOrder(t, out.String(), "Step 1 of 1: Add the microsoft.sts OAuth server",
		"cannot be verified automatically (this step names no check)",
		"This session does not run commands: copy the command",
		"cannot be verified automatically", "Confirmed by")
	if err := RunAccessibleGuide(context.Background(), Options{Output: io.Discard}); err == nil {
		t.Error("no knowledge base: no error")
	}
}

func TestChoiceWords(t *testing.T) {
	for in, want := range map[string]string{"1": "run a command", "run": "run a command", "v": "verify", "CONFIRM": "confirm by hand",
		"n": "next step", "prev": "previous step", "q": "quit", "9": "", "": "", "x": ""} {
		if got := choice(in); got != want {
			t.Errorf("choice(%q) = %q, want %q", in, got, want)
		}
	}
}

// Ctrl+C (ctx cancelled) ends a question that waits on a terminal that
// never answers.
func TestAccessibleGuideStopsOnCancel(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- RunAccessibleGuide(ctx, Options{Base: guideBase(t), Input: pr, Output: io.Discard})
	}()
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("RunAccessibleGuide after cancel = %v, want context.Canceled", err)
	}
}
