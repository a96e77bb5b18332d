package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/ucpilot/ucpilot/remote/metadata"
	"github.com/ucpilot/ucpilot/remote/netx"
	"github.com/ucpilot/ucpilot/remote/psout"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// Registrar pools and their Front Ends, as the Central Management Store
// publishes them; Get-CsComputer is the fallback.
const (
	csPoolsQuery     = "Get-CsPool | Select-Object Identity,Services,Computers"
	csComputersQuery = "Get-CsComputer | Select-Object Identity,Pool"
)

// checkSfBFleet: every Front End signs with the same OAuthTokenIssuer
// certificate, not close to expiry, and serves a metadata document with
// it. Front Ends come from Get-CsPool with PowerShell, else from
// sfb.servers; without PowerShell the certificate is read from the
// metadata document each one serves.
func checkSfBFleet(ctx context.Context, env *Env) Result {
	p := env.Profile
	port := fleetPort(p.SfB.MetadataURL)
	sh := env.Shells[SideSfB]
	var r Result
	var servers []fleetServer
	source := "sfb.servers in the profile"
	if sh != nil {
		found, how, err := discoverFrontEnds(ctx, sh)
		if err != nil && len(p.SfB.Servers) == 0 {
			return psFailure(sh, "Get-CsPool", err)
		}
		if err != nil {
			r.Add("discovery", "Get-CsPool failed ("+err.Error()+"); the profile's list is used")
		} else {
			source, servers = how, withPorts(found, p.SfB.Servers, port)
		}
	}
	if servers == nil {
		servers = listed(p.SfB.Servers, port)
	}
	pools := map[string]string{}
	for _, s := range servers {
		pools[s.name] = s.pool
	}
	servers, dropped := keepValid(servers)
	client, err := netx.NewClient(env.netxConfig())
	if err != nil {
		return netError(err)
	}
	results := onEach(ctx, servers, p.SfB.Connections, func(ctx context.Context, s fleetServer) Result {
		return frontEnd(ctx, env, sh, client, s)
	})
	judgeIssuers(results)
	summarizeFleet(&r, "Front Ends", results, source, dropped)
	return r
}

// discoverFrontEnds lists the Front Ends of every registrar pool.
func discoverFrontEnds(ctx context.Context, sh shell.Shell) ([]fleetServer, string, error) {
	objs, err := psQuery(ctx, sh, SideSfB, csPoolsQuery, nil)
	if err == nil {
		var out []fleetServer
		for _, o := range objs {
			registrar := false
			for _, svc := range o.Strings("Services") {
				registrar = registrar || strings.HasPrefix(strings.ToLower(svc), "registrar:")
			}
			if !registrar {
				continue
			}
			pool := strings.ToLower(o.Str("Identity"))
			for _, c := range o.Strings("Computers") {
				out = append(out, fleetServer{name: strings.ToLower(strings.TrimSpace(c)), pool: pool})
			}
		}
		return out, "Get-CsPool (registrar pools' computers)", nil
	}
	objs, err2 := psQuery(ctx, sh, SideSfB, csComputersQuery, nil)
	if err2 != nil {
		return nil, "", err
	}
	var out []fleetServer
	for _, o := range objs {
		out = append(out, fleetServer{name: strings.ToLower(strings.TrimSpace(o.Str("Identity"))), pool: strings.ToLower(o.Str("Pool"))})
	}
	return out, "Get-CsComputer", nil
}

// frontEnd reads one Front End: the certificate it signs with (its own
// Get-CsCertificate) and the metadata document it serves.
func frontEnd(ctx context.Context, env *Env, sh shell.Shell, client *netx.Client, s fleetServer) Result {
	r := Result{ID: "fleet.sfb", Group: "fleet", Title: s.name}
	var problems []string
	pool := s.pool
	if pool == "" {
		pool = notRead
	}
	setting(&r, SetPool, shortName(pool), StatusPass)
	var thumb string
	if sh == nil {
		setting(&r, SetIssuerCert, notRead, StatusSkipped)
	} else {
		cert, err := feCert(ctx, env, sh, s.name)
		switch {
		case err != nil:
			setting(&r, SetIssuerCert, notRead, StatusError)
			problems = append(problems, "its OAuthTokenIssuer certificate could not be read: "+err.Error())
		case cert == nil:
			setting(&r, SetIssuerCert, "none", StatusFail)
			problems = append(problems, "it has no OAuthTokenIssuer certificate")
			r.Pitfalls = appendNew(r.Pitfalls, "sfb-oauth-cert-mismatch-frontends")
		default:
			thumb = strings.ToUpper(cert.Str("Thumbprint"))
			setting(&r, SetIssuerCert, shortThumb(thumb), StatusPass)
			r.SetFact(FactThumbprint, thumb)
			if na := cert.Time("NotAfter"); !na.IsZero() {
				judgeIssuerDays(&r, &problems, daysLeft(na), na)
			}
		}
	}
	fr, err := metadata.Fetch(ctx, client, "https://"+s.addr+"/metadata/json/1")
	switch {
	case fr == nil || fr.Document == nil:
		setting(&r, SetMetadataCert, "no document", StatusError)
		problems = append(problems, "it serves no metadata document: "+errText(err))
	default:
		served := ""
		for _, k := range fr.Document.Keys {
			if k.Cert != nil {
				served = k.Thumbprint
				if thumb == "" { // no PowerShell: the document is all we know
					r.SetFact(FactThumbprint, served)
					if !hasSetting(r, SetIssuerDays) {
						judgeIssuerDays(&r, &problems, daysLeft(k.Cert.NotAfter), k.Cert.NotAfter)
					}
				}
				break
			}
		}
		switch {
		case served == "":
			setting(&r, SetMetadataCert, "no key", StatusFail)
			problems = append(problems, "its metadata document carries no signing certificate")
		case thumb != "" && !strings.EqualFold(served, thumb) && fr.Document.FindThumbprint(thumb) == nil:
			setting(&r, SetMetadataCert, shortThumb(served), StatusFail)
			problems = append(problems, fmt.Sprintf("its metadata document publishes %s, not the certificate it signs with (%s)", served, thumb))
			r.Pitfalls = appendNew(r.Pitfalls, "sfb-oauth-cert-mismatch-frontends")
		default:
			setting(&r, SetMetadataCert, shortThumb(served), StatusPass)
		}
	}
	if !hasSetting(r, SetIssuerDays) {
		setting(&r, SetIssuerDays, notRead, StatusSkipped)
	}
	finishServer(&r, problems)
	return r
}

func judgeIssuerDays(r *Result, problems *[]string, days float64, notAfter interface{ IsZero() bool }) {
	r.SetMetric(MetricOAuthCertDays, days)
	st := StatusPass
	switch {
	case days < 0:
		st = StatusFail
		*problems = append(*problems, "its OAuthTokenIssuer certificate has expired")
		r.Pitfalls = appendNew(r.Pitfalls, "sfb-oauth-cert-expired")
	case days < signingWarnWithin.Hours()/24:
		st = StatusWarn
		*problems = append(*problems, fmt.Sprintf("its OAuthTokenIssuer certificate expires in %d days", int(days)))
		r.Pitfalls = appendNew(r.Pitfalls, "sfb-oauth-cert-expired")
	}
	setting(r, SetIssuerDays, fmt.Sprint(int(days)), st)
}

func hasSetting(r Result, name string) bool {
	for _, s := range r.Settings {
		if s.Name == name {
			return true
		}
	}
	return false
}

// feCert reads the OAuthTokenIssuer certificate a Front End signs with,
// on a shell of its own when the caller can open one, else through
// Invoke-Command from the configured Front End.
func feCert(ctx context.Context, env *Env, sh shell.Shell, fe string) (psout.Object, error) {
	var objs []psout.Object
	var err error
	if env.HostShell != nil {
		var other shell.Shell
		if other, err = env.HostShell(ctx, SideSfB, fe); err != nil {
			return nil, err
		}
		defer other.Close()
		objs, err = psQuery(ctx, other, SideSfB, csCertQuery, nil)
	} else {
		objs, err = psQuery(ctx, sh, SideSfB, feCertQuery, map[string]string{"fe": fe})
	}
	if err != nil || len(objs) == 0 {
		return nil, err
	}
	return objs[0], nil
}

// judgeIssuers fails every Front End whose certificate differs from the
// one most Front Ends sign with: Exchange trusts one certificate per
// partner, so tokens from the others are refused.
func judgeIssuers(servers []Result) {
	thumbs := make([]Result, len(servers))
	for i, s := range servers {
		thumbs[i] = Result{Settings: []Setting{{Name: "t", Value: s.Facts[FactThumbprint]}}}
	}
	want, n := Majority(thumbs, "t")
	if n == 0 {
		return
	}
	for i := range servers {
		s := &servers[i]
		got := s.Facts[FactThumbprint]
		if got == "" || got == want {
			continue
		}
		for j := range s.Settings {
			if s.Settings[j].Name == SetIssuerCert || (s.Settings[j].Name == SetMetadataCert && s.Settings[j].Value == shortThumb(got)) {
				s.Settings[j].Status = StatusFail
			}
		}
		msg := fmt.Sprintf("it signs with %s; %d of %d Front Ends sign with %s", got, n, len(servers), want)
		s.Status = worse(s.Status, StatusFail)
		if s.Summary == "as expected" {
			s.Summary = msg
		} else {
			s.Summary += "; " + msg
		}
		s.Pitfalls = appendNew(s.Pitfalls, "sfb-oauth-cert-mismatch-frontends")
	}
}
