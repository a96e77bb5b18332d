package engine

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/ucpilot/ucpilot/remote/psout"
)

// FactHybridAppID is the dedicated hybrid application's id as the EvoSTS
// auth server names it (ps.exchange.hybridapp), for the tenant side.
const FactHybridAppID = "hybrid_app_id"

// The setting override that switches Exchange to the dedicated app.
const (
	hybridAppComponent = "Global"
	hybridAppSection   = "ExchangeOnpremAsThirdPartyAppId"
)

const (
	overrideQuery   = "Get-SettingOverride | Select-Object Name,ComponentName,SectionName,Parameters,Server"
	authServerQuery = "Get-AuthServer | Select-Object Name,Type,Enabled,IssuerIdentifier,TokenIssuingEndpoint,AuthMetadataUrl,Realm,ApplicationIdentifier,DomainName"
	iocQuery        = "Get-IntraOrganizationConnector | Select-Object Name,Enabled,TargetAddressDomains,DiscoveryEndpoint"
	// The dedicated app is read through Microsoft Graph; MSOnline (retired)
	// only when an old session has nothing else.
	mgAppQuery   = "Get-MgServicePrincipal -Filter $filter -Property Id,AppId,DisplayName,AccountEnabled | Select-Object Id,AppId,DisplayName,AccountEnabled"
	msolAppQuery = "Get-MsolServicePrincipal -AppPrincipalId $appId | Select-Object ObjectId,AppPrincipalId,DisplayName,AccountEnabled"
)

var (
	guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	// overrideEnabledRE is how ConfigureExchangeHybridApplication.ps1 reads
	// an override's Parameters.
	overrideEnabledRE = regexp.MustCompile(`(?i)^\s*Enabled\s*=\s*(true|false)\s*$`)
)

// settingOverride is one Get-SettingOverride object.
type settingOverride struct {
	name, component, section string
	parameters, server       []string
}

// enabled reads Enabled=true|false from the parameters: "true", "false"
// or "" when no parameter says.
func (o settingOverride) enabled() string {
	for _, p := range o.parameters {
		if m := overrideEnabledRE.FindStringSubmatch(p); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return ""
}

// hybridAppOverrides keeps the Global overrides of the feature's section.
func hybridAppOverrides(objs []psout.Object) []settingOverride {
	var out []settingOverride
	for _, o := range objs {
		so := settingOverride{name: o.Str("Name"), component: o.Str("ComponentName"), section: o.Str("SectionName"),
			parameters: o.Strings("Parameters"), server: o.Strings("Server")}
		if strings.EqualFold(so.component, hybridAppComponent) && strings.EqualFold(so.section, hybridAppSection) {
			out = append(out, so)
		}
	}
	return out
}

// evoSTS keeps the enabled AzureAD auth servers (HealthChecker's filter).
func evoSTS(objs []psout.Object) []psout.AuthServer {
	var out []psout.AuthServer
	for _, o := range objs {
		a := psout.AuthServerFrom(o)
		if strings.EqualFold(a.Type, "AzureAD") && a.Enabled {
			out = append(out, a)
		}
	}
	return out
}

// checkExHybridApp judges the dedicated Exchange hybrid application on the
// Exchange side as HealthChecker and ConfigureExchangeHybridApplication.ps1
// do: one Global override ExchangeOnpremAsThirdPartyAppId with Enabled=true,
// an enabled EvoSTS (AzureAD) auth server carrying the application's id, and
// the hybrid OAuth the feature builds on (Exchange Online's partner
// application and an enabled IntraOrganizationConnector).
func checkExHybridApp(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	ovObjs, err := psQuery(ctx, sh, SideExchange, overrideQuery, nil)
	if err != nil {
		return psFailure(sh, "Get-SettingOverride", err)
	}
	asObjs, err := psQuery(ctx, sh, SideExchange, authServerQuery, nil)
	if err != nil {
		return psFailure(sh, "Get-AuthServer", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	overrides := hybridAppOverrides(ovObjs)
	for _, o := range overrides {
		r.Add("setting override", fmt.Sprintf("%s: %s (servers: %s)", o.name, orNone(strings.Join(o.parameters, ", ")), orAll(o.server)))
	}
	evo := evoSTS(asObjs)
	var dedicated []psout.AuthServer
	for _, a := range evo {
		r.Add("EvoSTS auth server", fmt.Sprintf("%s: realm %s, app id %s, domains %s", a.Name, orNone(a.Realm), orNone(a.ApplicationIdentifier),
			orNone(strings.Join(a.DomainName, ", "))))
		if guidRE.MatchString(strings.TrimSpace(a.ApplicationIdentifier)) && !strings.EqualFold(a.ApplicationIdentifier, AppIDExchange) {
			dedicated = append(dedicated, a)
		}
	}
	var f finding
	switch {
	case len(overrides) == 0 && len(dedicated) > 0:
		f.add(StatusWarn, fmt.Sprintf("%s names the application %s, but no setting override %s switches the feature on",
			dedicated[0].Name, dedicated[0].ApplicationIdentifier, hybridAppSection), "exchange-hybrid-app-missing")
	case len(overrides) == 0:
		f.add(StatusWarn, "the dedicated Exchange hybrid application is not configured (no setting override "+hybridAppSection+
			"): since 31 October 2025 Exchange Online refuses EWS calls made through the shared Exchange Online principal", "exchange-hybrid-app-missing")
	case len(overrides) > 1:
		f.add(StatusFail, fmt.Sprintf("Multiple SettingOverrides detected - unable to determine status of the feature (%d overrides of %s)",
			len(overrides), hybridAppSection), "exchange-hybrid-app-half-configured")
	case overrides[0].enabled() != "true":
		f.add(StatusFail, fmt.Sprintf("the setting override %s does not switch the feature on (Parameters %s, want Enabled=true)",
			overrides[0].name, orNone(strings.Join(overrides[0].parameters, ", "))), "exchange-hybrid-app-half-configured")
	}
	if len(overrides) > 0 {
		switch {
		case len(evo) == 0:
			f.add(StatusFail, "No valid AuthServer object was found that supports the dedicated Exchange Hybrid Application: "+
				"there is no enabled EvoSTS (AzureAD) auth server", "exchange-hybrid-app-override-no-authserver", "cehya-no-evosts-auth-server")
		case len(dedicated) == 0:
			f.add(StatusFail, fmt.Sprintf("No valid AuthServer object was found that supports the dedicated Exchange Hybrid Application: "+
				"%s has the application id %s", evo[0].Name, appIDNote(evo[0].ApplicationIdentifier)), "exchange-hybrid-app-override-no-authserver")
		}
		if oauth, why, exoDisabled, iocDisabled, err := hybridOAuthBasics(ctx, env); err == nil && !oauth && overridesEnabled(overrides) {
			pit := "exchange-hybrid-app-half-configured"
			switch { // a switched-off part of hybrid OAuth is the cause, not the feature
			case exoDisabled:
				pit = "exo-partnerapp-disabled"
			case iocDisabled:
				pit = "ioc-disabled"
			}
			f.add(StatusFail, "The dedicated hybrid application feature is enabled, but your OAuth configuration appears to be incomplete: "+why, pit)
		} else if err != nil {
			r.Add("hybrid OAuth", "not read: "+err.Error())
		}
	}
	if len(dedicated) > 0 {
		r.SetFact(FactHybridAppID, strings.ToLower(strings.TrimSpace(dedicated[0].ApplicationIdentifier)))
	}
	ok := ""
	if len(dedicated) > 0 && len(overrides) == 1 {
		ok = fmt.Sprintf("the dedicated hybrid application %s is switched on (%s) and %s carries its id", dedicated[0].ApplicationIdentifier,
			overrides[0].name, dedicated[0].Name)
	}
	f.apply(&r, ok)
	return r
}

func overridesEnabled(os []settingOverride) bool {
	for _, o := range os {
		if o.enabled() == "true" {
			return true
		}
	}
	return false
}

func appIDNote(id string) string {
	switch {
	case strings.TrimSpace(id) == "":
		return "(none)"
	case strings.EqualFold(id, AppIDExchange):
		return id + " (the shared Exchange Online principal, not a dedicated application)"
	}
	return id + " (not a GUID)"
}

func orAll(servers []string) string {
	if len(servers) == 0 {
		return "all"
	}
	return strings.Join(servers, ", ")
}

// hybridOAuthBasics is the script's check before it creates the override:
// an enabled Exchange Online partner application (00000002, blank realm)
// and an enabled IntraOrganizationConnector. ok false says what is missing.
func hybridOAuthBasics(ctx context.Context, env *Env) (ok bool, why string, exoDisabled, iocDisabled bool, err error) {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return false, "", false, false, err
	}
	apps, err := psQuery(ctx, sh, SideExchange, paQuery, nil)
	if err != nil {
		return false, "", false, false, err
	}
	iocs, err := psQuery(ctx, sh, SideExchange, iocQuery, nil)
	if err != nil {
		return false, "", false, false, err
	}
	app := false
	for _, o := range apps {
		a := psout.PartnerApplicationFrom(o)
		exo := strings.EqualFold(a.ApplicationIdentifier, AppIDExchange) && strings.TrimSpace(a.Realm) == ""
		app = app || exo && a.Enabled
		exoDisabled = exoDisabled || exo && !a.Enabled
	}
	exoDisabled = exoDisabled && !app
	ioc := false
	for _, o := range iocs {
		ioc = ioc || o.Bool("Enabled")
	}
	iocDisabled = !ioc && len(iocs) > 0 && app // with no OAuth app either, it is DAuth, not a switched-off connector
	var missing []string
	if !app {
		missing = append(missing, "no enabled Exchange Online partner application ("+AppIDExchange+" with a blank realm)")
	}
	if !ioc {
		missing = append(missing, "no enabled IntraOrganizationConnector")
	}
	return len(missing) == 0, strings.Join(missing, " and ") + " (DAuth free/busy, or no Exchange hybrid at all)", exoDisabled, iocDisabled, nil
}

// checkExEXOPartnerApp: Exchange Online's partner application on Exchange,
// as the hybrid wizard creates it and HealthChecker and the dedicated app's
// script look for it: application id 00000002-…, blank realm, no metadata
// URL (it uses the auth server), enabled, exactly one, with its linked
// account.
func checkExEXOPartnerApp(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideExchange, paQuery, nil)
	if err != nil {
		return psFailure(sh, "Get-PartnerApplication", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	var exo []psout.PartnerApplication
	for _, o := range objs {
		if a := psout.PartnerApplicationFrom(o); strings.EqualFold(strings.TrimSpace(a.ApplicationIdentifier), AppIDExchange) {
			exo = append(exo, a)
			r.Add("partner application", fmt.Sprintf("%s: enabled %t, realm %s, metadata URL %s, use auth server %t, linked account %s",
				a.Name, a.Enabled, orNone(a.Realm), orNone(a.AuthMetadataUrl), a.UseAuthServer, orNone(a.LinkedAccount)))
		}
	}
	var f finding
	switch {
	case len(exo) == 0:
		f.add(StatusFail, "no partner application for Exchange Online ("+AppIDExchange+"): the OAuth part of the hybrid configuration is missing",
			"hcw8064-oauth-portion-failed")
	case len(exo) > 1:
		names := make([]string, len(exo))
		for i, a := range exo {
			names[i] = a.Name
		}
		f.add(StatusFail, fmt.Sprintf("%d partner applications claim Exchange Online's id (%s): keep the one the hybrid wizard created", len(exo), strings.Join(names, ", ")))
	}
	for _, a := range exo {
		if !a.Enabled {
			f.add(StatusFail, fmt.Sprintf("the partner application %s for Exchange Online is disabled: Exchange refuses Exchange Online's tokens", a.Name),
				"exo-partnerapp-disabled")
		}
		if strings.TrimSpace(a.Realm) != "" {
			f.add(StatusFail, fmt.Sprintf("the partner application %s has the realm %s; Exchange Online's is blank", a.Name, a.Realm))
		}
		if strings.TrimSpace(a.AuthMetadataUrl) != "" {
			f.add(StatusWarn, fmt.Sprintf("the partner application %s reads metadata from %s; Exchange Online's uses the auth server instead (blank URL, UseAuthServer True)",
				a.Name, a.AuthMetadataUrl))
		}
		if strings.TrimSpace(a.LinkedAccount) == "" {
			f.add(StatusFail, fmt.Sprintf("the partner application %s has no linked account: calls from Exchange Online are authenticated but not authorized", a.Name),
				"exo-partnerapp-linked-account-missing")
		}
	}
	ok := ""
	if len(exo) == 1 {
		ok = fmt.Sprintf("%s is Exchange Online's partner application: enabled, blank realm, linked to %s", exo[0].Name, exo[0].LinkedAccount)
	}
	f.apply(&r, ok)
	return r
}

// checkTenantHybridApp: the dedicated application the EvoSTS auth server
// names exists in the tenant and holds Exchange's current auth certificate
// (the script uploads it; after a renewal it must be uploaded again).
func checkTenantHybridApp(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideTenant)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	appID := env.Fact("ps.exchange.hybridapp", FactHybridAppID)
	if appID == "" {
		return Result{Status: StatusSkipped, Summary: "the Exchange side names no dedicated hybrid application (ps.exchange.hybridapp)"}
	}
	want := strings.ToUpper(env.Fact("metadata.exchange", FactThumbprint))
	var r Result
	r.Add("ran on", sh.Target())
	r.Add("application", appID+" (from the EvoSTS auth server)")
	r.Add("expected key", "Exchange's auth certificate "+orNone(want)+" (from metadata.exchange)")
	p := tenantPrincipal{appID, "the dedicated Exchange hybrid application"}
	sps, err := psQuery(ctx, sh, SideTenant, mgAppQuery, map[string]string{"filter": "appId eq '" + appID + "'"})
	if notRecognized(err) { // an old session with only MSOnline loaded
		sps, err = psQuery(ctx, sh, SideTenant, msolAppQuery, map[string]string{"appId": appID})
		if isNotFound(err) {
			sps, err = nil, nil
		}
	}
	if err != nil {
		return psFailure(sh, "reading the service principal of "+appID, err)
	}
	var f finding
	if len(sps) == 0 {
		f.add(StatusFail, fmt.Sprintf("the tenant has no service principal for the application %s: the EvoSTS auth server names an application "+
			"that does not exist here (deleted, or copied from another tenant)", appID), "exchange-hybrid-app-half-configured")
		f.apply(&r, "")
		return r
	}
	r.Add("service principal", fmt.Sprintf("%s, enabled %t", sps[0].Str("DisplayName"), sps[0].Bool("AccountEnabled")))
	if !sps[0].Bool("AccountEnabled") {
		f.add(StatusFail, fmt.Sprintf("the service principal of %s (%s) is disabled: it cannot sign in", sps[0].Str("DisplayName"), appID),
			"exchange-hybrid-app-half-configured")
	}
	keys, err := tenantKeys(ctx, sh, appID)
	switch {
	case isNotFound(err):
		f.add(StatusFail, fmt.Sprintf("the tenant has no application %s: the EvoSTS auth server names an application that does not exist here "+
			"(deleted, or copied from another tenant)", appID), "exchange-hybrid-app-half-configured")
	case err != nil:
		return psFailure(sh, "reading the key credentials of "+appID, err)
	default:
		for _, k := range keys {
			r.Add("key "+k.id, k.describe())
		}
		if len(keys) == 0 {
			r.Add("keys", "(none)")
		}
		if want == "" {
			f.add(StatusWarn, "no thumbprint to compare with: metadata.exchange did not run or published none")
		}
		judgePrincipal(&f, p, keys, want, env.Profile.Topology)
	}
	f.apply(&r, fmt.Sprintf("the dedicated hybrid application %s holds a valid key for Exchange's auth certificate %s", appID, want))
	return r
}

// checkExAudienceValidation: no setting override switches off the OAuth
// audience validation the August 2025 security update added
// (CVE-2025-25005), as HealthChecker's CVE check reads it: component
// OAuth, section AppIdBasedAudienceValidation, Enabled=false.
func checkExAudienceValidation(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideExchange, overrideQuery, nil)
	if err != nil {
		return psFailure(sh, "Get-SettingOverride", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	var f finding
	for _, o := range objs {
		so := settingOverride{name: o.Str("Name"), component: o.Str("ComponentName"), section: o.Str("SectionName"),
			parameters: o.Strings("Parameters"), server: o.Strings("Server")}
		if !strings.EqualFold(so.component, "OAuth") || !strings.EqualFold(so.section, "AppIdBasedAudienceValidation") {
			continue
		}
		r.Add("setting override", fmt.Sprintf("%s: %s (servers: %s)", so.name, orNone(strings.Join(so.parameters, ", ")), orAll(so.server)))
		if so.enabled() == "false" {
			f.add(StatusFail, fmt.Sprintf("the setting override %s switches off OAuth audience validation: Exchange is open to CVE-2025-25005 again", so.name),
				"audience-validation-off")
		}
	}
	f.apply(&r, "no setting override switches off OAuth audience validation (CVE-2025-25005)")
	return r
}

// checkExIOC: the IntraOrganizationConnector to Exchange Online exists, is
// enabled, targets the tenant's routing domain and discovers through
// Exchange Online's autodiscover endpoint.
func checkExIOC(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideExchange, iocQuery, nil)
	if err != nil {
		return psFailure(sh, "Get-IntraOrganizationConnector", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	var f finding
	enabled := 0
	for _, o := range objs {
		name, domains, ep := o.Str("Name"), o.Strings("TargetAddressDomains"), o.Str("DiscoveryEndpoint")
		r.Add("connector", fmt.Sprintf("%s: enabled %t, target domains %s, discovery %s", name, o.Bool("Enabled"), orNone(strings.Join(domains, ", ")), orNone(ep)))
		if !o.Bool("Enabled") {
			continue
		}
		enabled++
		cloud := false
		for _, d := range domains {
			cloud = cloud || strings.HasSuffix(strings.ToLower(strings.TrimSpace(d)), ".onmicrosoft.com")
		}
		if !cloud {
			f.add(StatusWarn, fmt.Sprintf("%s targets %s; the connector to Exchange Online targets the tenant's routing domain (<tenant>.mail.onmicrosoft.com)",
				name, orNone(strings.Join(domains, ", "))))
		}
		if !strings.Contains(strings.ToLower(ep), "/autodiscover/autodiscover.svc") {
			f.add(StatusWarn, fmt.Sprintf("%s discovers through %s, not an autodiscover.svc endpoint", name, orNone(ep)))
		}
	}
	switch {
	case len(objs) == 0:
		f.add(StatusFail, "no IntraOrganizationConnector: Exchange has no OAuth route to Exchange Online (run the Hybrid Configuration Wizard)", "hcw8064-oauth-portion-failed")
	case enabled == 0:
		f.add(StatusFail, "every IntraOrganizationConnector is disabled: free/busy and the dedicated hybrid application have no OAuth route to Exchange Online",
			"ioc-disabled")
	}
	f.apply(&r, fmt.Sprintf("%d enabled IntraOrganizationConnector(s) to Exchange Online", enabled))
	return r
}
