package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
)

type fleetJSON struct {
	Checks []struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Summary string `json:"summary"`
		Servers []struct {
			Target   string   `json:"target"`
			Status   string   `json:"status"`
			Summary  string   `json:"summary"`
			Pitfalls []string `json:"pitfalls"`
			Settings []struct {
				Name, Value, Status string
			} `json:"settings"`
		} `json:"servers"`
	} `json:"checks"`
}

func runFleet(t *testing.T, args ...string) (int, fleetJSON, string) {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"check", "--format", "json"}, args...)...)
	var r fleetJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON (%v): %s\n%s", err, out, stderr)
	}
	return code, r, stderr
}

// The fleet scenario: the failing per-server results name exactly exch07
// and fe06, the fixes the checks name heal it.
func TestFleetScenarioFoundAndFixed(t *testing.T) {
	code, r, stderr := runFleet(t, "--lab", "fleet")
	if code != 2 {
		t.Fatalf("exit %d, want 2\n%s", code, stderr)
	}
	var failing []string
	sizes := map[string]int{}
	for _, c := range r.Checks {
		sizes[c.ID] = len(c.Servers)
		for _, s := range c.Servers {
			if s.Status != "pass" {
				failing = append(failing, fmt.Sprintf("%s %s", c.ID, s.Target))
			}
		}
	}
	sort.Strings(failing)
	want := []string{"fleet.exchange exch07.contoso.lab", "fleet.sfb fe06.contoso.lab"}
	if !slices.Equal(failing, want) {
		t.Errorf("failing servers = %v, want %v", failing, want)
	}
	if sizes["fleet.exchange"] != 12 || sizes["fleet.sfb"] != 8 {
		t.Errorf("fleet sizes %v, want 12 Exchange servers and 8 Front Ends", sizes)
	}
	// Every failing check names only those two servers, if any.
	for _, c := range r.Checks {
		if c.Status != "fail" && c.Status != "error" {
			continue
		}
		for _, n := range []string{"exch01", "exch02", "exch08", "exch12", "fe01", "fe05", "fe08"} {
			if strings.Contains(c.Summary, n+".") || strings.Contains(c.Summary, n+" ") || strings.HasSuffix(c.Summary, n) {
				t.Errorf("%s names healthy %s: %s", c.ID, n, c.Summary)
			}
		}
	}
	code, r, stderr = runFleet(t, "--lab", "fleet", "--apply-fixes")
	if code != 0 {
		t.Fatalf("after --apply-fixes exit %d, want 0\n%s", code, stderr)
	}
	for _, c := range r.Checks {
		if c.Status != "pass" {
			t.Errorf("after the fixes %s is %s: %s", c.ID, c.Status, c.Summary)
		}
	}
}

// --scale multiplies the Exchange servers, Front Ends in proportion, each
// answering on its own address.
func TestFleetScale(t *testing.T) {
	code, r, stderr := runFleet(t, "--lab", "fleet", "--scale", "30", "--only", "fleet")
	if code != 2 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, c := range r.Checks {
		want := map[string]int{"fleet.exchange": 30, "fleet.sfb": 20}[c.ID]
		if len(c.Servers) != want {
			t.Errorf("%s: %d servers, want %d", c.ID, len(c.Servers), want)
		}
		seen := map[string]bool{}
		for _, s := range c.Servers {
			if seen[s.Target] {
				t.Errorf("%s: %s twice", c.ID, s.Target)
			}
			seen[s.Target] = true
			for _, st := range s.Settings {
				if st.Name == "Bearer" && s.Target != "" && st.Value != "offered" {
					t.Errorf("%s Bearer = %q", s.Target, st.Value)
				}
			}
		}
	}
	if code, _, _ := runCLI(t, "check", "--scale", "3"); code != 3 {
		t.Errorf("--scale without --lab: exit %d, want 3", code)
	}
}
