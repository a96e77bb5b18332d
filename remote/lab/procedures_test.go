package lab_test

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
)

// placeholder matches a <value to fill in> that a person must supply.
var placeholder = regexp.MustCompile(`<[a-z][^<>]*>`)

// TestWalkOnpremProcedure walks the on-premises procedure in a lab where
// nothing is configured yet, as guided mode does: each step's read
// commands, its first changing command (the others are alternatives), then
// its verification commands, which must succeed. At the end the trust works.
func TestWalkOnpremProcedure(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	var top *knowledge.Topology
	for i := range kb.Topologies {
		if kb.Topologies[i].ID == "onprem" {
			top = &kb.Topologies[i]
		}
	}
	l := startLab(t, "onprem-fresh")
	if l.TrustVerdict() == "" {
		t.Fatal("the trust works before the procedure ran")
	}
	shells := map[string]*lab.Shell{}
	exec := func(step knowledge.Step, c knowledge.Command) (int, string) {
		kind := string(c.Shell)
		if kind == "" {
			kind = string(step.Shell)
		}
		if shells[kind] == nil {
			shells[kind] = l.Shell(kind)
		}
		text, err := knowledge.Render(c.Text, vars(l.Env()))
		if err != nil {
			t.Fatal(err)
		}
		res, err := shells[kind].Run(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		return res.ExitCode, "[" + kind + "] " + text + "\n" + res.Stdout + res.Stderr
	}
	for _, st := range top.Steps {
		if st.Optional {
			continue
		}
		changed := false
		for _, c := range st.Commands {
			if placeholder.MatchString(c.Text) || (c.Changes && changed) {
				continue
			}
			code, out := exec(st, c)
			if c.Changes {
				changed = true
				if code != 0 {
					t.Errorf("step %s: changing command failed:\n%s", st.ID, out)
				}
			}
		}
		for _, c := range st.Verify.Commands {
			if code, out := exec(st, c); code != 0 {
				t.Errorf("step %s: verification failed:\n%s", st.ID, out)
			}
		}
	}
	if v := l.TrustVerdict(); v != "" {
		t.Errorf("after the procedure the trust still fails: %s", v)
	}
	if f := l.Faults(); len(f) != 0 {
		t.Errorf("after the procedure Faults() = %v", f)
	}
}

// TestProcedureCommandsParse: every command of every procedure either runs
// in that topology's healthy lab or fails with a clear lab error, never a
// Go error or a panic.
func TestProcedureCommandsParse(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	healthy := map[string]string{"onprem": "healthy", "hybrid": "healthy-hybrid", "sfbonline": "healthy-sfbonline"}
	for _, top := range kb.Topologies {
		l := startLab(t, healthy[top.ID])
		for _, st := range top.Steps {
			for _, c := range append(append([]knowledge.Command(nil), st.Commands...), st.Verify.Commands...) {
				kind := string(c.Shell)
				if kind == "" {
					kind = string(st.Shell)
				}
				if !slices.Contains(l.Shells(), kind) {
					continue
				}
				text, _ := knowledge.Render(c.Text, vars(l.Env()))
				res, err := l.Shell(kind).Run(context.Background(), text)
				if err != nil || (res.ExitCode != 0 && res.Stderr == "") {
					t.Errorf("%s: %q: err %v, exit %d with no message", st.ID, text, err, res.ExitCode)
				}
			}
		}
	}
}

func stepByID(t *testing.T, kb *knowledge.Base, id string) knowledge.Step {
	t.Helper()
	for _, top := range kb.Topologies {
		for _, st := range top.Steps {
			if st.ID == id {
				return st
			}
		}
	}
	t.Fatalf("no step %s in the knowledge base", id)
	return knowledge.Step{}
}

// TestExportSteps runs the certificate export steps of the hybrid and
// SfB Online procedures and their verifications.
func TestExportSteps(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	for scenario, id := range map[string]string{"healthy-hybrid": "hybrid-sfb-export-cert", "healthy-sfbonline": "sfbonline-exchange-export-auth-cert"} {
		l := startLab(t, scenario)
		st := stepByID(t, kb, id)
		sh := l.Shell(string(st.Shell))
		for _, c := range append(append([]knowledge.Command(nil), st.Commands...), st.Verify.Commands...) {
			kind := string(c.Shell)
			if kind == "" {
				kind = string(st.Shell)
			}
			if kind != string(st.Shell) {
				sh = l.Shell(kind)
			}
			text, _ := knowledge.Render(c.Text, vars(l.Env()))
			res := run(t, sh, text)
			if res.ExitCode != 0 {
				t.Fatalf("%s: %q failed:\n%s", id, text, res.Stderr)
			}
			if c.Text == st.Verify.Commands[len(st.Verify.Commands)-1].Text && !regexp.MustCompile(`True|completed successfully`).MatchString(res.Stdout) {
				t.Errorf("%s verification output:\n%s", id, res.Stdout)
			}
		}
	}
}
