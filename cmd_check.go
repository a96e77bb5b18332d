package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/report"
	"github.com/ucpilot/ucpilot/engine/transcript"
	"github.com/ucpilot/ucpilot/internal/termwrap"
)

type checkOptions struct {
	profilePath string
	only        string
	format      string
	timeout     time.Duration
	lab         string
	applyFixes  bool
	credentials bool
	scale       int
}

func newCheckCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [--profile FILE | --lab NAME [--apply-fixes]] [--only GROUP,...] [--format text|json|markdown|openmetrics] [--timeout DURATION]",
		Short: "Run the live checks against the servers of a profile (or a lab scenario)",
		Long: `Run the checks that need no credentials — DNS, TLS, the metadata documents of both
sides and Exchange's Bearer challenge — against the environment of a profile, concurrently.

Groups for --only: dns, tls, metadata, bearer, powershell, config (or check ids).

Exit status follows the monitoring-plugin convention (Nagios, Icinga, Checkmk, Zabbix):
0 all pass, 1 warnings, 2 any fail or error, 3 could not run (bad profile, bad flags).
The text output ends with performance data (| 'exch01_auth_cert_days'=700;60:;30: ...,
levels from the profile's monitoring.warn_days / critical_days, 60 and 30 by default);
--format openmetrics writes the OpenMetrics text format for node_exporter's textfile
collector or a Pushgateway.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCheck(cmd, o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.profilePath, "profile", "", "profile file (default $UCPILOT_PROFILE, then the user config dir)")
	f.StringVar(&o.only, "only", "", "comma-separated groups or check ids to run")
	f.StringVar(&o.format, "format", "text", "text (ending with monitoring-plugin performance data), json, markdown or openmetrics")
	f.DurationVar(&o.timeout, "timeout", 2*time.Minute, "overall time limit for the run")
	f.StringVar(&o.lab, "lab", "", "run against a lab scenario instead of a profile (see ucpilot lab --list)")
	f.BoolVar(&o.applyFixes, "apply-fixes", false, "with --lab: apply the fixes of failing checks inside the lab, then check again")
	f.IntVar(&o.scale, "scale", 0, "with --lab: simulate N Exchange servers (Front Ends in the scenario's proportion), each on its own loopback address")
	f.BoolVar(&o.credentials, "credentials", false, "also run the PowerShell checks, logging on through the profile's exchange.shell / sfb.shell")
	return cmd
}

// checkFailed is exit 3: the run could not happen at all.
func checkFailed(err error) error { return exitWith(engine.ExitCouldNotRun, err) }

func runCheck(cmd *cobra.Command, o *checkOptions, stdout, stderr io.Writer) error {
	switch o.format {
	case "text", "json", "markdown", "openmetrics":
	default:
		return checkFailed(fmt.Errorf("--format %q: expected text, json, markdown or openmetrics", o.format))
	}
	if o.timeout <= 0 {
		return checkFailed(fmt.Errorf("--timeout %s: expected a positive duration such as 30s or 2m", o.timeout))
	}
	if o.applyFixes && o.lab == "" {
		return checkFailed(fmt.Errorf("--apply-fixes works only with --lab NAME: ucpilot never changes real servers from a headless check"))
	}
	if o.scale != 0 && o.lab == "" {
		return checkFailed(fmt.Errorf("--scale works only with --lab NAME: it sizes the simulated fleet"))
	}
	if o.lab != "" && o.profilePath != "" {
		return checkFailed(fmt.Errorf("--lab and --profile exclude each other: pick the lab scenario or your profile"))
	}
	kb, err := loadKnowledge()
	if err != nil {
		return checkFailed(fmt.Errorf("loading the embedded knowledge base: %w", err))
	}
	var only []string
	for _, s := range strings.Split(o.only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			only = append(only, s)
		}
	}
	if o.lab != "" {
		return runLabCheck(cmd, kb, o, only, stdout, stderr)
	}
	env, err := loadProfile(o.profilePath, true)
	if err != nil {
		return err
	}
	// Per-server checks run when the fleet is known: listed in the
	// profile, or discoverable with PowerShell.
	fleet := len(env.Profile.Exchange.Servers) > 0 || len(env.Profile.SfB.Servers) > 0 || o.credentials
	planOpts := engine.PlanOptions{Only: only, Fleet: fleet}
	if o.credentials {
		sess, err := openSessions(cmd.Context(), env.Profile, transcript.NewRedactor(), stderr)
		if err != nil {
			return checkFailed(err)
		}
		defer sess.Close()
		planOpts = sess.opts
		planOpts.Only, planOpts.Fleet = only, fleet
	}
	plan, err := engine.NewPlan(kb, env.Profile, planOpts)
	if err != nil {
		return checkFailed(err)
	}
	if len(plan.Checks) == 0 {
		return checkFailed(nothingToRun(plan))
	}
	report := engine.Collect(cmd.Context(), plan, engine.RunOptions{Timeout: o.timeout})
	report.Profile = env.Path
	if err := writeReport(stdout, o.format, report, env.Profile.Monitoring); err != nil {
		return err
	}
	notRun(stderr, plan)
	return checkExit(cmd.Context(), report)
}

// checkExit maps a finished run to the exit status. An interrupted run is
// "could not run" even if every check that finished passed: a monitoring
// system must never read a half run as healthy.
func checkExit(ctx context.Context, r engine.Report) error {
	if ctx.Err() != nil {
		return checkFailed(fmt.Errorf("interrupted: the run was cancelled before every check finished (%d skipped)", r.Summary.Skipped))
	}
	return exitWith(engine.ExitCode(r.Summary), nil)
}

// nothingToRun says why a plan holds no check: a run of nothing must not
// exit 0, or a monitoring system reads it as healthy.
func nothingToRun(plan *engine.Plan) error {
	if len(plan.NeedCredentials) > 0 {
		return fmt.Errorf("nothing to run: the %d checks asked for need PowerShell on the servers (%s); add exchange.shell / sfb.shell to the profile and pass --credentials",
			len(plan.NeedCredentials), strings.Join(plan.NeedCredentials, ", "))
	}
	return fmt.Errorf("nothing to run: no check asked for applies to this profile's topology (%s)", plan.Topology)
}

// notRun tells a human on stderr which checks this run could not do, so a
// green text report is never mistaken for a full one.
func notRun(stderr io.Writer, plan *engine.Plan) {
	var servers, tenant []string
	for _, id := range plan.NeedCredentials {
		if strings.HasPrefix(id, "ps.tenant.") {
			tenant = append(tenant, id)
		} else {
			servers = append(servers, id)
		}
	}
	if len(servers) > 0 {
		fmt.Fprintf(stderr, "note: %d checks need PowerShell on the servers and were not run: %s\n"+
			"      (add exchange.shell / sfb.shell to the profile and pass --credentials)\n",
			len(servers), strings.Join(servers, ", "))
	}
	if len(tenant) > 0 {
		fmt.Fprintf(stderr, "note: %s read the tenant's service principals; ucpilot does not sign in to the tenant,\n"+
			"      so run the Graph commands of the Guide's tenant steps yourself (the lab simulates them)\n",
			strings.Join(tenant, ", "))
	}
}

func writeReport(w io.Writer, format string, r engine.Report, m profile.Monitoring) error {
	switch format {
	case "json":
		return report.WriteJSON(w, r)
	case "markdown":
		return report.WriteMarkdown(w, r)
	case "openmetrics":
		return report.WriteOpenMetrics(w, r, time.Now())
	default:
		tw, flush := termwrap.ForTerminal(w) // at the terminal's width; perfdata stays one line
		if err := report.WriteTextWith(tw, r, report.DetectTextOptions(w)); err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		warn, crit := m.Thresholds()
		return report.WritePerfdata(w, r, report.Thresholds{WarnDays: warn, CriticalDays: crit})
	}
}
