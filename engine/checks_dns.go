package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/netx"
)

// resolve looks a name up and writes what it saw as evidence. A name that
// does not exist (or has no address) is a finding (fail); a DNS server
// that does not answer means no verdict (error).
func resolve(ctx context.Context, env *Env, r *Result, host string) (*netx.Resolution, bool) {
	res, err := netx.Resolve(ctx, env.netxConfig(), host)
	if err != nil {
		*r = netError(err)
		r.Target = host
		if k := netx.KindOf(err); k == netx.KindDNSNotFound || k == netx.KindDNSNoAddress {
			r.Status = StatusFail
		}
		return nil, false
	}
	describeResolution(r, res)
	return res, true
}

func describeResolution(r *Result, res *netx.Resolution) {
	server := res.Server
	if server == netx.SystemResolver {
		server = "the system resolver"
	}
	r.Add("resolver", server)
	if len(res.Chain) > 0 {
		r.Add("cname", strings.Join(res.Chain, " -> "))
	}
	r.Add("addresses", addrList(res))
	r.SetFact(FactAddresses, addrList(res))
}

func addrList(res *netx.Resolution) string {
	var out []string
	for _, a := range res.Addrs() {
		out = append(out, a.String())
	}
	return strings.Join(out, ", ")
}

func resolvedSummary(host string, res *netx.Resolution) string {
	s := host + " resolves to " + addrList(res)
	if res.Canonical != "" && !strings.EqualFold(res.Canonical, host) {
		s = fmt.Sprintf("%s resolves via %s to %s", host, res.Canonical, addrList(res))
	}
	return s
}

func checkDNSAutodiscover(ctx context.Context, env *Env) Result {
	host := env.Target
	var r Result
	res, ok := resolve(ctx, env, &r, host)
	if !ok {
		if r.Status == StatusFail && strings.EqualFold(host, "autodiscover."+env.Profile.Domain) {
			r.Pitfalls = append(r.Pitfalls, "sfb2015-rtm-autodiscover-hardcoded")
		}
		return r
	}
	r.Status, r.Summary = StatusPass, resolvedSummary(host, res)
	// With Exchange on premises, autodiscover answered by Office 365 never
	// reaches the on-premises servers that hold the OAuth configuration.
	if t := env.Profile.Topology; t == profile.TopologyOnPrem || t == profile.TopologySfBOnline {
		for _, name := range res.Chain {
			n := strings.ToLower(name)
			if strings.Contains(n, "outlook.com") || strings.Contains(n, "office365") || strings.Contains(n, "microsoft.com") {
				r.Status = StatusWarn
				r.Summary = fmt.Sprintf("%s points at Office 365 (%s), not at the on-premises Exchange servers", host, name)
				r.Pitfalls = append(r.Pitfalls, "autodiscover-external-points-o365")
				break
			}
		}
	}
	// Skype for Business 2015 RTM only ever asks for autodiscover.<domain>.
	if want := "autodiscover." + env.Profile.Domain; !strings.EqualFold(host, want) {
		r.Add("note", fmt.Sprintf("Skype for Business 2015 RTM looks up %s, not %s", want, host))
	}
	return r
}

func checkDNSPool(ctx context.Context, env *Env) Result {
	var r Result
	res, ok := resolve(ctx, env, &r, env.Target)
	if !ok {
		if r.Status == StatusFail {
			r.Pitfalls = append(r.Pitfalls, "new-cspartnerapp-metadata-download-failed")
		}
		return r
	}
	r.Status, r.Summary = StatusPass, resolvedSummary(env.Target, res)
	return r
}

// checkDNSLyncdiscover looks up both discovery names. They serve clients,
// not the OAuth trust, so a missing one is only a warning.
func checkDNSLyncdiscover(ctx context.Context, env *Env) Result {
	r := Result{Status: StatusPass}
	var missing, found []string
	for _, host := range []string{"lyncdiscover." + env.Profile.Domain, "lyncdiscoverinternal." + env.Profile.Domain} {
		res, err := netx.Resolve(ctx, env.netxConfig(), host)
		switch k := netx.KindOf(err); {
		case err == nil:
			r.Add(host, addrList(res))
			found = append(found, host)
		case k == netx.KindDNSNotFound || k == netx.KindDNSNoAddress:
			r.Add(host, "does not resolve ("+string(k)+")")
			missing = append(missing, host)
		default:
			return netError(err)
		}
	}
	if len(missing) == 0 {
		r.Summary = strings.Join(found, " and ") + " resolve"
		return r
	}
	r.Status = StatusWarn
	r.Summary = strings.Join(missing, " and ") + " do not resolve (client discovery; not needed by the OAuth trust)"
	if len(missing) == 1 {
		r.Summary = missing[0] + " does not resolve (client discovery; not needed by the OAuth trust)"
	}
	r.Pitfalls = []string{"feature-not-supported-in-topology"}
	return r
}
