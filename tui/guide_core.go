package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/engine/verify"
	"github.com/ucpilot/ucpilot/knowledge"
)

// This file holds the guide's logic that does not depend on Bubble Tea, so
// the full-screen guide and the accessible one behave the same.

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
// and, transitively, those they depend on or are gated by. Step checks the
// plan cannot run here are listed with the reason.
func planVerification(ctx context.Context, src *CheckSource, p *profile.Profile, ids []string) (*engine.Plan, []string, error) {
	full, err := src.Plan(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	plan, unavailable := verify.Narrow(full, ids)
	return plan, unavailable, nil
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

// staleSteps are the steps the saved progress marks done when the
// environment restarted since (GuideSource.ResumeNote set: a lab starts
// from its scenario, which may undo them). Nil otherwise.
func staleSteps(src *GuideSource, p *progress.Progress) map[string]bool {
	if src == nil || src.ResumeNote == "" {
		return nil
	}
	stale := map[string]bool{}
	for _, t := range p.Topologies {
		if t == nil {
			continue
		}
		for _, d := range t.Done {
			stale[d.Step] = true
		}
	}
	return stale
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

// stepGlyph marks a step in lists: done, current or to do, and ↺ for
// one done before the environment restarted. The glyphs differ in shape,
// so they read without colour.
func stepGlyph(done, stale, current bool) string {
	switch {
	case done && stale:
		return "↺"
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
