package main

import (
	"path/filepath"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/connect"
	"github.com/ucpilot/ucpilot/engine/execute"
	"github.com/ucpilot/ucpilot/engine/transcript"
	"github.com/ucpilot/ucpilot/remote/lab"
	"github.com/ucpilot/ucpilot/remote/shell"
	"github.com/ucpilot/ucpilot/tui"
)

// labShells opens one lab session per shell kind (variables persist per
// kind, like open consoles) plus the two sides engine/execute falls back to.
func labShells(l *lab.Lab) map[string]shell.Shell {
	shells := map[string]shell.Shell{}
	for _, k := range l.Shells() {
		shells[k] = l.Shell(k)
	}
	shells[execute.SideExchange], shells[execute.SideSfB] = shells["ems"], shells["sfbms"]
	return shells
}

// guideSource configures the Guide: in the lab it runs commands in the
// lab's shells; with a profile it keeps progress under the profile's path.
func (e *tuiEnvironment) guideSource(readOnly bool) *tui.GuideSource {
	if e.lab != nil {
		return &tui.GuideSource{Topology: e.lab.Env().Topology, ProgressKey: "lab:" + e.scenario,
			ResumeNote: "the lab restarted from its scenario: steps done before show ↺ until v checks them again",
			Runner:     tui.ExecuteRunner("the lab", execute.Targets{Shells: labShells(e.lab), ReadOnly: readOnly})}
	}
	key := e.env.Path
	if abs, err := filepath.Abs(key); err == nil {
		key = abs
	}
	g := &tui.GuideSource{ProgressKey: key}
	if e.env.Profile != nil {
		g.Topology = e.env.Profile.Topology
	}
	g.Runner = e.serverRunner(readOnly)
	return g
}

// attachServers prepares the profile's shells (nothing connects yet): the
// Asker the logins ask through and the redactor every secret joins.
func (e *tuiEnvironment) attachServers() {
	if e.lab != nil || e.env.Profile == nil {
		return
	}
	e.asker, e.red = tui.NewAsker(), transcript.NewRedactor()
	s := connect.NewPool(e.env.Profile, e.red.Register, e.asker)
	if len(s.Sides()) > 0 {
		e.servers = s
	}
}

func (e *tuiEnvironment) closeServers() {
	if e.asker != nil {
		e.asker.Close() // a login still asking fails instead of hanging
	}
	if e.servers != nil {
		e.servers.Close()
	}
}

// serverPlanOptions gives the Checks screen the sessions already open, so
// the credentialed checks run once the user has logged on for a command.
// Opening the Checks screen never asks for a password by itself.
func serverPlanOptions(pool *connect.Pool) engine.PlanOptions {
	shells, hostShell := pool.Open()
	if shells == nil {
		return engine.PlanOptions{}
	}
	return engine.PlanOptions{Credentials: true, Shells: shells, HostShell: hostShell}
}

// serverRunner runs commands on the profile's servers, each recorded in
// the transcript with secrets redacted. nil without a shell: key (x then
// says to copy the command), or when the transcript has nowhere to go: a
// command ucpilot ran must leave a trace.
func (e *tuiEnvironment) serverRunner(readOnly bool) *tui.CommandRunner {
	if e.servers == nil {
		return nil
	}
	path, err := transcript.DefaultPath()
	if err != nil {
		e.asker.Notify("commands are not run from here: " + err.Error())
		return nil
	}
	return tui.ExecuteRunner("your servers", execute.Targets{Shells: e.servers.Shells(), ReadOnly: readOnly,
		Log: transcript.Open(path, e.red)})
}
