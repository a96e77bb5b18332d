package main

import (
	"path/filepath"

	"github.com/ucpilot/ucpilot/engine/execute"
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
			Runner: tui.ExecuteRunner("the lab", execute.Targets{Shells: labShells(e.lab), ReadOnly: readOnly})}
	}
	key := e.env.Path
	if abs, err := filepath.Abs(key); err == nil {
		key = abs
	}
	g := &tui.GuideSource{ProgressKey: key}
	if e.env.Profile != nil {
		g.Topology = e.env.Profile.Topology
	}
	// Runner for real servers: tui.ExecuteRunner("your servers", execute.Targets{Shells: <the
	// connect sessions by side>, ReadOnly: readOnly, Log: <transcript>}) once they are opened here.
	return g
}
