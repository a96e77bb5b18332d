package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
)

// labJSON is the part of `check --format json` these tests read.
type labJSON struct {
	Checks []struct {
		ID       string   `json:"id"`
		Status   string   `json:"status"`
		Summary  string   `json:"summary"`
		Pitfalls []string `json:"pitfalls"`
	} `json:"checks"`
}

func decodeLabJSON(t *testing.T, out string) labJSON {
	t.Helper()
	var r labJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("the report is not JSON: %v\n%s", err, out)
	}
	if len(r.Checks) == 0 {
		t.Fatal("the report lists no checks")
	}
	return r
}

// named reports whether a non-passing check named the pitfall.
func (r labJSON) named(pitfall string) bool {
	for _, c := range r.Checks {
		if c.Status != "pass" && c.Status != "skipped" && slices.Contains(c.Pitfalls, pitfall) {
			return true
		}
	}
	return false
}

func (r labJSON) notPassing() []string {
	var out []string
	for _, c := range r.Checks {
		if c.Status != "pass" {
			out = append(out, fmt.Sprintf("%s %s %v: %s", c.Status, c.ID, c.Pitfalls, c.Summary))
		}
	}
	return out
}

// labBroken asks the lab itself (ground truth, for the test only) whether
// the scenario starts broken.
func labBroken(t *testing.T, name string) bool {
	t.Helper()
	l, err := lab.Start(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return len(l.Faults()) > 0 || l.TrustVerdict() != ""
}

var roundRE = regexp.MustCompile(`lab fix \(round (\d+),`)

// Every scenario through the real CLI: the checks find the fault and name
// the scenario's pitfalls, and --apply-fixes turns it green.
func TestScenarioChecksFindAndFixEveryScenario(t *testing.T) {
	scenarios := lab.List()
	if len(scenarios) < 10 {
		t.Fatalf("only %d lab scenarios", len(scenarios))
	}
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			broken := labBroken(t, sc.Name)
			code, out, errOut := runCLI(t, "check", "--lab", sc.Name, "--format", "json")
			before := decodeLabJSON(t, out)
			switch {
			case !broken && code != 0:
				t.Fatalf("healthy scenario exits %d:\n%s\n%s", code, strings.Join(before.notPassing(), "\n"), errOut)
			case broken && sc.Severity == "warn" && code != 1:
				t.Fatalf("a scenario the checks should warn about exits %d, want 1:\n%s", code, strings.Join(before.notPassing(), "\n"))
			case broken && sc.Severity != "warn" && code != 2:
				t.Fatalf("broken scenario exits %d, want 2:\n%s", code, strings.Join(before.notPassing(), "\n"))
			}
			for _, p := range sc.Pitfalls {
				if !before.named(p) {
					t.Errorf("no failing check names the scenario's pitfall %s; they said:\n%s", p, strings.Join(before.notPassing(), "\n"))
				}
			}
			code, out, errOut = runCLI(t, "check", "--lab", sc.Name, "--format", "json", "--apply-fixes")
			after := decodeLabJSON(t, out)
			if code != 0 || len(after.notPassing()) > 0 {
				t.Fatalf("after --apply-fixes: exit %d\n%s\nfix log:\n%s", code, strings.Join(after.notPassing(), "\n"), errOut)
			}
			if !broken && strings.Contains(errOut, "lab fix (") {
				t.Fatalf("a healthy scenario ran fixes:\n%s", errOut)
			}
			rounds := 0
			for _, m := range roundRE.FindAllStringSubmatch(errOut, -1) {
				rounds = max(rounds, int(m[1][0]-'0'))
			}
			if broken && rounds == 0 {
				t.Fatalf("a broken scenario turned green without a fix:\n%s", errOut)
			}
			t.Logf("pitfalls %v found before; %d fix round(s); after: exit %d, %d checks pass", sc.Pitfalls, rounds, code, len(after.Checks))
		})
	}
}

// After the fixes the lab itself no longer shows any fault: the checks
// going green is not the checks going blind.
func TestScenarioFixesClearTheLabsFaults(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range lab.List() {
		t.Run(sc.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			l, err := lab.Start(ctx, sc.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			run := func() (engine.Report, error) {
				plan, err := labPlan(kb, l, sc.Name, nil)
				if err != nil {
					return engine.Report{}, err
				}
				return engine.Collect(ctx, plan, engine.RunOptions{}), nil
			}
			report, err := run()
			if err != nil {
				t.Fatal(err)
			}
			var log bytes.Buffer
			report, err = applyLabFixes(ctx, kb, l, report, run, &log)
			if err != nil {
				t.Fatal(err)
			}
			if got := engine.ExitCode(report.Summary); got != engine.ExitPass {
				t.Fatalf("exit %d after the fixes:\n%s", got, log.String())
			}
			if f := l.Faults(); len(f) > 0 {
				t.Fatalf("the checks pass but the lab still shows %v:\n%s", f, log.String())
			}
			if v := l.TrustVerdict(); v != "" {
				t.Fatalf("the checks pass but the trust still fails: %s\n%s", v, log.String())
			}
		})
	}
}
