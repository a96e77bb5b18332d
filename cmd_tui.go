package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/connect"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/transcript"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
	"github.com/ucpilot/ucpilot/tui"
)

type rootOptions struct {
	theme       string
	accessible  bool
	readOnly    bool
	profilePath string
	lab         string // scenario to open the TUI on ("" = the profile, or the lab when there is none)
}

// defaultLabScenario is where a fresh machine with no profile lands.
const defaultLabScenario = "healthy"

func validTheme(t string) bool { return t == "auto" || t == "dark" || t == "light" }

// tuiEnvironment is what the TUI works on: a profile, or a running lab.
type tuiEnvironment struct {
	vars     knowledge.Vars
	label    string
	lab      *lab.Lab // nil with a profile
	scenario string
	env      loadedProfile

	// With a profile: the Asker the logins ask through, the redactor of
	// every secret typed, and the servers' sessions (nil without a
	// shell: key). attachServers sets them.
	asker   *tui.Asker
	red     *transcript.Redactor
	servers *connect.Pool
}

func openEnvironment(ctx context.Context, o *rootOptions) (*tuiEnvironment, error) {
	scenario := o.lab
	if scenario == "" {
		env, err := loadProfile(o.profilePath, false)
		if err != nil {
			return nil, err
		}
		if env.Profile != nil {
			return &tuiEnvironment{vars: env.Vars(), label: env.Label(), env: env}, nil
		}
		scenario = defaultLabScenario
	}
	l, err := lab.Start(ctx, scenario)
	if err != nil {
		return nil, exitWith(3, fmt.Errorf("%w (list them with: ucpilot lab --list)", err))
	}
	label := fmt.Sprintf("lab: %s (%s) — a simulated environment on this machine; other scenarios: ucpilot lab --list", scenario, l.Env().Topology)
	path, _, _ := profile.Locate("")
	return &tuiEnvironment{vars: labVars(l.Env()), label: label, lab: l, scenario: scenario,
		env: loadedProfile{Path: path}}, nil
}

// checkSource tells the Checks screen how to plan a run: against the lab
// until the user saves a profile of their own, then against that profile.
func (e *tuiEnvironment) checkSource(kb *knowledge.Base) *tui.CheckSource {
	return &tui.CheckSource{
		Plan: func(_ context.Context, p *profile.Profile) (*engine.Plan, error) {
			if p != nil {
				opts := engine.PlanOptions{}
				if e.servers != nil && p == e.servers.Profile() {
					opts = serverPlanOptions(e.servers) // the sessions a command opened
				}
				if e.red != nil {
					opts.Redact = e.red.Redact // results reach the screen without the run's secrets
				}
				return engine.NewPlan(kb, p, opts)
			}
			if e.lab == nil {
				return nil, fmt.Errorf("no profile yet: create one with p (Environment profile)")
			}
			return labPlan(kb, e.lab, e.scenario, nil)
		},
		RunOptions: engine.RunOptions{Timeout: 2 * time.Minute},
	}
}

func runTUI(ctx context.Context, o *rootOptions, stdin io.Reader, stdout io.Writer) error {
	if !validTheme(o.theme) {
		return usageError("--theme %q: expected auto, dark or light", o.theme)
	}
	kb, err := knowledgeBase()
	if err != nil {
		return err
	}
	env, err := openEnvironment(ctx, o)
	if err != nil {
		return err
	}
	if env.lab != nil {
		defer env.lab.Close()
	}
	env.attachServers()
	defer env.closeServers()
	opts := env.tuiOptions(kb, o)
	opts.Input, opts.Output = stdin, stdout
	if o.accessible {
		if env.servers != nil && opts.Guide != nil {
			// The line-based guide has no masked field to log on with:
			// commands are copied and run by hand there.
			g := *opts.Guide
			g.Runner = nil
			opts.Guide = &g
		}
		return interruptedOr(tui.RunAccessibleGuide(ctx, opts), 1)
	}
	restore, err := prepareConsole()
	if err != nil {
		return exitWith(1, err)
	}
	defer restore()
	return tui.Run(ctx, opts)
}

// tuiOptions are the TUI's options for this environment.
func (e *tuiEnvironment) tuiOptions(kb *knowledge.Base, o *rootOptions) tui.Options {
	opts := tui.Options{
		Base:        kb,
		Vars:        e.vars,
		EnvLabel:    e.label,
		Theme:       o.theme,
		Accessible:  o.accessible,
		ReadOnly:    o.readOnly,
		Checks:      e.checkSource(kb),
		Profile:     e.env.Profile,
		ProfilePath: e.env.Path,
		Guide:       e.guideSource(o.readOnly),
		Asker:       e.asker,
	}
	if e.red != nil {
		opts.Redact = e.red.Redact
	}
	return opts
}
