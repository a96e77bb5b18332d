package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/execute"
	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/engine/verify"
)

// commandTimeout bounds one command run from the guide; the runner's
// session honours the context.
const commandTimeout = 5 * time.Minute

// verify runs the step's verify checks; results stream in.
func (g *guide) verify() tea.Cmd {
	st := g.step()
	ss := g.state(st.ID)
	if ok, why := autoVerifiable(st, g.checks); !ok {
		ss.verdict = verify.Incomplete
		g.showStep(false)
		return statusCmd("cannot be verified automatically ("+why+"): check it yourself as Verify says, then press m", false)
	}
	if g.cancel != nil {
		g.cancel() // one verification at a time
	}
	for _, s := range g.states {
		if s.verdict == verify.Running {
			s.verdict = verify.None
		}
	}
	g.verifySeq++
	ctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel
	*ss = stepState{verdict: verify.Running, last: ss.last, running: ss.running}
	g.showStep(false)
	src, p, seq, id, ids := g.checks, g.c.Profile, g.verifySeq, st.ID, st.Verify.Checks
	return func() tea.Msg {
		plan, unavailable, err := planVerification(ctx, src, p, ids)
		if err != nil {
			return guideVerifyPlanMsg{seq: seq, step: id, err: err}
		}
		return guideVerifyPlanMsg{seq: seq, step: id, unavailable: unavailable, results: engine.Run(ctx, plan, src.RunOptions)}
	}
}

// waitGuideResult reads the verification's next result.
func waitGuideResult(seq int, step string, results <-chan engine.Result) tea.Cmd {
	return nextResult(results, func(res engine.Result) tea.Msg { return guideVerifyResultMsg{seq: seq, step: step, res: res} },
		guideVerifyDoneMsg{seq: seq, step: step})
}

func (g *guide) handleVerifyPlan(msg guideVerifyPlanMsg) tea.Cmd {
	if msg.seq != g.verifySeq {
		return nil
	}
	ss := g.state(msg.step)
	if msg.err != nil {
		ss.verdict, ss.planErr = verify.None, msg.err
		g.showStep(false)
		return statusCmd("could not plan the checks: "+oneLine(msg.err.Error()), true)
	}
	ss.unavailable = msg.unavailable
	g.results = msg.results
	return waitGuideResult(msg.seq, msg.step, msg.results)
}

func (g *guide) handleVerifyResult(msg guideVerifyResultMsg) tea.Cmd {
	if msg.seq != g.verifySeq {
		return nil
	}
	ss := g.state(msg.step)
	ss.results = append(ss.results, msg.res)
	g.showIfCurrent(msg.step)
	return waitGuideResult(msg.seq, msg.step, g.results)
}

// handleVerifyDone judges the step, records it and shows the pitfalls of
// a failure right under the results.
func (g *guide) handleVerifyDone(msg guideVerifyDoneMsg) tea.Cmd {
	if msg.seq != g.verifySeq {
		return nil
	}
	if g.cancel != nil {
		g.cancel()
		g.cancel = nil
	}
	topo, st := g.c.Base.Step(msg.step)
	if st == nil {
		return nil
	}
	ss := g.state(msg.step)
	ss.verdict, ss.pitfalls = verify.Judge(st, ss.results, ss.unavailable)
	tp := g.prog.Topology(topo.ID)
	var status tea.Cmd
	switch ss.verdict {
	case verify.Passed:
		tp.MarkDone(verify.Record(st, ss.results, g.now()))
		delete(g.stale, st.ID)
		status = statusCmd("verified: "+st.Title+" is done", false)
	case verify.Failed:
		tp.Undo(st.ID) // it was done once, but it fails now
		delete(g.stale, st.ID)
		status = statusCmd("verification failed: the matching pitfalls are shown under the results", true)
	case verify.Incomplete:
		status = statusCmd("some checks cannot run here; confirm the rest by hand with m", false)
	}
	g.refreshSteps()
	g.showIfCurrent(msg.step)
	if g.step() != nil && g.step().ID == msg.step {
		g.scrollTo("verify")
	}
	return tea.Batch(status, g.save())
}

func (g *guide) showIfCurrent(id string) {
	if st := g.step(); st != nil && st.ID == id {
		g.showStep(false)
	}
}

// runSelected runs the selected command: at once when it only reads, after
// the typed confirmation when it changes something.
func (g *guide) runSelected() tea.Cmd {
	r := g.src.Runner
	if r == nil || r.Prepare == nil || r.Run == nil {
		return statusCmd("this session runs no commands: copy it with c (or 1-9) and run it yourself", false)
	}
	if !g.detail.HasCopies() || g.detail.selected >= len(g.runs) {
		return statusCmd("this step has no command to run", true)
	}
	st := g.step()
	run := g.runs[g.detail.selected]
	if g.state(st.ID).running {
		return statusCmd("a command of this step is still running", true)
	}
	if run.cmd.Changes && g.c.ReadOnly {
		return statusCmd("read-only session: this command changes the server, so it is not run; copy it if you mean to", true)
	}
	pc, err := r.Prepare(CommandRequest{Command: run.cmd, Shell: run.shell, Side: run.side, Vars: g.c.Vars})
	if err != nil {
		return statusCmd("not run: "+oneLine(err.Error()), true)
	}
	if ph := execute.Placeholder(pc.Text); ph != "" {
		return statusCmd("not run: fill in "+ph+" first; copy it (c), complete it and run it yourself", true)
	}
	if pc.Changes || pc.ConfirmWord != "" || run.cmd.Changes {
		if pc.ConfirmWord == "" {
			pc.ConfirmWord = "yes" // a changing command is never run unasked
		}
		g.pending = pc
		g.ask(promptRun)
		return nil
	}
	return g.startRun(pc, "")
}

func (g *guide) startRun(pc PendingCommand, confirmation string) tea.Cmd {
	st := g.step()
	g.state(st.ID).running = true
	g.showStep(false)
	run, id := g.src.Runner.Run, st.ID
	return tea.Sequence(statusCmd("running on "+pc.Target+"…", false), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
		defer cancel()
		out, err := run(ctx, pc, confirmation)
		return guideRanMsg{step: id, pending: pc, out: out, err: err}
	})
}

func (g *guide) handleRan(msg guideRanMsg) tea.Cmd {
	ss := g.state(msg.step)
	ss.running = false
	ss.last = &ranCommand{pending: msg.pending, out: msg.out, err: msg.err}
	g.showIfCurrent(msg.step)
	if st := g.step(); st != nil && st.ID == msg.step {
		g.scrollTo("run")
	}
	failed := msg.err != nil || msg.out.ExitCode != 0
	hint := "; press v to verify the step"
	return statusCmd(firstLine(msg.pending.Text)+": "+outcomeSummary(msg.out, msg.err)+hint, failed)
}

// confirmManually asks for an explicit confirmation, only for a step the
// checks cannot prove (or not all of it) and never over a failure.
func (g *guide) confirmManually() tea.Cmd {
	st := g.step()
	ss := g.state(st.ID)
	if _, done := g.topoProgress().IsDone(st.ID); done && ss.verdict != verify.Incomplete {
		return statusCmd("this step is already done", false)
	}
	switch ss.verdict {
	case verify.Failed:
		return statusCmd("the verification failed: fix what it found and press v again; a failure cannot be confirmed away", true)
	case verify.Running:
		return statusCmd("the verification is still running", true)
	}
	if ok, _ := autoVerifiable(st, g.checks); ok && ss.verdict != verify.Incomplete {
		return statusCmd("checks can prove this step: press v to verify it", true)
	}
	g.ask(promptManual)
	return nil
}

// ask opens the confirmation field at the bottom of the screen.
func (g *guide) ask(p promptKind) {
	g.prompt = p
	g.input.SetValue("")
	g.input.Focus()
	g.layout()
}

func (g *guide) closePrompt() {
	g.prompt, g.retry = promptNone, ""
	g.input.Blur()
	g.input.SetValue("")
	g.layout()
}

// handlePromptKey: enter answers, esc cancels, everything else is typing.
func (g *guide) handlePromptKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case msg.Type == tea.KeyEsc:
		g.closePrompt()
		return statusCmd("cancelled", false)
	case msg.Type == tea.KeyEnter:
		answer := strings.TrimSpace(g.input.Value())
		if why := g.wrongAnswer(g.prompt, answer); why != "" {
			// Asked again: closing would hand the next keys to the list.
			g.retry = why
			g.input.SetValue("")
			g.layout()
			return nil
		}
		p := g.prompt
		g.closePrompt()
		return g.answer(p, answer)
	}
	var cmd tea.Cmd
	g.input, cmd = g.input.Update(msg)
	return cmd
}

// wrongAnswer says why answer does not answer prompt p ("" when it does).
func (g *guide) wrongAnswer(p promptKind, answer string) string {
	yes := strings.EqualFold(answer, "yes")
	switch {
	case p == promptRun && !strings.EqualFold(answer, g.pending.ConfirmWord):
		return fmt.Sprintf("typed %s, needed %s: type %s to run it, or esc to cancel", quoteShort(answer), g.pending.ConfirmWord, g.pending.ConfirmWord)
	case p == promptManual && !yes && !strings.EqualFold(answer, "done"):
		return fmt.Sprintf("typed %s: type done (or yes) to mark the step done, or esc to cancel", quoteShort(answer))
	case p == promptReset && !yes:
		return fmt.Sprintf("typed %s: type yes to forget the progress, or esc to cancel", quoteShort(answer))
	}
	return ""
}

func (g *guide) answer(p promptKind, answer string) tea.Cmd {
	yes := strings.EqualFold(answer, "yes")
	switch p {
	case promptRun:
		if !strings.EqualFold(answer, g.pending.ConfirmWord) {
			return statusCmd(fmt.Sprintf("not confirmed (typed %q, needed %s): the command was not run", answer, g.pending.ConfirmWord), true)
		}
		return g.startRun(g.pending, answer)
	case promptManual:
		if !yes && !strings.EqualFold(answer, "done") {
			return statusCmd("not confirmed: type done or yes to mark the step done", true)
		}
		st := g.step()
		g.topoProgress().MarkDone(progress.StepDone{Step: st.ID, When: g.now().UTC(), ConfirmedBy: g.user})
		delete(g.stale, st.ID)
		g.refreshSteps()
		g.showStep(false)
		return tea.Batch(statusCmd("confirmed by "+g.user+": "+st.Title, false), g.save())
	case promptReset:
		if !yes {
			return statusCmd("not reset: type yes to forget the progress", true)
		}
		return g.reset()
	}
	return nil
}

// reset forgets the topology's progress on disk and in this session.
func (g *guide) reset() tea.Cmd {
	if g.topo == nil {
		return nil
	}
	delete(g.prog.Topologies, g.topo.ID)
	for _, st := range g.topo.Steps {
		delete(g.states, st.ID)
	}
	g.notice = ""
	var saved tea.Cmd
	if g.store != nil {
		if err := g.store.Reset(g.src.ProgressKey, g.topo.ID); err != nil {
			saved = statusCmd("progress not reset on disk: "+oneLine(err.Error()), true)
		}
	}
	g.idx = 0
	g.refreshSteps()
	g.showStep(true)
	if saved != nil {
		return saved
	}
	return statusCmd("progress of "+g.topo.ID+" reset: every step is to do again", false)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
