package engine

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// The fleet checks (group "fleet") read every Exchange server and every
// Front End one by one and put the answers side by side: a Result per
// server (Result.Servers, the server's FQDN as Target) with one Setting
// per column of the grid.

// FleetServerTimeout bounds the work on one server of a fleet check; the
// fleet check as a whole runs under the shell check's time limit.
const FleetServerTimeout = 60 * time.Second

// Grid columns of the fleet checks.
const (
	SetAuthCert     = "auth cert"          // the current auth certificate in this server's store, with its key
	SetAuthDays     = "auth days"          // days the auth certificate has left
	SetEWSOAuth     = "EWS OAuth"          // OAuthAuthentication on the EWS virtual directory
	SetAutodOAuth   = "Autodiscover OAuth" // … on the Autodiscover virtual directory
	SetBearer       = "Bearer"             // the server's own 401 offers Bearer
	SetClock        = "clock"              // the server's clock against the others'
	SetIssuerCert   = "OAuth cert"         // the OAuthTokenIssuer certificate this Front End signs with
	SetIssuerDays   = "OAuth days"         // days it has left
	SetMetadataCert = "metadata"           // the signing key of the metadata document this Front End serves
	SetPool         = "pool"
)

// maxClockSkew is how far a server's clock may stray from the others':
// token lifetimes allow five minutes.
const maxClockSkew = 5 * time.Minute

// fleetServer is one server to check: its FQDN, where its HTTPS answers
// (host:port) and, for a Front End, its pool.
type fleetServer struct {
	name, addr, pool string
}

// fleetPort is the port servers of a side answer on when the list does not
// say: the port of the side's published URL (443 in production, the lab's
// high port in the lab).
func fleetPort(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil && u.Port() != "" {
		return u.Port()
	}
	return "443"
}

// listed turns the profile's server list into fleetServers; a host:port
// entry keeps its port.
func listed(entries []string, port string) []fleetServer {
	var out []fleetServer
	for _, e := range entries {
		h, p, err := net.SplitHostPort(e)
		if err != nil {
			h, p = e, port
		}
		out = append(out, fleetServer{name: strings.ToLower(h), addr: net.JoinHostPort(strings.ToLower(h), p)})
	}
	return out
}

// withPorts gives discovered servers the port the profile lists for them,
// else the side's port.
func withPorts(found []fleetServer, entries []string, port string) []fleetServer {
	ports := map[string]string{}
	for _, s := range listed(entries, port) {
		_, p, _ := net.SplitHostPort(s.addr)
		ports[s.name] = p
	}
	for i := range found {
		p := port
		if lp, ok := ports[found[i].name]; ok {
			p = lp
		}
		found[i].addr = net.JoinHostPort(found[i].name, p)
	}
	return found
}

// keepValid drops names that are not host names (a server's answer is
// untrusted text) and duplicates, sorts, and bounds the list.
func keepValid(in []fleetServer) ([]fleetServer, int) {
	seen := map[string]bool{}
	var out []fleetServer
	dropped := 0
	for _, s := range in {
		if shell.ValidateHostname(s.name) != nil || seen[s.name] {
			dropped++
			continue
		}
		seen[s.name] = true
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	if len(out) > profile.MaxServers {
		dropped += len(out) - profile.MaxServers
		out = out[:profile.MaxServers]
	}
	return out, dropped
}

// onEach runs fn for every server, at most conns at once, each under its
// own deadline, and returns the results in the servers' order.
func onEach(ctx context.Context, servers []fleetServer, conns int, fn func(ctx context.Context, s fleetServer) Result) []Result {
	out := make([]Result, len(servers))
	sem := make(chan struct{}, profile.ConnectionsOr(conns))
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out[i] = Result{Target: s.name, Status: StatusSkipped, Summary: "not started: " + ctx.Err().Error()}
				return
			}
			defer func() { <-sem }()
			sctx, cancel := context.WithTimeout(ctx, FleetServerTimeout)
			defer cancel()
			r := fn(sctx, s)
			r.Target = s.name
			if sctx.Err() != nil && r.Status == "" {
				r.Status, r.Summary = StatusError, fmt.Sprintf("no verdict within %s", FleetServerTimeout)
			}
			out[i] = r
		}()
	}
	wg.Wait()
	return out
}

// setting records one cell and folds its status into the server's.
func setting(r *Result, name, value string, st Status) {
	r.Settings = append(r.Settings, Setting{Name: name, Value: value, Status: st})
}

// settingValue returns the value of a server's setting ("" when absent).
func settingValue(r Result, name string) string {
	for _, s := range r.Settings {
		if s.Name == name {
			return s.Value
		}
	}
	return ""
}

// finishServer sets a server's status from its settings (the worst) and
// its summary from the problems found.
func finishServer(r *Result, problems []string) {
	st := StatusPass
	for _, s := range r.Settings {
		if s.Status != StatusSkipped {
			st = worse(st, s.Status)
		}
	}
	if r.Status != "" {
		st = worse(st, r.Status)
	}
	r.Status = st
	if len(problems) > 0 {
		r.Summary = strings.Join(problems, "; ")
	} else if r.Summary == "" {
		r.Summary = "as expected"
	}
}

// Majority returns the most common value of a setting over servers (ties:
// the first in server order) and how many hold it; empty and unread
// values do not vote.
func Majority(servers []Result, name string) (string, int) {
	counts := map[string]int{}
	var order []string
	for _, s := range servers {
		v := settingValue(s, name)
		if v == "" || v == notRead {
			continue
		}
		if counts[v] == 0 {
			order = append(order, v)
		}
		counts[v]++
	}
	best, n := "", 0
	for _, v := range order {
		if counts[v] > n {
			best, n = v, counts[v]
		}
	}
	return best, n
}

// notRead is the value of a setting that could not be read (no shell for
// the side, or the server did not answer).
const notRead = "-"

// summarizeFleet makes the fleet check's own result from its servers: the
// worst status, a summary naming the servers that are not fine, one
// evidence line for each, and every pitfall they named.
func summarizeFleet(r *Result, what string, servers []Result, source string, dropped int) {
	r.Servers = servers
	r.Add("servers from", source)
	if dropped > 0 {
		r.Add("left out", fmt.Sprintf("%d names that are not host names, repeated, or past %d", dropped, profile.MaxServers))
	}
	st := StatusPass
	var bad []string
	seen := map[string]bool{}
	for _, s := range servers {
		st = worse(st, s.Status)
		if s.Status == StatusPass || s.Status == StatusSkipped {
			continue
		}
		bad = append(bad, shortName(s.Target))
		r.Add(s.Target, string(s.Status)+": "+s.Summary)
		for _, p := range s.Pitfalls {
			if !seen[p] {
				seen[p] = true
				r.Pitfalls = append(r.Pitfalls, p)
			}
		}
	}
	r.Status = st
	switch {
	case len(servers) == 0:
		r.Status, r.Summary = StatusSkipped, "no "+what+" to check: none listed in the profile and none discovered"
	case len(bad) == 0:
		r.Summary = fmt.Sprintf("%d %s, all as expected", len(servers), what)
	default:
		r.Summary = fmt.Sprintf("%d of %d %s need attention: %s", len(bad), len(servers), what, someOf(bad, 10))
	}
}
