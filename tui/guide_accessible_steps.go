package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/engine/verify"
	"github.com/ucpilot/ucpilot/internal/safetext"
	"github.com/ucpilot/ucpilot/knowledge"
)

// printStep reads the step out in the order a person acts on it.
func (a *accessibleGuide) printStep() {
	st := a.step()
	a.cmds = a.cmds[:0]
	a.say("")
	a.say("Step %d of %d: %s", a.idx+1, len(a.topo.Steps), st.Title)
	if d, ok := a.prog.Topology(a.topo.ID).IsDone(st.ID); ok && a.stale[st.ID] {
		a.say("Status: done on %s, before the lab restarted; it may be undone now. Choose verify to check it again.", d.When.Local().Format("2006-01-02 15:04"))
	} else if ok {
		a.say("Status: done on %s, %s.", d.When.Local().Format("2006-01-02 15:04"), d.Verified())
	} else {
		a.say("Status: to do.")
	}
	if st.Optional {
		a.say("This step is optional.")
	}
	a.say("Where to run it: %s.", whereToRun(st))
	a.say("What: %s", oneLine(st.What))
	a.say("Why: %s", oneLine(st.Why))
	for _, p := range st.Prereqs {
		a.say("Before you start: %s", oneLine(p))
	}
	for _, c := range st.Commands {
		a.printCommand(c, st.Shell, st.Side)
	}
	a.say("Verify: %s", oneLine(st.Verify.Text))
	for _, c := range st.Verify.Commands {
		a.printCommand(c, st.Shell, st.Side)
	}
	if ok, why := autoVerifiable(st, a.o.Checks); ok {
		a.say("Verification runs the checks %s.", strings.Join(st.Verify.Checks, ", "))
	} else {
		a.say("This step cannot be verified automatically (%s). Check it yourself as Verify says, then choose confirm by hand.", why)
	}
}

// printCommand numbers a command and says what running it does.
func (a *accessibleGuide) printCommand(c knowledge.Command, shell knowledge.Shell, side string) {
	a.cmds = append(a.cmds, runnable{cmd: c, shell: shell, side: side})
	effect := "read-only"
	if c.Changes {
		effect = "changes the server"
	}
	if c.Disruptive {
		effect += ", disruptive"
	}
	if c.Shell != "" {
		shell = c.Shell
	}
	a.say("Command %d (%s, %s):", len(a.cmds), effect, shell.Label())
	for _, ln := range strings.Split(knowledge.MustRender(c.Text, a.o.Vars), "\n") {
		a.say("    %s", safetext.Line(strings.TrimSuffix(ln, "\r"), safetext.MaxLine))
	}
	if c.Note != "" {
		a.say("  Note: %s", oneLine(c.Note))
	}
}

func (a *accessibleGuide) pickCommand() (runnable, bool) {
	if len(a.cmds) == 1 {
		return a.cmds[0], true
	}
	ans, ok := a.ask(fmt.Sprintf("Command number, 1 to %d:", len(a.cmds)))
	if !ok {
		return runnable{}, false
	}
	n, err := strconv.Atoi(ans)
	if err != nil || n < 1 || n > len(a.cmds) {
		a.say("No command %q here; nothing was run.", ans)
		return runnable{}, false
	}
	return a.cmds[n-1], true
}

func (a *accessibleGuide) run(ctx context.Context) {
	r := a.src.Runner
	if r == nil || r.Prepare == nil || r.Run == nil {
		a.say("This session does not run commands: copy the command from above and run it yourself.")
		return
	}
	if len(a.cmds) == 0 {
		a.say("This step has no command to run.")
		return
	}
	c, ok := a.pickCommand()
	if !ok {
		return
	}
	if c.cmd.Changes && a.o.ReadOnly {
		a.say("Read-only session: this command changes the server, so it is not run.")
		return
	}
	pc, err := r.Prepare(CommandRequest{Command: c.cmd, Shell: c.shell, Side: c.side, Vars: a.o.Vars})
	if err != nil {
		a.say("Not run: %s", oneLine(err.Error()))
		return
	}
	answer := ""
	if pc.Changes || pc.ConfirmWord != "" || c.cmd.Changes {
		if pc.ConfirmWord == "" {
			pc.ConfirmWord = "yes"
		}
		a.say("This runs on %s:", pc.Target)
		for _, ln := range strings.Split(pc.Text, "\n") {
			a.say("    %s", safetext.Line(strings.TrimSuffix(ln, "\r"), safetext.MaxLine))
		}
		if answer, ok = a.ask(confirmPrompt(pc) + ":"); !ok {
			return
		}
		if !strings.EqualFold(answer, pc.ConfirmWord) {
			a.say("Not confirmed; the command was not run.")
			return
		}
	}
	cctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	out, err := r.Run(cctx, pc, answer)
	a.say("Command finished: %s.", outcomeSummary(out, err))
	for _, part := range []string{out.Stdout, out.Stderr} {
		if t := strings.TrimRight(part, "\n"); strings.TrimSpace(t) != "" {
			a.say("Output:")
			for _, ln := range strings.Split(t, "\n") {
				a.say("    %s", safetext.Line(strings.TrimSuffix(ln, "\r"), safetext.MaxLine))
			}
		}
	}
	a.say("Choose verify to check the step.")
}

func (a *accessibleGuide) verify(ctx context.Context) {
	st := a.step()
	ss := a.state()
	if ok, why := autoVerifiable(st, a.o.Checks); !ok {
		ss.verdict = verify.Incomplete
		a.say("This step cannot be verified automatically (%s). Check it yourself as Verify says, then choose confirm by hand.", why)
		return
	}
	a.say("Checking…")
	plan, unavailable, err := planVerification(ctx, a.o.Checks, a.o.Profile, st.Verify.Checks)
	if err != nil {
		a.say("The checks could not be planned: %s", oneLine(err.Error()))
		return
	}
	var results []engine.Result
	for r := range engine.Run(ctx, plan, a.o.Checks.RunOptions) {
		results = append(results, r)
		a.say("  %s %s: %s", r.Status, r.ID, oneLine(r.Summary))
	}
	for _, u := range unavailable {
		a.say("  not run %s", u)
	}
	ss.results, ss.unavailable = results, unavailable
	ss.verdict, ss.pitfalls = verify.Judge(st, results, unavailable)
	tp := a.prog.Topology(a.topo.ID)
	switch ss.verdict {
	case verify.Passed:
		tp.MarkDone(verify.Record(st, results, a.now()))
		delete(a.stale, st.ID)
		a.say("Verified: the step is done. Choose next step to go on.")
	case verify.Incomplete:
		a.say("Some checks cannot run here. Check the rest yourself, then choose confirm by hand.")
	case verify.Failed:
		tp.Undo(st.ID)
		delete(a.stale, st.ID)
		a.say("Verification failed: the step is not done.")
		a.printPitfalls(ss.pitfalls)
	}
	a.save()
}

// printPitfalls reads out what probably went wrong; their commands are
// numbered after the step's, so run can use them.
func (a *accessibleGuide) printPitfalls(ids []string) {
	for _, id := range ids {
		p := a.o.Base.Pitfall(id)
		if p == nil {
			continue
		}
		a.say("Probable cause: %s", p.Title)
		a.say("  %s", oneLine(p.Cause))
		a.say("  Fix: %s", oneLine(p.Fix))
		for _, c := range p.Commands {
			a.printCommand(c, a.step().Shell, a.step().Side)
		}
	}
	a.say("Apply the fix (choose run a command), then verify again.")
}

func (a *accessibleGuide) confirm() {
	st := a.step()
	ss := a.state()
	tp := a.prog.Topology(a.topo.ID)
	if _, done := tp.IsDone(st.ID); done {
		a.say("This step is already done.")
		return
	}
	if ss.verdict == verify.Failed {
		a.say("The verification failed: fix what it found and verify again. A failure cannot be confirmed by hand.")
		return
	}
	if ok, _ := autoVerifiable(st, a.o.Checks); ok && ss.verdict != verify.Incomplete {
		a.say("Checks can prove this step: choose verify.")
		return
	}
	ans, ok := a.ask("Confirm only after you checked what Verify says. Type done to mark the step done:")
	if !ok {
		return
	}
	if !strings.EqualFold(ans, "done") && !strings.EqualFold(ans, "yes") {
		a.say("Not confirmed.")
		return
	}
	tp.MarkDone(progress.StepDone{Step: st.ID, When: a.now().UTC(), ConfirmedBy: a.user})
	delete(a.stale, st.ID)
	a.save()
	a.say("Confirmed by %s: the step is done.", a.user)
}

func (a *accessibleGuide) reset() {
	ans, ok := a.ask(fmt.Sprintf("Forget the progress of %s for this environment? Type yes:", a.topo.ID))
	if !ok {
		return
	}
	if !strings.EqualFold(ans, "yes") {
		a.say("Not reset.")
		return
	}
	delete(a.prog.Topologies, a.topo.ID)
	for _, st := range a.topo.Steps {
		delete(a.states, st.ID)
	}
	if a.store != nil {
		if err := a.store.Reset(a.src.ProgressKey, a.topo.ID); err != nil {
			a.say("Progress not reset on disk: %s", oneLine(err.Error()))
		}
	}
	a.idx = 0
	a.say("Progress reset.")
	a.printStep()
}
