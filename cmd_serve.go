package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/classroom"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
)

func newServeCmd(stdout, stderr io.Writer, opts *rootOptions) *cobra.Command {
	cfg := classroom.Config{MaxSessions: classroom.DefaultMaxSessions, IdleTimeout: classroom.DefaultIdleTimeout}
	var status bool
	cmd := &cobra.Command{
		Use:   "serve --listen ADDR --state DIR | serve --status --state DIR",
		Short: "The classroom: an SSH server giving each trainee the TUI on a lab of their own",
		Long: `serve lets trainees reach ucpilot with any SSH client (ssh -p PORT user@host): each
session gets the full TUI on its own private lab, the scenario picked on connect, assigned
with --scenario, or per trainee in DIR/scenarios.yaml (lines "user: scenario"). A trainee
is their SSH user name plus key; their guided-mode progress is kept in DIR and their lab
rebuilt from it when they come back. Passwords, shells, commands, file transfer and port
forwarding are refused. --status lists the trainees; so does an SSH login as a user
named in --instructor.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.StateDir == "" {
				return usageError("--state DIR is required: it keeps the host key and the trainees' progress")
			}
			kb, err := knowledgeBase()
			if err != nil {
				return err
			}
			if status {
				rows, bad, err := classroom.Status(cfg.StateDir, kb)
				if err != nil {
					return exitWith(1, err)
				}
				return classroom.WriteStatus(stdout, rows, bad, time.Now())
			}
			if cfg.Listen == "" {
				return usageError("--listen ADDR is required (for example 0.0.0.0:2222)")
			}
			if !validTheme(opts.theme) {
				return usageError("--theme %q: expected auto, dark or light", opts.theme)
			}
			cfg.Base, cfg.Log = kb, stderr
			cfg.Open = func(ctx context.Context, scenario string) (*classroom.Lab, error) {
				return openClassroomLab(ctx, kb, opts, scenario)
			}
			if err := classroom.Serve(cmd.Context(), cfg); err != nil {
				return exitWith(1, err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Listen, "listen", "", "address to listen on, host:port")
	f.StringVar(&cfg.StateDir, "state", "", "folder for the host key, the trainees and their progress")
	f.BoolVar(&status, "status", false, "list the trainees: scenario, step, checks passing, last activity")
	f.StringVar(&cfg.AuthorizedKeys, "authorized-keys", "", "admit only these keys (OpenSSH authorized_keys format); default: any key")
	f.StringSliceVar(&cfg.Instructors, "instructor", nil, "SSH user(s) who see the trainees' status instead of a lab (needs --authorized-keys)")
	f.StringVar(&cfg.Scenario, "scenario", "", "the scenario every trainee gets (default: each picks one; see ucpilot lab --list)")
	f.IntVar(&cfg.MaxSessions, "max-sessions", cfg.MaxSessions, "most trainee sessions at once")
	f.DurationVar(&cfg.IdleTimeout, "idle-timeout", cfg.IdleTimeout, "end a session after this long without a key press")
	return cmd
}

// openClassroomLab starts a trainee's lab: the same environment `ucpilot
// lab` opens, with checks and commands reaching this lab only.
func openClassroomLab(ctx context.Context, kb *knowledge.Base, o *rootOptions, scenario string) (*classroom.Lab, error) {
	l, err := lab.Start(ctx, scenario)
	if err != nil {
		return nil, err
	}
	e := &tuiEnvironment{vars: labVars(l.Env()), lab: l, scenario: scenario,
		label: fmt.Sprintf("classroom lab: %s (%s) — your own simulated environment", scenario, l.Env().Topology)}
	return &classroom.Lab{Options: e.tuiOptions(kb, o), Topology: l.Env().Topology, Close: l.Close}, nil
}
