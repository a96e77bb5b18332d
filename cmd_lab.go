package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/fixplan"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// labOptions are the lab command's flags.
type labOptions struct {
	scenario     string
	list, asJSON bool
}

func newLabCmd(stdin io.Reader, stdout io.Writer, opts *rootOptions) *cobra.Command {
	o := &labOptions{}
	cmd := &cobra.Command{
		Use:   "lab [--scenario NAME] [--list [--json]]",
		Short: "Open the TUI on the lab: a simulated Exchange + Skype for Business on loopback",
		Long: `The lab simulates an Exchange and Skype for Business environment on this machine:
HTTPS metadata documents under a lab CA, Exchange's Bearer challenge, a DNS server and
the PowerShell cmdlets the procedures use. Each scenario breaks it the way real ones
break; the same checks find the fault and the same fix commands repair it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLab(cmd.Context(), o, opts, stdin, stdout) },
	}
	cmd.Flags().StringVar(&o.scenario, "scenario", "healthy", "the scenario to start (see --list)")
	cmd.Flags().BoolVar(&o.list, "list", false, "list the scenarios")
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "with --list: print JSON")
	return cmd
}

// runLab lists the scenarios, or opens the TUI on one.
func runLab(ctx context.Context, o *labOptions, root *rootOptions, stdin io.Reader, stdout io.Writer) error {
	if o.list {
		return writeLabList(stdout, o.asJSON)
	}
	if o.asJSON {
		return usageError("--json works with --list")
	}
	root.lab = o.scenario
	return runTUI(ctx, root, stdin, stdout)
}

// labProfile describes a running lab as a profile: the engine sees only
// names, the lab's resolver and (set on the plan) the lab's CA.
func labProfile(scenario string, e lab.Env) *profile.Profile {
	return &profile.Profile{
		Name:             "lab: " + scenario,
		Topology:         e.Topology,
		Domain:           e.Domain,
		TenantID:         e.TenantID,
		TenantDomain:     e.TenantDomain,
		TestSipURI:       e.TestSipURI,
		DomainController: e.DomainController,
		Exchange: profile.Exchange{FQDN: e.ExchangeFQDN, Autodiscover: e.Autodiscover,
			MetadataURL: e.ExchangeMetadataURL, EWSURL: e.EWSURL},
		SfB: profile.SfB{Pool: e.SfBPool, WebExternal: e.SfBWebExternal, MetadataURL: e.SfBMetadataURL},
		DNS: profile.DNS{Server: e.DNSServer},
	}
}

// labPlan plans the checks of a running lab scenario.
func labPlan(kb *knowledge.Base, l *lab.Lab, scenario string, only []string) (*engine.Plan, error) {
	env := l.Env()
	p := labProfile(scenario, env)
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("lab %s produced an invalid profile (a bug): %w", scenario, err)
	}
	plan, err := engine.NewPlan(kb, p, labPlanOptions(l, only))
	if err != nil {
		return nil, err
	}
	plan.Net.RootCAs = env.RootCAs
	return plan, nil
}

func runLabCheck(cmd *cobra.Command, kb *knowledge.Base, o *checkOptions, only []string, stdout, stderr io.Writer) error {
	ctx := cmd.Context()
	l, err := lab.StartWith(ctx, o.lab, lab.StartOptions{Scale: o.scale})
	if err != nil {
		return checkFailed(fmt.Errorf("%w (list them with: ucpilot lab --list)", err))
	}
	defer l.Close()
	run := func() (engine.Report, error) {
		plan, err := labPlan(kb, l, o.lab, only)
		if err != nil {
			return engine.Report{}, checkFailed(err)
		}
		r := engine.Collect(ctx, plan, engine.RunOptions{Timeout: o.timeout})
		r.Profile = "lab: " + o.lab
		return r, nil
	}
	report, err := run()
	if err != nil {
		return err
	}
	if o.applyFixes {
		report, err = applyLabFixes(ctx, kb, l, report, run, stderr)
		if err != nil {
			return err
		}
	}
	if err := writeReport(stdout, o.format, report, profile.Monitoring{}); err != nil {
		return err
	}
	return checkExit(ctx, report)
}

func labVars(e lab.Env) knowledge.Vars {
	return knowledge.Vars{
		Domain: e.Domain, TenantID: e.TenantID, TenantDomain: e.TenantDomain,
		ExchangeFQDN: e.ExchangeFQDN, ExchangeServer: e.ExchangeServer, Autodiscover: e.Autodiscover,
		ExchangeMetadataURL: e.ExchangeMetadataURL, AutodiscoverSvcURL: e.AutodiscoverSvcURL, EWSURL: e.EWSURL,
		SfBPool: e.SfBPool, SfBWebExternal: e.SfBWebExternal, SfBMetadataURL: e.SfBMetadataURL,
		TestSipURI: e.TestSipURI, DomainController: e.DomainController,
	}
}

// applyLabFixes is fixplan.Apply on the lab: its topology, values and
// shells.
func applyLabFixes(ctx context.Context, kb *knowledge.Base, l *lab.Lab, report engine.Report,
	run func() (engine.Report, error), stderr io.Writer) (engine.Report, error) {
	t := fixplan.Target{Name: "lab", Topology: l.Env().Topology, Vars: labVars(l.Env()), Shells: l.Shells(),
		Open: func(kind string) shell.Shell { return l.Shell(kind) }}
	return fixplan.Apply(ctx, kb, t, report, run, stderr)
}

// labPlanOptions plans every check the lab can answer: the credentialed
// checks run through the lab's PowerShell, as they would over SSH or WinRM.
func labPlanOptions(l *lab.Lab, only []string) engine.PlanOptions {
	shells := map[string]shell.Shell{}
	for _, k := range l.Shells() {
		switch k {
		case "ems":
			shells[engine.SideExchange] = l.Shell("ems")
		case "sfbms":
			shells[engine.SideSfB] = l.Shell("sfbms")
		case "msonline":
			// The lab's tenant session is already signed in, as the
			// tenant check requires; a real profile has none.
			shells[engine.SideTenant] = l.Shell("msonline")
		}
	}
	return engine.PlanOptions{
		Only:        only,
		Credentials: true,
		Fleet:       l.IsFleet(),
		Shells:      shells,
		HostShell: func(_ context.Context, side, host string) (shell.Shell, error) {
			kind := map[string]string{engine.SideExchange: "ems", engine.SideSfB: "sfbms"}[side]
			if kind == "" {
				return nil, fmt.Errorf("lab: no shell for side %q", side)
			}
			short, _, _ := strings.Cut(host, ".")
			return l.Shell(kind + "@" + short), nil
		},
	}
}
