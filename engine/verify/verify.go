// Package verify holds the guide's verdicts: which checks prove a step,
// whether a finished run proved it, and what the progress file records.
// The full-screen guide and the accessible one both use it, so they judge
// a step the same way.
package verify

import (
	"slices"
	"time"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/knowledge"
)

// Verdict is where a step's verification stands.
type Verdict int

const (
	None       Verdict = iota // not verified in this session
	Running                   // checks under way
	Passed                    // every verify check passed: the step is done
	Failed                    // a check failed: pitfalls are shown
	Incomplete                // what ran passed, but some checks cannot run here
)

// Narrow keeps of the full plan the checks ids (with what they depend on
// or are gated by). The ids it cannot run come back with the reason, for
// the user.
func Narrow(full *engine.Plan, ids []string) (*engine.Plan, []string) {
	var unavailable, keep []string
	for _, id := range ids {
		switch {
		case full.Has(id):
			keep = append(keep, id)
		case slices.Contains(full.NeedCredentials, id):
			unavailable = append(unavailable, id+": needs PowerShell on the server, which this session has no credentials for")
		case slices.Contains(full.NotImplemented, id):
			unavailable = append(unavailable, id+": not implemented in this version of ucpilot")
		default:
			unavailable = append(unavailable, id+": not planned for this environment (its topology or profile leaves it out)")
		}
	}
	return full.Subset(keep), unavailable
}

// Passes is the bar a verify check must clear: pass. A warning does not
// do: some checks warn exactly when the step was skipped (an unset
// ExchangeAutodiscoverUrl works by a guess).
func Passes(s engine.Status) bool { return s == engine.StatusPass }

// Judge decides a finished verification. A step passes only when every
// one of its checks ran and passed; when one failed, the pitfalls come
// from the failing results (dependencies included), or from the step.
func Judge(st *knowledge.Step, results []engine.Result, unavailable []string) (Verdict, []string) {
	byID := map[string]engine.Result{}
	for _, r := range results {
		byID[r.ID] = r
	}
	failed := false
	for _, id := range st.Verify.Checks {
		if r, ok := byID[id]; ok && !Passes(r.Status) {
			failed = true
		}
	}
	if !failed {
		if len(unavailable) > 0 {
			return Incomplete, nil
		}
		for _, id := range st.Verify.Checks {
			if _, ok := byID[id]; !ok {
				return Incomplete, nil
			}
		}
		return Passed, nil
	}
	var ids []string
	for _, r := range results {
		if r.Status.Problem() {
			for _, id := range r.Pitfalls {
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
	}
	if len(ids) == 0 {
		ids = append(ids, st.Pitfalls...)
	}
	return Failed, ids
}

// Record is the progress record of a step its checks proved.
func Record(st *knowledge.Step, results []engine.Result, now time.Time) progress.StepDone {
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

// CountDone counts the steps of t that tp marks done.
func CountDone(t *knowledge.Topology, tp *progress.Topology) int {
	n := 0
	for _, st := range t.Steps {
		if _, ok := tp.IsDone(st.ID); ok {
			n++
		}
	}
	return n
}

// ResumeIndex is the step to open: the stored current step, else the
// first step not done, else the first.
func ResumeIndex(t *knowledge.Topology, tp *progress.Topology) int {
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
