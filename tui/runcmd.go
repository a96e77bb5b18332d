package tui

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/engine/execute"
	"github.com/ucpilot/ucpilot/internal/safetext"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui/components"
)

// This file is x outside the Guide: Troubleshoot (a pitfall's commands),
// Browse (a step's commands) and Checks (a finding's fix) run the selected
// command through the same CommandRunner, and ask the same question before
// a changing command, as the Guide does. The root model owns the flow (one
// command at a time) and the question box; each screen shows the output
// of the command run from the entry it shows.

// commandHost is a screen that runs commands with x.
type commandHost interface {
	// commandStarted: the command for entry key is running.
	commandStarted(key string, pc PendingCommand)
	// commandFinished: it ended; the screen shows the output and may start
	// something (the checks that prove a fix).
	commandFinished(key string, r ranCommand, changes bool) tea.Cmd
}

// pendingRun is a command waiting for its confirmation word.
type pendingRun struct {
	owner   screenID
	key     string
	pc      PendingCommand
	changes bool
}

// commandRanMsg carries the end of a command run with x from a screen.
type commandRanMsg struct {
	owner   screenID
	key     string
	run     ranCommand
	changes bool
}

// runRequest is what a screen asks the flow to run: the selected
// copyable of the entry named key.
func (f *runFlow) request(owner screenID, key string, cp *copyable) tea.Cmd {
	r := f.runner
	switch {
	case r == nil:
		return statusCmd("this session runs no commands: copy it with c (or 1-9) and run it yourself", false)
	case cp == nil:
		return statusCmd("nothing to run in this entry", true)
	case cp.run == nil:
		return statusCmd("this is a value to copy (c), not a command ucpilot can run", true)
	case execute.Placeholder(cp.Text) != "":
		return statusCmd("not run: fill in "+execute.Placeholder(cp.Text)+" first; copy it (c), complete it and run it yourself", true)
	case cp.run.cmd.Changes && f.c.ReadOnly:
		return statusCmd("read-only mode: this command changes the server, so it is not run (c copies it)", true)
	case f.busy:
		return statusCmd("a command is still running: wait for its result", true)
	}
	run := cp.run
	pc, err := r.Prepare(CommandRequest{Command: run.cmd, Shell: run.shell, Side: run.side, Vars: run.vars(f.c.Vars)})
	if err != nil {
		return statusCmd("not run: "+oneLine(f.redact(err.Error())), true)
	}
	pr := pendingRun{owner: owner, key: key, pc: pc, changes: run.cmd.Changes || pc.Changes}
	if pr.changes || pc.ConfirmWord != "" {
		if pr.pc.ConfirmWord == "" {
			pr.pc.ConfirmWord = "yes" // a changing command is never run unasked
		}
		f.confirm = &pr
		f.openInput(false)
		return nil
	}
	return f.start(pr, "")
}

// start runs pr off the UI goroutine; commandRanMsg brings the result.
func (f *runFlow) start(pr pendingRun, confirmation string) tea.Cmd {
	f.busy = true
	if h := f.hosts[pr.owner]; h != nil {
		h.commandStarted(pr.key, pr.pc)
	}
	run := f.runner.Run
	// In sequence: "running…" never lands after the result's own status.
	return tea.Sequence(statusCmd("running on "+pr.pc.Target+"…", false), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
		defer cancel()
		out, err := run(ctx, pr.pc, confirmation)
		return commandRanMsg{owner: pr.owner, key: pr.key, run: ranCommand{pending: pr.pc, out: out, err: err}, changes: pr.changes}
	})
}

// finish hands the result to its screen and sums it up in the status line.
func (f *runFlow) finish(msg commandRanMsg) tea.Cmd {
	f.busy = false
	r := msg.run
	failed := r.err != nil || r.out.ExitCode != 0
	status := statusCmd(firstLine(r.pending.Text)+": "+outcomeSummary(r.out, r.err), failed)
	h := f.hosts[msg.owner]
	if h == nil {
		return status
	}
	if failed {
		// A command that failed or was refused proved nothing: the screen
		// shows its output, but no check re-runs and the failure stays.
		h.commandFinished(msg.key, r, false)
		return status
	}
	// The screen's own status (a re-run of the checks) comes last and wins.
	return tea.Sequence(status, h.commandFinished(msg.key, r, msg.changes))
}

// vars is what fills the command: the values the entry was rendered
// with (a check's plan), else the session's.
func (r *runnable) vars(session knowledge.Vars) knowledge.Vars {
	if r.with != nil {
		return *r.with
	}
	return session
}

// redactingRunner wraps r so that what a command printed and every error
// pass through redact before any screen shows them: a password echoed by
// a server never reaches the terminal.
func redactingRunner(r *CommandRunner, redact func(string) string) *CommandRunner {
	if r == nil || redact == nil || r.Run == nil {
		return r
	}
	out := *r
	run := r.Run
	out.Run = func(ctx context.Context, pc PendingCommand, confirmation string) (CommandOutcome, error) {
		o, err := run(ctx, pc, confirmation)
		o.Stdout, o.Stderr = redact(o.Stdout), redact(o.Stderr)
		if err != nil {
			err = redactedError{msg: redact(err.Error()), err: err}
		}
		return o, err
	}
	if prep := r.Prepare; prep != nil {
		out.Prepare = func(req CommandRequest) (PendingCommand, error) {
			pc, err := prep(req)
			if err != nil {
				err = redactedError{msg: redact(err.Error()), err: err}
			}
			return pc, err
		}
	}
	return &out
}

// redactedError shows a redacted message and keeps the chain for errors.Is.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// pitfallSide is where a pitfall's cmd commands run: the side every step
// that names the pitfall shares. "" when the steps disagree or none names
// it; running such a command then says which side is missing.
func pitfallSide(b *knowledge.Base, id string) string {
	side := ""
	for _, t := range b.Topologies {
		for _, st := range t.Steps {
			if !contains(st.Pitfalls, id) || (st.Side != "exchange" && st.Side != "sfb") {
				continue
			}
			if side != "" && side != st.Side {
				return ""
			}
			side = st.Side
		}
	}
	return side
}

// checkSide is the side a credentialed check reads ("ps.exchange.…").
func checkSide(id string) string {
	switch {
	case strings.HasPrefix(id, "ps.exchange."):
		return "exchange"
	case strings.HasPrefix(id, "ps.sfb."):
		return "sfb"
	}
	return ""
}

// writeRanCommand writes the output section of a command: the command as
// it ran, where, how it ended and the tail of what it printed. The Guide
// and the other screens show it the same way.
func writeRanCommand(w *docWriter, title string, running bool, r *ranCommand) {
	if running {
		w.section(title)
		w.anchor = len(w.lines) - 1
		w.faint("running…")
		return
	}
	if r == nil {
		return
	}
	w.section(title)
	w.anchor = len(w.lines) - 1
	for _, ln := range strings.Split(r.pending.Text, "\n") {
		w.add(w.c.Styles.Command, 2, ln)
	}
	// What a server printed (and its errors) is outside text: control
	// characters are shown, never sent to the terminal (an OSC 52 in a
	// command's output must not write the clipboard).
	summary := safetext.Line(fmt.Sprintf("on %s · %s", r.pending.Target, outcomeSummary(r.out, r.err)), safetext.MaxLine)
	if r.out.Duration > 0 {
		summary += fmt.Sprintf(" · %dms", r.out.Duration.Milliseconds())
	}
	style := w.c.Styles.Faint
	if r.err != nil || r.out.ExitCode != 0 {
		style = w.c.Styles.StatusError
	}
	w.add(style, 0, summary)
	for _, part := range []string{r.out.Stdout, r.out.Stderr} {
		lines := strings.Split(strings.TrimRight(part, "\n"), "\n")
		if strings.TrimSpace(part) == "" {
			continue
		}
		if len(lines) > maxOutputLines {
			w.faint(fmt.Sprintf("… %d earlier lines", len(lines)-maxOutputLines))
			lines = lines[len(lines)-maxOutputLines:]
		}
		for _, ln := range lines {
			w.add(w.c.Styles.Plain, 2, safetext.Line(strings.TrimSuffix(ln, "\r"), safetext.MaxLine))
		}
	}
}

// confirmMaxLines bounds the command shown in the question box.
const confirmMaxLines = 10

// confirmLines is the body of the question before a changing command
// runs: where, exactly what (values filled in), and the word to type.
func confirmLines(s *Styles, w int, pc PendingCommand) []string {
	var lines []string
	add := func(text string) {
		for _, ln := range strings.Split(ansi.Wrap(text, max(w-2, 10), ""), "\n") {
			lines = append(lines, " "+ln)
		}
	}
	add("Runs on " + pc.Target + ":")
	// The whole command, wrapped at spaces: what changes the server is
	// often at the end. A long script shows its first lines.
	cmd := components.WrapCommand(pc.Text, max(w-3, 10))
	for i, ln := range cmd {
		if i == confirmMaxLines-1 && len(cmd) > confirmMaxLines {
			lines = append(lines, "   "+s.Faint.Render(fmt.Sprintf("… %d more lines", len(cmd)-i)))
			break
		}
		lines = append(lines, "   "+ln)
	}
	add(confirmPrompt(pc) + ":")
	return lines
}

// wireRunners sets up the run flow and the x keys: the runner (the
// caller's, else the Guide's) wrapped so secrets are redacted, and the x
// binding that applies (run, or "copy it" without a runner).
func wireRunners(c *Common, o Options) Options {
	c.runs = newRunFlow(c, o)
	r := o.Runner
	if r == nil && o.Guide != nil {
		r = o.Guide.Runner
	}
	k := c.Keys
	if r != nil && r.Prepare != nil && r.Run != nil {
		c.runs.runner = redactingRunner(r, o.Redact)
		k.RunOff.Unbind()
		if c.ReadOnly {
			k.Run.SetHelp("x", "run (read-only commands only)")
		}
	} else {
		k.Run.Unbind()
	}
	if o.Guide != nil && o.Guide.Runner != nil {
		g := *o.Guide // the caller's value stays as it was
		g.Runner = redactingRunner(g.Runner, o.Redact)
		o.Guide = &g
	}
	return o
}
