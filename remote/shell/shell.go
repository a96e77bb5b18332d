// Package shell defines how ucpilot runs PowerShell on a server, independently of the
// transport: the Shell interface that SSH, WinRM, a local process and the simulated lab
// all implement, plus the pieces every transport shares — the -EncodedCommand command
// line, quoting of untrusted values, a Script builder that passes values as data, the
// product preludes (Exchange, Skype for Business) and the JSON envelope that turns
// cmdlet output into something a parser can trust.
//
// Nothing here opens a connection; transports live in sibling packages.
package shell

import (
	"context"
	"time"
)

// Result is what a script produced. A non-zero ExitCode is a result, not an error: the
// script ran and said it failed, and the caller decides what that means.
type Result struct {
	Stdout   string
	Stderr   string
	ExitCode int
	Duration time.Duration
}

// OK reports whether the script exited with code 0.
func (r Result) OK() bool { return r.ExitCode == 0 }

// Shell runs PowerShell scripts somewhere.
//
// Run returns an error only when the script could not be run or its outcome could not be
// learned (connection refused, authentication failed, connection dropped, context
// cancelled). Implementations must honour ctx: a cancelled context ends Run promptly,
// even when the remote command never finishes.
type Shell interface {
	Run(ctx context.Context, script string) (Result, error)
	// Target names where scripts run, e.g. "exch01.contoso.com via ssh". It is shown in
	// confirmations and transcripts and never contains secrets.
	Target() string
	Close() error
}
