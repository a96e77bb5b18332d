// Package execute runs a knowledge-base command on the right server:
// Prepare fills the command with the profile's values (only values that
// pass validation), picks the shell by the command's shell kind and says
// what confirmation it needs; Execute runs it once confirmed and records
// it in the transcript.
package execute

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/ucpilot/ucpilot/engine/transcript"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// Sides, as in engine.SideExchange / engine.SideSfB.
const (
	SideExchange = "exchange"
	SideSfB      = "sfb"
)

// Targets are the sessions commands may run in.
type Targets struct {
	// Shells by side ("exchange", "sfb") and, optionally, by shell kind
	// ("graph", "dns", "cmd", …): a kind's own entry wins over its side.
	// The lab supplies every kind; a real deployment only the two sides.
	Shells map[string]shell.Shell
	// Side is the side of the step a cmd command belongs to (iisreset on
	// Exchange, net group on a Front End).
	Side string
	// ReadOnly refuses every command that changes something.
	ReadOnly bool
	// Log, when set, receives an entry for every command Execute runs.
	Log *transcript.Log
}

// Pending is a command ready to run, shown to the user before it does.
type Pending struct {
	Text        string          // the command with the values filled in
	Target      string          // where it runs: the shell's Target()
	Server      string          // the server's name, from the target
	Kind        knowledge.Shell // the shell kind it needs
	Changes     bool
	Disruptive  bool
	ConfirmWord string // what the user types to confirm: "yes", or the server's short name when disruptive; "" for read-only commands
	Shell       shell.Shell

	log *transcript.Log
}

// Errors Prepare and Execute return; test with errors.Is.
var (
	ErrReadOnly     = errors.New("read-only mode")
	ErrNotConfirmed = errors.New("not confirmed")
	ErrNoShell      = errors.New("no shell for this command")
	ErrPlaceholder  = errors.New("the command has a placeholder to fill by hand")
)

// A placeholder is a name in angle brackets, any case ("<tenant id>",
// "<pool FQDN>", "<thumbprint of the OAuth certificate>").
var placeholderRE = regexp.MustCompile(`<[a-zA-Z][a-zA-Z0-9 _./-]*>`)

// Placeholder returns the first <placeholder> left in a rendered command
// ("" when none): a value only the user knows, so the command is theirs to
// complete and run, never ucpilot's.
func Placeholder(text string) string { return placeholderRE.FindString(text) }

// Prepare renders cmd for the step's shell kind (cmd.Shell overrides it)
// and picks the session it runs in.
func Prepare(cmd knowledge.Command, kind knowledge.Shell, vars knowledge.Vars, t Targets) (Pending, error) {
	if cmd.Shell != "" {
		kind = cmd.Shell
	}
	text, err := Render(cmd.Text, vars)
	if err != nil {
		return Pending{}, err
	}
	if m := placeholderRE.FindString(text); m != "" {
		return Pending{}, fmt.Errorf("%w: replace %s yourself, then run it; ucpilot does not guess it", ErrPlaceholder, m)
	}
	sh, err := t.shellFor(kind)
	if err != nil {
		return Pending{}, err
	}
	p := Pending{Text: text, Target: sh.Target(), Server: serverOf(sh.Target()), Kind: kind, Changes: cmd.Changes,
		Disruptive: cmd.Disruptive, Shell: sh, log: t.Log}
	if cmd.Changes && t.ReadOnly {
		return Pending{}, fmt.Errorf("%w: this command changes %s; it was not run", ErrReadOnly, p.Server)
	}
	switch {
	case cmd.Disruptive:
		p.Changes = true
		p.ConfirmWord = shortName(p.Server)
	case cmd.Changes:
		p.ConfirmWord = "yes"
	}
	return p, nil
}

func (t Targets) shellFor(kind knowledge.Shell) (shell.Shell, error) {
	if sh := t.Shells[string(kind)]; sh != nil {
		return sh, nil
	}
	side := ""
	switch kind {
	case knowledge.ShellEMS:
		side = SideExchange
	case knowledge.ShellSfBMS:
		side = SideSfB
	case knowledge.ShellCmd:
		side = t.Side
		if side == "" {
			return nil, fmt.Errorf("%w: a command-prompt command needs the step's side (exchange or sfb) to know which server", ErrNoShell)
		}
	default:
		return nil, fmt.Errorf("%w: %s commands run in the tenant; run this yourself, ucpilot does not sign in to the tenant", ErrNoShell, kind.Label())
	}
	if sh := t.Shells[side]; sh != nil {
		return sh, nil
	}
	return nil, fmt.Errorf("%w: no %s session (add %s.shell to the profile and log on)", ErrNoShell, side, side)
}

// serverOf takes the host name from a shell target such as
// "exch01.contoso.com via ssh".
func serverOf(target string) string {
	f := strings.Fields(target)
	if len(f) == 0 {
		return "the server"
	}
	return f[0]
}

func shortName(host string) string {
	h, _, _ := strings.Cut(strings.ToLower(host), ".")
	return h
}

// Execute runs p. A read-only command runs at once; a changing one only
// when confirmation is "yes", a disruptive one only when it is the
// server's short name (case does not matter). The result is recorded in
// the transcript whether the command succeeded or not.
func Execute(ctx context.Context, p Pending, confirmation string) (shell.Result, error) {
	if p.Shell == nil {
		return shell.Result{}, fmt.Errorf("%w: the command was not prepared", ErrNoShell)
	}
	if p.Changes && !strings.EqualFold(strings.TrimSpace(confirmation), p.ConfirmWord) {
		if p.Disruptive {
			return shell.Result{}, fmt.Errorf("%w: type %s to run this on %s", ErrNotConfirmed, p.ConfirmWord, p.Server)
		}
		return shell.Result{}, fmt.Errorf("%w: answer yes to run this on %s", ErrNotConfirmed, p.Server)
	}
	script, err := shell.Script{Prelude: prelude(p.Kind), Body: p.Text}.Render()
	if err != nil {
		return shell.Result{}, err
	}
	res, runErr := p.Shell.Run(ctx, script)
	if p.log != nil {
		e := transcript.Entry{Kind: transcript.KindCommand, Target: p.Target, Command: p.Text, ExitCode: res.ExitCode,
			Output: strings.TrimRight(res.Stdout+"\n"+res.Stderr, "\n")}
		if runErr != nil {
			e.Error = runErr.Error()
			e.CutOff = ctx.Err() != nil
		}
		if err := p.log.Append(e); err != nil {
			return res, errors.Join(runErr, fmt.Errorf("the command ran but the transcript could not be written: %w", err))
		}
	}
	return res, runErr
}

func prelude(kind knowledge.Shell) string {
	switch kind {
	case knowledge.ShellEMS:
		return shell.ExchangePrelude()
	case knowledge.ShellSfBMS:
		return shell.SfBPrelude()
	}
	return ""
}
