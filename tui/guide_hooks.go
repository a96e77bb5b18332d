package tui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ucpilot/ucpilot/engine/execute"
	"github.com/ucpilot/ucpilot/knowledge"
)

// GuideSource enables the Guide screen (Options.Guide). Verification uses
// Options.Checks: the guide plans with it and keeps only the checks a step
// names (and the checks those depend on).
type GuideSource struct {
	// Topology is the environment's topology (onprem, hybrid, sfbonline);
	// the picker starts on it. "" starts on the first.
	Topology string
	// ProgressKey names the environment whose progress is kept: the
	// profile's path, or "lab:<scenario>". "" keeps progress in memory only.
	ProgressKey string
	// ProgressDir overrides where progress files live; "" is
	// progress.DefaultDir() ($XDG_STATE_HOME/ucpilot/progress).
	ProgressDir string
	// Runner runs a step's commands (x). nil means the user copies each
	// command and runs it themselves; x then only says so.
	Runner *CommandRunner
	// User names who confirms steps no check can prove; "" is the
	// operating system's user name.
	User string
	// ResumeNote, when set, is shown once saved progress is resumed: a lab
	// starts from its scenario every time, so steps done in an earlier
	// session may need doing again there.
	ResumeNote string
}

// CommandRequest is one command the user asked to run.
type CommandRequest struct {
	Command knowledge.Command
	Shell   knowledge.Shell // the step's shell; Command.Shell overrides it
	Side    string          // the step's side (exchange, sfb, …): where a cmd command runs
	Vars    knowledge.Vars  // the session's values at this moment
}

// PendingCommand is a command ready to run, shown to the user first.
type PendingCommand struct {
	Text   string // exactly what will run, values filled in
	Target string // where it runs ("exch01.contoso.com via winrm")
	// ConfirmWord is what the user must type before a changing command
	// runs: "yes", or the server's short name for a disruptive one. ""
	// (a read-only command) runs without asking.
	ConfirmWord string
	Changes     bool
	Disruptive  bool
	// Handle is the runner's own state for Run (an execute.Pending).
	Handle any
}

// CommandOutcome is what a command printed and how it ended.
type CommandOutcome struct {
	Stdout   string
	Stderr   string
	ExitCode int
	Duration time.Duration
}

// CommandRunner runs commands for the guide. Both functions run off the
// UI goroutine.
type CommandRunner struct {
	// Label says where commands run ("the lab", "your servers"); shown in
	// the guide's hints.
	Label string
	// Prepare fills in the command and picks where it runs. An error (no
	// session for that shell, a placeholder to fill by hand, read-only
	// mode) is shown to the user as is.
	Prepare func(req CommandRequest) (PendingCommand, error)
	// Run runs p; confirmation is what the user typed (it is checked
	// again here, so a runner can never skip the question).
	Run func(ctx context.Context, p PendingCommand, confirmation string) (CommandOutcome, error)
}

// ExecuteRunner runs commands through engine/execute: the same preparation
// (validated values, shell by kind, confirmation word) and the transcript
// as the rest of ucpilot. For the lab, t.Shells holds one lab shell per
// kind plus "exchange" and "sfb"; for real servers the two sides' sessions.
func ExecuteRunner(label string, t execute.Targets) *CommandRunner {
	return &CommandRunner{
		Label: label,
		Prepare: func(req CommandRequest) (PendingCommand, error) {
			tt := t
			tt.Side = req.Side
			p, err := execute.Prepare(req.Command, req.Shell, req.Vars, tt)
			if err != nil {
				return PendingCommand{}, err
			}
			return PendingCommand{Text: p.Text, Target: p.Target, ConfirmWord: p.ConfirmWord,
				Changes: p.Changes, Disruptive: p.Disruptive, Handle: p}, nil
		},
		Run: func(ctx context.Context, pc PendingCommand, confirmation string) (CommandOutcome, error) {
			p, ok := pc.Handle.(execute.Pending)
			if !ok {
				return CommandOutcome{}, errors.New("the command was not prepared by this runner (a bug)")
			}
			res, err := execute.Execute(ctx, p, confirmation)
			return CommandOutcome{Stdout: res.Stdout, Stderr: res.Stderr, ExitCode: res.ExitCode, Duration: res.Duration}, err
		},
	}
}

// confirmPrompt is the question asked before pc runs.
func confirmPrompt(pc PendingCommand) string {
	what := "This changes the server."
	if pc.Disruptive {
		what = "This changes the server and interrupts its users."
	}
	return fmt.Sprintf("%s Type %s to run it", what, pc.ConfirmWord)
}
