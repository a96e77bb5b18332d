package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/knowledge"
)

// This file holds the guide's logic that does not depend on Bubble Tea, so
// the full-screen guide and the accessible one behave the same.

// verdict is where a step's verification stands.
type verdict int

const (
	verdictNone       verdict = iota // not verified in this session
	verdictRunning                   // checks under way
	verdictPassed                    // every verify check passed: the step is done
	verdictFailed                    // a check failed: pitfalls are shown
	verdictIncomplete                // what ran passed, but some checks cannot run here
)

// autoVerifiable reports whether checks can prove st in this session, and
// if not, why not (for the user).
func autoVerifiable(st *knowledge.Step, src *CheckSource) (bool, string) {
	switch {
	case st.Verify.Manual:
		return false, "no check can prove this step"
	case len(st.Verify.Checks) == 0:
		return false, "this step names no check"
	case src == nil || src.Plan == nil:
		return false, "this session runs no checks"
	}
	return true, ""
}

// planVerification plans the checks that verify a step: the step's checks
// and, transitively, those they depend on. Step checks the plan cannot run
// here are listed with the reason.
func planVerification(ctx context.Context, src *CheckSource, p *profile.Profile, ids []string) (*engine.Plan, []string, error) {
	full, err := src.Plan(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	planned := map[string]bool{}
	for _, c := range full.Checks {
		planned[c.Spec.ID] = true
	}
	var unavailable, keep []string
	for _, id := range ids {
		switch {
		case planned[id]:
			keep = append(keep, id)
		case contains(full.NeedCredentials, id):
			unavailable = append(unavailable, id+": needs PowerShell on the server, which this session has no credentials for")
		case contains(full.NotImplemented, id):
			unavailable = append(unavailable, id+": not implemented in this version of ucpilot")
		default:
			unavailable = append(unavailable, id+": not planned for this environment (its topology or profile leaves it out)")
		}
	}
	return keepChecks(full, keep), unavailable, nil
}

// keepChecks narrows a plan to ids and the checks they depend on or are
// gated by. Every kept check's links are cut to kept checks: the engine
// waits for a gate it was told about, so a dangling one would hang the
// run until its time limit.
func keepChecks(p *engine.Plan, ids []string) *engine.Plan {
	byID := make(map[string]engine.Check, len(p.Checks))
	for _, c := range p.Checks {
		byID[c.Spec.ID] = c
	}
	keep := map[string]bool{}
	var visit func(string)
	visit = func(id string) {
		if keep[id] {
			return
		}
		if _, ok := byID[id]; !ok {
			return
		}
		keep[id] = true
		for _, d := range byID[id].DependsOn {
			visit(d)
		}
		for _, d := range byID[id].GatedBy {
			visit(d)
		}
	}
	for _, id := range ids {
		visit(id)
	}
	out := *p
	out.Checks = nil
	kept := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			if keep[id] {
				out = append(out, id)
			}
		}
		return out
	}
	for _, c := range p.Checks {
		if keep[c.Spec.ID] {
			c.DependsOn, c.GatedBy = kept(c.DependsOn), kept(c.GatedBy)
			out.Checks = append(out.Checks, c)
		}
	}
	return &out
}

// passes is the bar a verify check must clear: pass. A warning does not
// do: some checks warn exactly when the step was skipped (an unset
// ExchangeAutodiscoverUrl works by a guess).
func passes(s engine.Status) bool { return s == engine.StatusPass }

// judge decides a finished verification. A step passes only when every
// one of its checks ran and passed; when one failed, the pitfalls come
// from the failing results (dependencies included), or from the step.
func judge(st *knowledge.Step, results []engine.Result, unavailable []string) (verdict, []string) {
	byID := map[string]engine.Result{}
	for _, r := range results {
		byID[r.ID] = r
	}
	failed := false
	for _, id := range st.Verify.Checks {
		if r, ok := byID[id]; ok && !passes(r.Status) {
			failed = true
		}
	}
	if !failed {
		if len(unavailable) > 0 {
			return verdictIncomplete, nil
		}
		for _, id := range st.Verify.Checks {
			if _, ok := byID[id]; !ok {
				return verdictIncomplete, nil
			}
		}
		return verdictPassed, nil
	}
	var ids []string
	for _, r := range results {
		if r.Status.Problem() {
			for _, id := range r.Pitfalls {
				if !contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
	}
	if len(ids) == 0 {
		ids = append(ids, st.Pitfalls...)
	}
	return verdictFailed, ids
}

// doneByChecks is the progress record of a step its checks proved.
func doneByChecks(st *knowledge.Step, results []engine.Result, now time.Time) progress.StepDone {
	d := progress.StepDone{Step: st.ID, When: now.UTC()}
	for _, id := range st.Verify.Checks {
		for _, r := range results {
			if r.ID == id {
				d.Checks = append(d.Checks, progress.CheckStatus{ID: id, Status: string(r.Status)})
			}
		}
	}
	return d
}

// guideUser names the person confirming a step by hand.
func guideUser(src *GuideSource) string {
	if src != nil && src.User != "" {
		return src.User
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "the operator"
}

// openProgress loads the environment's progress. Trouble (a corrupt file
// set aside, no state directory) comes back as a one-line notice; the
// progress returned is always usable, in memory at worst.
func openProgress(src *GuideSource) (*progress.Store, *progress.Progress, string) {
	if src.ProgressKey == "" {
		return nil, progress.New(""), ""
	}
	store, err := progress.NewStore(src.ProgressDir)
	if err != nil {
		return nil, progress.New(src.ProgressKey), "progress is not kept on disk: " + err.Error()
	}
	p, err := store.Load(src.ProgressKey)
	if err != nil {
		return store, p, progressNotice(err)
	}
	if src.ResumeNote != "" && anyDone(p) {
		return store, p, src.ResumeNote
	}
	return store, p, ""
}

func anyDone(p *progress.Progress) bool {
	for _, t := range p.Topologies {
		if t != nil && len(t.Done) > 0 {
			return true
		}
	}
	return false
}

// progressNotice says in one short line what happened to a progress file
// that could not be used; the detail is in the file set aside.
func progressNotice(err error) string {
	var aside *progress.SetAsideError
	if !errors.As(err, &aside) {
		return "progress could not be read, starting afresh: " + oneLine(err.Error())
	}
	what := "was corrupt"
	if errors.Is(err, progress.ErrNewer) {
		what = "was written by a newer ucpilot"
	}
	if aside.MovedTo == "" {
		return "the saved progress " + what + " and could not be moved aside; starting afresh"
	}
	return "the saved progress " + what + "; moved it to " + filepath.Base(aside.MovedTo) + ", starting afresh"
}

// sideLabel names the product a step changes.
func sideLabel(side string) string {
	switch side {
	case "exchange":
		return "Exchange"
	case "sfb":
		return "Skype for Business"
	case "tenant":
		return "Microsoft 365 tenant"
	case "dns":
		return "DNS"
	case "pki":
		return "certificates"
	}
	return side
}

// whereToRun says where a step's commands are typed.
func whereToRun(st *knowledge.Step) string {
	side, shell := sideLabel(st.Side), st.Shell.Label()
	if side == shell {
		return shell
	}
	return side + " · " + shell
}

// stepGlyph marks a step in lists: done, current or to do. The glyphs
// differ in shape, so they read without colour.
func stepGlyph(done, current bool) string {
	switch {
	case done:
		return "✓"
	case current:
		return "→"
	}
	return "·"
}

// statusGlyph marks a check result in words-free form; the status word is
// always printed beside it.
func statusGlyph(s engine.Status) string {
	switch s {
	case engine.StatusPass:
		return "✓"
	case engine.StatusWarn:
		return "!"
	case engine.StatusFail:
		return "✗"
	case engine.StatusError:
		return "?"
	}
	return "-"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// countDone counts the steps of t that tp marks done.
func countDone(t *knowledge.Topology, tp *progress.Topology) int {
	n := 0
	for _, st := range t.Steps {
		if _, ok := tp.IsDone(st.ID); ok {
			n++
		}
	}
	return n
}

// resumeIndex is the step to open: the stored current step, else the
// first step not done, else the first.
func resumeIndex(t *knowledge.Topology, tp *progress.Topology) int {
	for i, st := range t.Steps {
		if st.ID == tp.Current {
			return i
		}
	}
	for i, st := range t.Steps {
		if _, ok := tp.IsDone(st.ID); !ok {
			return i
		}
	}
	return 0
}

// outcomeSummary is a one-line account of a command's end.
func outcomeSummary(o CommandOutcome, err error) string {
	if err != nil {
		return "error: " + oneLine(err.Error())
	}
	if o.ExitCode != 0 {
		return fmt.Sprintf("exit code %d", o.ExitCode)
	}
	return "done, exit code 0"
}
