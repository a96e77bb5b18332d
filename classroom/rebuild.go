package classroom

import (
	"context"
	"fmt"

	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui"
)

// rebuildResult says what replaying a trainee's completed steps did.
type rebuildResult struct {
	steps, commands, failed, skipped int
}

// rebuild brings a fresh lab to where the trainee left theirs: the commands
// that change something, of every step they completed, run again through
// the session's own runner (so only their lab is reached), in the order the
// steps were done. A command that fails (already done by an earlier one, a
// placeholder to fill by hand) is counted, not fatal: the guide's verify
// (v) shows what still holds.
func rebuild(ctx context.Context, kb *knowledge.Base, runner *tui.CommandRunner, vars knowledge.Vars,
	tp *progress.Topology) rebuildResult {
	var res rebuildResult
	if runner == nil || tp == nil {
		return res
	}
	for _, d := range tp.Done {
		_, st := kb.Step(d.Step)
		if st == nil {
			continue
		}
		res.steps++
		for _, c := range st.Commands {
			if !c.Changes {
				continue
			}
			if ctx.Err() != nil {
				return res
			}
			pc, err := runner.Prepare(tui.CommandRequest{Command: c, Shell: st.Shell, Side: st.Side, Vars: vars})
			if err != nil {
				res.skipped++
				continue
			}
			res.commands++
			if out, err := runner.Run(ctx, pc, pc.ConfirmWord); err != nil || out.ExitCode != 0 {
				res.failed++
			}
		}
	}
	return res
}

// note is the line the guide shows on resuming.
func (r rebuildResult) note() string {
	if r.steps == 0 {
		return ""
	}
	s := fmt.Sprintf("welcome back: your lab was rebuilt from the %d step(s) you completed (%d command(s) ran again", r.steps, r.commands)
	if r.failed > 0 {
		s += fmt.Sprintf(", %d failed", r.failed)
	}
	return s + "); v verifies a step"
}
