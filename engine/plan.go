package engine

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// CheckFunc runs one check. It must return promptly once ctx is done (every
// network call takes ctx); the engine waits for it rather than abandon a
// goroutine. It needs to fill only Status, Summary, Evidence, Pitfalls and
// Facts: the engine fills the rest.
type CheckFunc func(ctx context.Context, env *Env) Result

// Check is one concrete check of a plan.
type Check struct {
	Spec   knowledge.CheckSpec
	Target string // the URL, host or host:port probed
	Run    CheckFunc
	// DependsOn are the ids of planned checks that must pass (or warn)
	// first. Dependencies the plan does not contain are dropped: with
	// --only tls, the TLS checks run without their DNS checks.
	DependsOn []string
	// GatedBy are planned checks that must pass (or warn) for the result
	// to count, but that the check does not wait for: it runs beside them
	// and is stopped and skipped if one fails.
	GatedBy []string
}

// NetConfig is how checks reach the network.
type NetConfig struct {
	DNSServer string         // host:port; "" = the system resolver
	RootCAs   *x509.CertPool // nil = the system roots
	Insecure  bool           // certificate verification off
}

// Env is what a running check sees: the effective profile, its template
// values, the network settings and the results of its dependencies.
type Env struct {
	Profile *profile.Profile // effective (defaults filled)
	Vars    knowledge.Vars
	Net     NetConfig
	Target  string // the check's target, as planned
	// Shells are the PowerShell sessions of the run, keyed SideExchange and
	// SideSfB (only the credentialed checks use them).
	Shells map[string]shell.Shell
	// HostShell, when set, opens a session on another server of a side
	// with the same credentials (a second Front End); nil means the checks
	// reach other servers through Invoke-Command.
	HostShell HostShellFunc
	deps      map[string]Result
}

// HostShellFunc opens a shell on host for side (connect.Session.ForHost).
type HostShellFunc func(ctx context.Context, side, host string) (shell.Shell, error)

// Dependency returns the result of a declared dependency. Only declared
// dependencies are visible, and only after they finished.
func (e *Env) Dependency(id string) (Result, bool) {
	r, ok := e.deps[id]
	return r, ok
}

// Fact returns a fact a dependency published ("" when absent).
func (e *Env) Fact(checkID, key string) string { return e.deps[checkID].Facts[key] }

// Registry maps check ids to their implementations.
type Registry struct {
	mu  sync.RWMutex
	fns map[string]CheckFunc
}

// NewRegistry returns an empty registry (tests use their own).
func NewRegistry() *Registry { return &Registry{fns: map[string]CheckFunc{}} }

// builtinRegistry returns a new registry holding Builtins.
func builtinRegistry() *Registry { return &Registry{fns: Builtins()} }

// Register sets the implementation of check id, replacing any earlier one.
func (r *Registry) Register(id string, fn CheckFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fns[id] = fn
}

// Lookup returns the implementation of id.
func (r *Registry) Lookup(id string) (CheckFunc, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	fn, ok := r.fns[id]
	return fn, ok
}

// PlanOptions chooses which checks a plan holds.
type PlanOptions struct {
	// Credentials includes the checks that need PowerShell on a server.
	Credentials bool
	// Only keeps the checks whose group or id is listed (--only dns,tls).
	Only []string
	// Registry supplies implementations; nil means Builtins.
	Registry *Registry
	// Shells are the open PowerShell sessions by side (SideExchange,
	// SideSfB). A credentialed check is planned only when every side it
	// reads has a shell; otherwise it is listed in NeedCredentials.
	Shells map[string]shell.Shell
	// HostShell is passed on to Env.HostShell.
	HostShell HostShellFunc
	// Fleet includes the fleet checks (group fleet): every Exchange server
	// and Front End one by one. The CLI sets it when the profile lists
	// servers, PowerShell can discover them, or the lab is a fleet;
	// --only fleet selects them too.
	Fleet bool
	// Redact removes every secret known to the run (the transcript
	// Redactor's Redact) from each result before any view or report sees
	// it. nil: nothing beyond the built-in cleaning.
	Redact func(string) string
}

// Plan is the set of checks to run for one profile.
type Plan struct {
	Profile  *profile.Profile // effective
	Topology string
	Vars     knowledge.Vars
	Net      NetConfig
	Checks   []Check
	// NotImplemented lists selected check ids with no implementation yet,
	// so the UI can say they were not run.
	NotImplemented []string
	// NeedCredentials lists the checks left out because they need
	// PowerShell credentials and PlanOptions.Credentials was false, or no
	// shell was given for a side they read.
	NeedCredentials []string
	Shells          map[string]shell.Shell
	HostShell       HostShellFunc
	// Redact is PlanOptions.Redact: applied to every result of the run.
	Redact func(string) string

	kb *knowledge.Base
}

// NewPlan builds the checks for a profile (the architecture's
// engine.Plan; the type owns that name). It does no network I/O; it reads
// the profile's CA file (if any) so a bad one fails before any check runs.
func NewPlan(kb *knowledge.Base, p *profile.Profile, opts PlanOptions) (*Plan, error) {
	if kb == nil || p == nil {
		return nil, fmt.Errorf("engine: plan needs a knowledge base and a profile")
	}
	reg := opts.Registry
	if reg == nil {
		reg = builtinRegistry()
	}
	only, err := onlyFilter(kb, opts.Only)
	if err != nil {
		return nil, err
	}
	roots, err := p.RootCAs()
	if err != nil {
		return nil, err
	}
	eff := p.Effective()
	plan := &Plan{
		Profile: eff, Topology: eff.Topology, Vars: p.Vars(), kb: kb,
		Net:    NetConfig{DNSServer: eff.DNS.Server, RootCAs: roots, Insecure: eff.TLS.Insecure},
		Shells: opts.Shells, HostShell: opts.HostShell, Redact: opts.Redact,
	}
	for _, spec := range kb.Checks {
		if !appliesTo(spec, eff.Topology) || (only != nil && !only[spec.ID] && !only[spec.Group]) {
			continue
		}
		if spec.Group == "fleet" && !opts.Fleet && only == nil {
			continue
		}
		if spec.Credentials && (!opts.Credentials || !haveShells(spec.ID, opts.Shells)) {
			plan.NeedCredentials = append(plan.NeedCredentials, spec.ID)
			continue
		}
		fn, ok := reg.Lookup(spec.ID)
		if !ok {
			plan.NotImplemented = append(plan.NotImplemented, spec.ID)
			continue
		}
		plan.Checks = append(plan.Checks, Check{Spec: spec, Target: targetFor(spec, eff), Run: fn})
	}
	planned := map[string]bool{}
	for _, c := range plan.Checks {
		planned[c.Spec.ID] = true
	}
	for i := range plan.Checks {
		for _, d := range plan.Checks[i].Spec.DependsOn {
			if planned[d] {
				plan.Checks[i].DependsOn = append(plan.Checks[i].DependsOn, d)
			}
		}
		for _, d := range plan.Checks[i].Spec.GatedBy {
			if planned[d] {
				plan.Checks[i].GatedBy = append(plan.Checks[i].GatedBy, d)
			}
		}
	}
	return plan, nil
}

func appliesTo(spec knowledge.CheckSpec, topology string) bool {
	if len(spec.Topologies) == 0 {
		return true
	}
	for _, t := range spec.Topologies {
		if t == topology {
			return true
		}
	}
	return false
}

// onlyFilter turns --only values into a set; an unknown name is an error
// listing the valid groups, since a typo would otherwise run nothing.
func onlyFilter(kb *knowledge.Base, only []string) (map[string]bool, error) {
	if len(only) == 0 {
		return nil, nil
	}
	known := map[string]bool{}
	groups := map[string]bool{}
	for _, c := range kb.Checks {
		known[c.ID], known[c.Group], groups[c.Group] = true, true, true
	}
	set := map[string]bool{}
	for _, o := range only {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if !known[o] {
			names := make([]string, 0, len(groups))
			for g := range groups {
				names = append(names, g)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("--only: %q is neither a check group nor a check id (groups: %s)", o, strings.Join(names, ", "))
		}
		set[o] = true
	}
	return set, nil
}

// targetFor names what a check probes, from the effective profile. The TLS
// checks probe the host and port of the metadata URL, so a lab's high port
// is honoured.
func targetFor(spec knowledge.CheckSpec, p *profile.Profile) string {
	switch spec.ID {
	case "dns.autodiscover":
		return p.Exchange.Autodiscover
	case "dns.pool":
		return p.SfB.Pool
	case "dns.lyncdiscover":
		return "lyncdiscover." + p.Domain
	case "tls.autodiscover":
		return hostPort(p.Exchange.MetadataURL)
	case "tls.pool":
		return hostPort(p.SfB.MetadataURL)
	case "metadata.exchange":
		return p.Exchange.MetadataURL
	case "metadata.sfb":
		return p.SfB.MetadataURL
	case "metadata.realm":
		return p.Domain
	case "bearer.ews":
		return p.Exchange.EWSURL
	case "bearer.autodiscover":
		return p.AutodiscoverSvcURL
	}
	switch spec.Group {
	case "fleet":
		return p.Domain // the per-server results name each server
	case "powershell":
		if strings.HasPrefix(spec.ID, "ps.sfb.") {
			return p.SfB.Pool
		}
		return p.Exchange.FQDN
	}
	return p.Domain
}

// hostPort returns host:port of an https URL (port 443 when implicit).
func hostPort(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return raw
	}
	port := u.Port()
	if port == "" {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port)
}
