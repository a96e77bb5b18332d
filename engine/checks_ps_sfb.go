package engine

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/psout"
)

// FactServiceName is the ServiceName Get-CsOAuthConfiguration states.
const FactServiceName = "service_name"

// checkSfBOAuthConfig: the pool signs as 00000004 in the SIP domain's
// realm and finds Exchange through an autodiscover.svc URL.
func checkSfBOAuthConfig(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideSfB)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideSfB, "Get-CsOAuthConfiguration | Select-Object Identity,Realm,ServiceName,ExchangeAutodiscoverUrl,ClientAuthorizationOAuthServerIdentity", nil)
	if err != nil {
		return psFailure(sh, "Get-CsOAuthConfiguration", err)
	}
	if len(objs) == 0 {
		return Result{Status: StatusError, Summary: "Get-CsOAuthConfiguration returned nothing"}
	}
	c := psout.CsOAuthConfigurationFrom(objs[0])
	var r Result
	r.Add("ran on", sh.Target())
	r.Add("ServiceName", orNone(c.ServiceName))
	r.Add("Realm", orNone(c.Realm)+realmNote(c.Realm))
	r.Add("ExchangeAutodiscoverUrl", orNone(c.ExchangeAutodiscoverUrl))
	r.Add("ClientAuthorizationOAuthServerIdentity", orNone(c.ClientAuthorizationOAuthServerIdentity))
	r.SetFact(FactRealm, c.Realm)
	r.SetFact(FactServiceName, c.ServiceName)
	var f finding
	switch {
	case strings.EqualFold(c.ServiceName, AppIDSfB):
	case oneShort(c.ServiceName) != "":
		f.add(StatusFail, fmt.Sprintf("ServiceName %s is one character short of %s", c.ServiceName, AppIDSfB), "appid-missing-zero")
	default:
		f.add(StatusFail, fmt.Sprintf("ServiceName is %s, not %s", orNone(c.ServiceName), AppIDSfB), "servicename-not-set")
	}
	if c.Realm != "" && !strings.EqualFold(c.Realm, env.Profile.Domain) {
		f.add(StatusFail, fmt.Sprintf("Realm is %s, not the SIP domain %s", c.Realm, env.Profile.Domain), "realm-mismatch")
	}
	judgeAutodiscoverURL(&f, c.ExchangeAutodiscoverUrl, env.Profile.Topology)
	if env.Profile.Topology == profile.TopologyHybrid && !strings.EqualFold(c.ClientAuthorizationOAuthServerIdentity, "microsoft.sts") {
		f.add(StatusWarn, fmt.Sprintf("ClientAuthorizationOAuthServerIdentity is %s; with Exchange Online it is usually microsoft.sts", orNone(c.ClientAuthorizationOAuthServerIdentity)))
	}
	f.apply(&r, fmt.Sprintf("ServiceName %s, realm %s, autodiscover %s", c.ServiceName, orDefault(c.Realm), c.ExchangeAutodiscoverUrl))
	return r
}

func orDefault(realm string) string {
	if realm == "" {
		return "(default)"
	}
	return realm
}

func judgeAutodiscoverURL(f *finding, u, topology string) {
	l := strings.ToLower(strings.TrimSpace(u))
	switch {
	case l == "":
		if topology != profile.TopologyHybrid {
			f.add(StatusWarn, "ExchangeAutodiscoverUrl is not set: the Storage Service guesses autodiscover.<SIP domain>, and 2015 RTM always does",
				"sfb2015-rtm-autodiscover-hardcoded")
		}
	case strings.HasSuffix(l, "/autodiscover.xml"):
		f.add(StatusFail, "ExchangeAutodiscoverUrl ends in autodiscover.xml; the Storage Service needs the SOAP endpoint autodiscover.svc", "autodiscover-url-xml-not-svc")
	case !strings.HasSuffix(l, ".svc"):
		f.add(StatusFail, "ExchangeAutodiscoverUrl "+u+" does not end in .svc", "autodiscover-url-xml-not-svc")
	}
}

const csPAQuery = "Get-CsPartnerApplication | Select-Object Identity,Name,ApplicationIdentifier,Realm,ApplicationTrustLevel,Enabled,AuthToken"

// Windows PowerShell 5.1 writes enums as numbers, and this subset of
// PowerShell has no calculated properties, so when ApplicationTrustLevel
// comes back as a number the check asks which applications are Full.
const csFullQuery = "Get-CsPartnerApplication | Where-Object { $_.ApplicationTrustLevel -eq 'Full' } | Select-Object -ExpandProperty Identity"

// checkSfBPartnerApp: the pool trusts Exchange (00000002) with trust level
// Full.
func checkSfBPartnerApp(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideSfB)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideSfB, csPAQuery, nil)
	if err != nil {
		return psFailure(sh, "Get-CsPartnerApplication", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	var app *psout.CsPartnerApplication
	var all []psout.CsPartnerApplication
	for _, o := range objs {
		a := psout.CsPartnerApplicationFrom(o)
		a.MetadataUrl = authTokenURL(o.Str("AuthToken"))
		all = append(all, a)
		r.Add("partner application", fmt.Sprintf("%s: id %s, trust %s, enabled %t, %s", a.Identity, orNone(a.ApplicationIdentifier),
			orNone(a.ApplicationTrustLevel), a.Enabled, orNone(o.Str("AuthToken"))))
	}
	for i := range all {
		if strings.EqualFold(all[i].ApplicationIdentifier, AppIDExchange) {
			app = &all[i]
		}
	}
	hybrid := env.Profile.Topology == profile.TopologyHybrid
	var f finding
	if app == nil {
		judgeMissingExchangeApp(&f, all, hybrid)
		f.apply(&r, "")
		return r
	}
	full, err := trustIsFull(ctx, env, app)
	switch {
	case err != nil:
		f.add(StatusWarn, "could not read ApplicationTrustLevel as text: "+err.Error())
	case !full:
		f.add(StatusFail, fmt.Sprintf("%s has ApplicationTrustLevel %s, not Full", app.Identity, app.ApplicationTrustLevel), "sfb-partnerapp-trust-level-not-full")
	}
	if !app.Enabled {
		f.add(StatusFail, app.Identity+" is disabled (Set-CsPartnerApplication -Identity "+app.Identity+" -Enabled $true)")
	}
	useServer := strings.EqualFold(strings.TrimSpace(psoutAuthToken(objs, app.Identity)), "UseOAuthServer")
	switch {
	case hybrid && !useServer:
		f.add(StatusWarn, app.Identity+" does not use the OAuth server; with Exchange Online it should be created with -UseOAuthServer")
	case !hybrid && app.MetadataUrl != "" && !exchangeMetadataURL(app.MetadataUrl, env.Profile):
		f.add(StatusWarn, fmt.Sprintf("%s reads metadata from %s, not the profile's %s", app.Identity, app.MetadataUrl, env.Profile.Exchange.MetadataURL))
	}
	f.apply(&r, fmt.Sprintf("%s trusts Exchange (%s) with trust level Full", app.Identity, AppIDExchange))
	return r
}

func judgeMissingExchangeApp(f *finding, all []psout.CsPartnerApplication, hybrid bool) {
	for _, a := range all {
		id := strings.ToLower(a.Identity)
		if strings.Contains(id, "exchange") || oneShort(a.ApplicationIdentifier) == AppIDExchange {
			f.add(StatusFail, fmt.Sprintf("%s has ApplicationIdentifier %s, not Exchange's %s", a.Identity, orNone(a.ApplicationIdentifier), AppIDExchange), "sfb-partnerapp-wrong-appid")
			return
		}
	}
	if hybrid {
		f.add(StatusFail, "no partner application for Exchange Online ("+AppIDExchange+"): create microsoft.exchange with -UseOAuthServer after microsoft.sts exists")
		return
	}
	f.add(StatusFail, "no partner application for Exchange ("+AppIDExchange+")", "new-cspartnerapp-metadata-download-failed")
}

// trustIsFull reads the trust level; a number (an enum written by 5.1)
// is resolved by asking PowerShell to compare it with 'Full'.
func trustIsFull(ctx context.Context, env *Env, app *psout.CsPartnerApplication) (bool, error) {
	lvl := strings.TrimSpace(app.ApplicationTrustLevel)
	if lvl == "" || strings.Trim(lvl, "0123456789") != "" {
		return strings.EqualFold(lvl, "Full"), nil
	}
	sh, _ := env.shellFor(SideSfB)
	ids, err := psStrings(ctx, sh, SideSfB, csFullQuery, nil)
	if err != nil {
		return false, err
	}
	for _, id := range ids {
		if strings.EqualFold(id, app.Identity) {
			app.ApplicationTrustLevel = "Full"
			return true, nil
		}
	}
	app.ApplicationTrustLevel += " (not Full)"
	return false, nil
}

// authTokenURL takes the metadata URL out of an AuthToken value such as
// "MetadataUrl=https://…" or "Value=https://…"; "" when it holds none.
func authTokenURL(token string) string {
	if i := strings.Index(strings.ToLower(token), "http"); i >= 0 {
		return strings.TrimSpace(token[i:])
	}
	return ""
}

func psoutAuthToken(objs []psout.Object, identity string) string {
	for _, o := range objs {
		if strings.EqualFold(o.Str("Identity"), identity) {
			return o.Str("AuthToken")
		}
	}
	return ""
}

// checkSfBOAuthServer: with Exchange Online the pool gets tokens from
// microsoft.sts, whose metadata URL names the tenant.
func checkSfBOAuthServer(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideSfB)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideSfB, "Get-CsOAuthServer | Select-Object Identity,Name,MetadataUrl,Realm,Type", nil)
	if err != nil {
		return psFailure(sh, "Get-CsOAuthServer", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	var sts *psout.CsOAuthServer
	for _, o := range objs {
		s := psout.CsOAuthServerFrom(o)
		r.Add("OAuth server", s.Identity+": "+orNone(s.MetadataUrl))
		if strings.EqualFold(s.Identity, "microsoft.sts") {
			sts = &s
		}
	}
	var f finding
	p := env.Profile
	switch {
	case sts == nil:
		f.add(StatusFail, "no OAuth server named microsoft.sts", "stale-client-authorization-oauth-server-identity")
	case !strings.Contains(strings.ToLower(sts.MetadataUrl), "accounts.accesscontrol.windows.net"):
		f.add(StatusFail, "microsoft.sts points at "+sts.MetadataUrl+", not at accounts.accesscontrol.windows.net", "oauth-server-sts-wrong-url")
	case p.TenantID != "" && !mentionsTenant(sts.MetadataUrl, p.TenantID, p.TenantDomain):
		f.add(StatusFail, fmt.Sprintf("microsoft.sts points at %s, not at the profile's tenant %s", sts.MetadataUrl, p.TenantID), "oauth-server-sts-wrong-url")
	}
	if sts != nil {
		f.apply(&r, "microsoft.sts points at "+sts.MetadataUrl)
	} else {
		f.apply(&r, "")
	}
	return r
}

// exchangeMetadataURL reports whether u is the profile's Exchange metadata
// URL, or the same path on the profile's other name for Exchange (the
// Autodiscover name or the server FQDN): both serve the same document.
func exchangeMetadataURL(u string, p *profile.Profile) bool {
	if sameURL(u, p.Exchange.MetadataURL) {
		return true
	}
	ua, err1 := url.Parse(strings.TrimSpace(u))
	ub, err2 := url.Parse(strings.TrimSpace(p.Exchange.MetadataURL))
	if err1 != nil || err2 != nil || ua.Port() != ub.Port() ||
		!strings.EqualFold(strings.TrimSuffix(ua.Path, "/"), strings.TrimSuffix(ub.Path, "/")) {
		return false
	}
	h := ua.Hostname()
	return strings.EqualFold(h, p.Exchange.Autodiscover) || strings.EqualFold(h, p.Exchange.FQDN)
}
