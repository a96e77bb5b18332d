package engine

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/ucpilot/ucpilot/remote/psout"
)

const paQuery = "Get-PartnerApplication | Select-Object Name,Enabled,ApplicationIdentifier,AuthMetadataUrl,Realm,LinkedAccount,UseAuthServer,IssuerIdentifier"

func exPartnerApps(ctx context.Context, env *Env) ([]psout.PartnerApplication, Result, bool) {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return nil, Result{Status: StatusError, Summary: err.Error()}, false
	}
	objs, err := psQuery(ctx, sh, SideExchange, paQuery, nil)
	if err != nil {
		return nil, psFailure(sh, "Get-PartnerApplication", err), false
	}
	apps := make([]psout.PartnerApplication, 0, len(objs))
	for _, o := range objs {
		apps = append(apps, psout.PartnerApplicationFrom(o))
	}
	var r Result
	r.Add("ran on", sh.Target())
	for _, a := range apps {
		r.Add("partner application", fmt.Sprintf("%s: id %s, enabled %t, metadata %q, realm %q, linked account %q",
			a.Name, orNone(a.ApplicationIdentifier), a.Enabled, a.AuthMetadataUrl, a.Realm, a.LinkedAccount))
	}
	return apps, r, true
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// checkExPartnerApp: Exchange trusts the pool through the Lync / SfB
// partner application (on premises).
func checkExPartnerApp(ctx context.Context, env *Env) Result {
	apps, r, ok := exPartnerApps(ctx, env)
	if !ok {
		return r
	}
	var f finding
	var app *psout.PartnerApplication
	for i := range apps {
		if strings.EqualFold(apps[i].ApplicationIdentifier, AppIDSfB) {
			app = &apps[i]
			break
		}
	}
	if app == nil {
		judgeMissingSfBApp(&f, apps)
		f.apply(&r, "")
		return r
	}
	want := env.Profile.SfB.MetadataURL
	meta := app.AuthMetadataUrl
	switch {
	case strings.Contains(strings.ToLower(meta), "jason"):
		f.add(StatusFail, fmt.Sprintf("%s's AuthMetadataUrl says \"jason\" where it must say \"json\": %s", app.Name, meta), "metadata-url-jason")
	case meta == "":
		f.add(StatusWarn, app.Name+" has no AuthMetadataUrl, so Exchange never refreshes the pool's certificate from its metadata")
	case !sameURL(meta, want):
		f.add(StatusWarn, fmt.Sprintf("%s's AuthMetadataUrl is %s, not the profile's pool metadata URL %s (fine only if that name also serves the pool's document)", app.Name, meta, want))
	}
	if !app.Enabled {
		f.add(StatusFail, app.Name+" is disabled, so Exchange refuses the pool's tokens", "partner-app-disabled")
	}
	if app.Realm != "" && !strings.EqualFold(app.Realm, env.Profile.Domain) {
		f.add(StatusFail, fmt.Sprintf("%s trusts realm %s, not the SIP domain %s", app.Name, app.Realm, env.Profile.Domain), "realm-mismatch")
	}
	if app.LinkedAccount == "" {
		f.add(StatusWarn, app.Name+" has no linked account, so Exchange has no account (and no UserApplication / ArchiveApplication roles) to act as for the pool")
	}
	r.SetFact(FactRealm, app.Realm)
	f.apply(&r, fmt.Sprintf("%s trusts the pool (%s), enabled, linked to %s", app.Name, AppIDSfB, app.LinkedAccount))
	return r
}

// judgeMissingSfBApp explains why no application has the SfB id: a jason
// URL (the script never read the metadata), an id one zero short, or none.
func judgeMissingSfBApp(f *finding, apps []psout.PartnerApplication) {
	for _, a := range apps {
		if strings.Contains(strings.ToLower(a.AuthMetadataUrl), "jason") {
			f.add(StatusFail, fmt.Sprintf("%s points at %s (\"jason\" for \"json\"), so Exchange never learned the pool's identifier", a.Name, a.AuthMetadataUrl), "metadata-url-jason")
			return
		}
		if oneShort(a.ApplicationIdentifier) == AppIDSfB {
			f.add(StatusFail, fmt.Sprintf("%s has ApplicationIdentifier %s, one character short of %s", a.Name, a.ApplicationIdentifier, AppIDSfB), "appid-missing-zero")
			return
		}
	}
	f.add(StatusFail, "no partner application for Skype for Business ("+AppIDSfB+"): Configure-EnterprisePartnerApplication.ps1 was not run, or did not finish", "exstorage-401-oauth-not-accepted")
}

func sameURL(a, b string) bool {
	ua, err1 := url.Parse(strings.TrimSpace(a))
	ub, err2 := url.Parse(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return strings.EqualFold(a, b)
	}
	return strings.EqualFold(ua.Host, ub.Host) && strings.EqualFold(strings.TrimSuffix(ua.Path, "/"), strings.TrimSuffix(ub.Path, "/"))
}

// checkExTeamsApps: with Skype for Business Online / Teams, Exchange needs
// the TeamsScheduler and CloudVoicemail applications, and keeps the legacy
// 00000004 one until Microsoft says otherwise.
func checkExTeamsApps(ctx context.Context, env *Env) Result {
	apps, r, ok := exPartnerApps(ctx, env)
	if !ok {
		return r
	}
	find := func(id string) *psout.PartnerApplication {
		for i := range apps {
			if strings.EqualFold(apps[i].ApplicationIdentifier, id) {
				return &apps[i]
			}
		}
		return nil
	}
	sched, vm, legacy := find(AppIDTeamsScheduler), find(AppIDCloudVoicemail), find(AppIDSfB)
	var f finding
	switch {
	case sched == nil && vm == nil:
		f.add(StatusFail, "neither TeamsScheduler ("+AppIDTeamsScheduler+") nor CloudVoicemail ("+AppIDCloudVoicemail+") exists", "legacy-sfb-partnerapp-only")
	case sched == nil:
		f.add(StatusFail, "no TeamsScheduler partner application ("+AppIDTeamsScheduler+"): delegates cannot schedule Teams meetings", "teams-delegate-cannot-schedule")
	case vm == nil:
		f.add(StatusFail, "no CloudVoicemail partner application ("+AppIDCloudVoicemail+")", "legacy-sfb-partnerapp-only")
	}
	for _, a := range []*psout.PartnerApplication{sched, vm} {
		if a != nil && !a.Enabled {
			f.add(StatusFail, a.Name+" is disabled (Set-PartnerApplication -Identity '"+a.Name+"' -Enabled $true)")
		}
	}
	if sched != nil && sched.LinkedAccount == "" {
		f.add(StatusWarn, "TeamsScheduler has no linked account, so it cannot read delegates", "teams-delegate-cannot-schedule")
	}
	if legacy == nil {
		f.add(StatusWarn, "the legacy "+AppIDSfB+" application is gone; keep it until the Teams voicemail features no longer need it", "teams-legacy-app-removed-early")
	}
	f.apply(&r, "TeamsScheduler and CloudVoicemail exist and are enabled beside the legacy application")
	return r
}

// checkExAuthServer: the Microsoft token service is configured for the
// profile's tenant (Exchange Server with Skype for Business Online).
func checkExAuthServer(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideExchange, "Get-AuthServer | Select-Object Name,Type,Enabled,IssuerIdentifier,AuthMetadataUrl,Realm,ApplicationIdentifier", nil)
	if err != nil {
		return psFailure(sh, "Get-AuthServer", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	var acs []psout.AuthServer
	for _, o := range objs {
		a := psout.AuthServerFrom(o)
		r.Add("auth server", fmt.Sprintf("%s: type %s, enabled %t, metadata %s", a.Name, a.Type, a.Enabled, a.AuthMetadataUrl))
		if strings.Contains(strings.ToLower(a.AuthMetadataUrl), "accesscontrol.windows.net") || strings.EqualFold(a.IssuerIdentifier, AppIDACS) {
			acs = append(acs, a)
		}
	}
	var f finding
	p := env.Profile
	if len(acs) == 0 {
		f.add(StatusFail, "no auth server for the Microsoft token service (accounts.accesscontrol.windows.net): the hybrid OAuth configuration is missing", "hcw8064-oauth-portion-failed")
		f.apply(&r, "")
		return r
	}
	for _, a := range acs {
		switch {
		case !a.Enabled:
			f.add(StatusFail, a.Name+" is disabled (Set-AuthServer -Identity '"+a.Name+"' -Enabled $true)")
		case !mentionsTenant(a.AuthMetadataUrl, p.TenantID, p.TenantDomain, p.Domain):
			f.add(StatusFail, fmt.Sprintf("%s points at %s, which names neither the profile's tenant id nor its domains", a.Name, a.AuthMetadataUrl), "hcw-overwrote-windowsazureacs")
		}
	}
	f.apply(&r, fmt.Sprintf("%s points at the profile's tenant and is enabled", acs[0].Name))
	return r
}

func mentionsTenant(u string, names ...string) bool {
	l := strings.ToLower(u)
	for _, n := range names {
		if n != "" && strings.Contains(l, "/"+strings.ToLower(n)+"/") {
			return true
		}
	}
	return false
}

// checkExVdirOAuth: OAuth is on for EWS and Autodiscover on every server.
func checkExVdirOAuth(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	const body = "Get-WebServicesVirtualDirectory -ADPropertiesOnly | Select-Object Name,Server,Identity,OAuthAuthentication,InternalUrl\n" +
		"Get-AutodiscoverVirtualDirectory -ADPropertiesOnly | Select-Object Name,Server,Identity,OAuthAuthentication,InternalUrl"
	objs, err := psQuery(ctx, sh, SideExchange, body, nil)
	if err != nil {
		return psFailure(sh, "Get-WebServicesVirtualDirectory / Get-AutodiscoverVirtualDirectory", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	var f finding
	seen := map[string]int{}
	for _, o := range objs {
		v := psout.VirtualDirectoryFrom(o)
		kind := "EWS"
		if strings.HasPrefix(strings.ToLower(v.Name), "autodiscover") {
			kind = "Autodiscover"
		}
		seen[kind]++
		r.Add(kind+" "+v.Server, fmt.Sprintf("OAuthAuthentication %t", v.OAuthAuthentication))
		if !v.OAuthAuthentication {
			f.add(StatusFail, fmt.Sprintf("OAuth is off on %s", orNone(v.Identity)), "oauth-disabled-on-vdir")
		}
	}
	if seen["EWS"] == 0 || seen["Autodiscover"] == 0 {
		return Result{Status: StatusError, Summary: "the virtual directory cmdlets returned no EWS or no Autodiscover directory", Evidence: r.Evidence}
	}
	f.apply(&r, fmt.Sprintf("OAuth is on for %d EWS and %d Autodiscover virtual directories", seen["EWS"], seen["Autodiscover"]))
	return r
}

// checkExAutodiscoverURI: every Client Access service names the
// autodiscover host in AutoDiscoverServiceInternalUri.
func checkExAutodiscoverURI(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideExchange, "Get-ClientAccessService | Select-Object Name,Fqdn,AutoDiscoverServiceInternalUri", nil)
	if notRecognized(err) { // Exchange 2013 only has the older name
		objs, err = psQuery(ctx, sh, SideExchange, "Get-ClientAccessServer | Select-Object Name,Fqdn,AutoDiscoverServiceInternalUri", nil)
	}
	if err != nil {
		return psFailure(sh, "Get-ClientAccessService", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	want := strings.ToLower(env.Profile.Exchange.Autodiscover)
	var f finding
	for _, o := range objs {
		name, uri := o.Str("Name"), o.Str("AutoDiscoverServiceInternalUri")
		r.Add(name, orNone(uri))
		u, perr := url.Parse(uri)
		switch {
		case uri == "":
			f.add(StatusFail, name+" has no AutoDiscoverServiceInternalUri", "autodiscover-internal-uri-blank")
		case perr != nil || u.Host == "":
			f.add(StatusFail, fmt.Sprintf("%s's AutoDiscoverServiceInternalUri %q is not a URL", name, uri), "autodiscover-internal-uri-blank")
		case want != "" && !strings.EqualFold(u.Hostname(), want):
			f.add(StatusWarn, fmt.Sprintf("%s's AutoDiscoverServiceInternalUri names %s, not %s", name, u.Hostname(), want), "autodiscover-internal-uri-blank")
		}
	}
	if len(objs) == 0 {
		return Result{Status: StatusError, Summary: "Get-ClientAccessService returned no server", Evidence: r.Evidence}
	}
	f.apply(&r, fmt.Sprintf("AutoDiscoverServiceInternalUri names %s on %d server(s)", want, len(objs)))
	return r
}
