package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/bearer"
	"github.com/ucpilot/ucpilot/remote/netx"
)

// bearerCheck sends an empty Bearer token and reads the 401 challenge.
// With judgeIssuers (EWS), the trusted issuers must include the partner
// that calls this Exchange in the profile's topology.
func bearerCheck(judgeIssuers bool) CheckFunc {
	return func(ctx context.Context, env *Env) (r Result) {
		client, err := netx.NewClient(env.netxConfig())
		if err != nil {
			return netError(err)
		}
		probe, err := bearer.Probe(ctx, client, env.Target)
		if probe == nil {
			return netError(err)
		}
		defer func() { noteRedirects(&r, probe.Redirects) }()
		describeProbe(&r, probe)
		if err != nil {
			n := netError(err)
			n.Evidence = append(r.Evidence, n.Evidence...)
			return n
		}
		switch {
		case probe.StatusCode == 401:
		case probe.StatusCode < 400:
			r.Status, r.Pitfalls = StatusFail, []string{"preauth-proxy-strips-bearer"}
			r.Summary = fmt.Sprintf("answered %s instead of a 401 challenge: something in front of Exchange handled the request", probe.StatusLine)
			return r
		default:
			r.Status = StatusError
			r.Summary = fmt.Sprintf("answered %s, expected 401 with a Bearer challenge (is the URL right?)", probe.StatusLine)
			return r
		}
		b := probe.Bearer
		if b == nil {
			r.Status, r.Pitfalls = StatusFail, []string{"oauth-disabled-on-vdir", "preauth-proxy-strips-bearer"}
			r.Summary = "the 401 offers no Bearer challenge, so OAuth is off on this virtual directory or stripped in front of it"
			if len(probe.Schemes) > 0 {
				r.Summary = fmt.Sprintf("the 401 offers only %s, no Bearer: OAuth is off on this virtual directory or stripped in front of it", someOf(probe.Schemes, 8))
			}
			return r
		}
		describeBearer(&r, b)
		if !judgeIssuers {
			r.Status, r.Summary = StatusPass, "the 401 carries a Bearer challenge: OAuth is enabled here"
			return r
		}
		judgeTrustedIssuers(&r, b, env)
		return r
	}
}

func describeProbe(r *Result, p *bearer.ProbeResult) {
	r.Add("status line", p.StatusLine)
	if len(p.Schemes) > 0 {
		r.Add("schemes", someOf(p.Schemes, 20))
	} else {
		r.Add("schemes", "(no WWW-Authenticate header)")
	}
	for _, d := range p.Diagnostics {
		r.Add("x-ms-diagnostics", d.Raw)
	}
	for _, h := range []string{"Server", "X-Feserver", "X-Owa-Version", "Via"} {
		if v := p.Server.Get(h); v != "" {
			r.Add(strings.ToLower(h), v)
		}
	}
	if len(p.Redirects) > 0 {
		r.Add("redirects", p.URL+" -> "+redirectTargets(p.Redirects))
	}
}

func describeBearer(r *Result, b *bearer.BearerChallenge) {
	r.Add("client_id", b.ClientID)
	var issuers []string
	for _, i := range b.TrustedIssuers {
		issuers = append(issuers, i.String())
	}
	if b.HasTrustedIssuers {
		r.Add("trusted_issuers", strings.Join(issuers, ", "))
	} else {
		r.Add("trusted_issuers", "(absent)")
	}
	if b.AuthorizationURI != "" {
		r.Add("authorization_uri", b.AuthorizationURI)
	} else {
		r.Add("authorization_uri", "(absent: hybrid modern authentication is not in effect here)")
	}
	if b.Error != "" {
		r.Add("error", b.Error)
	}
}

// judgeTrustedIssuers checks that Exchange trusts the partner that calls
// it: the Skype for Business Server issuer for the profile's realm when
// both are on premises, the Microsoft token service (ACS) otherwise.
func judgeTrustedIssuers(r *Result, b *bearer.BearerChallenge, env *Env) {
	domain, tenant := env.Profile.Domain, env.Profile.TenantID
	if env.Profile.Topology != profile.TopologyOnPrem {
		realms := b.RealmsFor(AppIDACS)
		switch {
		case tenant != "" && b.TrustsIssuer(AppIDACS, tenant), tenant == "" && len(realms) > 0:
			r.Status, r.Summary = StatusPass, "Exchange trusts tokens from the Microsoft token service ("+AppIDACS+"@"+strings.Join(realms, ", ")+")"
		case len(realms) > 0:
			r.Status, r.Pitfalls = StatusFail, []string{"hcw-overwrote-windowsazureacs"}
			r.Summary = fmt.Sprintf("Exchange trusts the Microsoft token service for tenant %s, not for the profile's tenant %s", strings.Join(realms, ", "), tenant)
		default:
			r.Status, r.Pitfalls = StatusFail, []string{"hcw8064-oauth-portion-failed"}
			r.Summary = "Exchange does not trust the Microsoft token service (" + AppIDACS + "): the hybrid OAuth configuration is missing"
		}
		return
	}
	want := AppIDSfB + "@" + domain
	if b.TrustsIssuer(AppIDSfB, domain) {
		r.Status, r.Summary = StatusPass, "Exchange trusts "+want
		return
	}
	if realms := b.RealmsFor(AppIDSfB); len(realms) > 0 {
		r.Status, r.Pitfalls = StatusFail, []string{"realm-mismatch"}
		r.Summary = fmt.Sprintf("Exchange trusts Skype for Business in realm %s, not in %s", strings.Join(realms, ", "), domain)
		r.Add("expected issuer", want)
		return
	}
	r.Status, r.Pitfalls = StatusFail, []string{"iisreset-missing", "partner-app-disabled"}
	r.Summary = "Exchange does not list " + want + " in trusted_issuers: the Skype for Business partner application is missing, disabled, or IIS was not reset after creating it"
	r.Add("expected issuer", want)
}
