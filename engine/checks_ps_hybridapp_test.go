package engine

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/psout"
)

const (
	evoOK      = `{"Name":"EvoSts - 6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b","Type":"AzureAD","Enabled":true,"Realm":"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b","ApplicationIdentifier":"3e1f5a7c-9b2d-4e6f-8a1c-5d7e9f0b2c4e","DomainName":[{"Domain":"contoso.lab","IncludeSubDomains":false}]}`
	evoNoApp   = `{"Name":"EvoSts - 6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b","Type":"AzureAD","Enabled":true,"Realm":"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b","ApplicationIdentifier":null}`
	evoShared  = `{"Name":"EvoSTS","Type":"AzureAD","Enabled":true,"Realm":"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b","ApplicationIdentifier":"00000002-0000-0ff1-ce00-000000000000"}`
	evoOff     = `{"Name":"EvoSTS","Type":"AzureAD","Enabled":false,"Realm":"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b","ApplicationIdentifier":"3e1f5a7c-9b2d-4e6f-8a1c-5d7e9f0b2c4e"}`
	acsServer  = `{"Name":"WindowsAzureACS","Type":"MicrosoftACS","Enabled":true,"Realm":"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b","ApplicationIdentifier":null}`
	ovEnabled  = `{"Name":"EnableExchangeHybrid3PAppFeature","ComponentName":"Global","SectionName":"ExchangeOnpremAsThirdPartyAppId","Parameters":["Enabled=true"],"Server":null}`
	ovDisabled = `{"Name":"Disable3P","ComponentName":"Global","SectionName":"ExchangeOnpremAsThirdPartyAppId","Parameters":["Enabled=False"],"Server":null}`
	ovOther    = `{"Name":"DisablingAMSIScan","ComponentName":"Cafe","SectionName":"HttpRequestFiltering","Parameters":["Enabled=False"],"Server":null}`
	exoApp     = `[{"Name":"Exchange Online","Enabled":true,"ApplicationIdentifier":"00000002-0000-0ff1-ce00-000000000000","Realm":""}]`
	iocOn      = `[{"Name":"HybridIOC - 6f1c2a3b","Enabled":true,"TargetAddressDomains":["contosolab.mail.onmicrosoft.com"]}]`
	iocOff     = `[{"Name":"HybridIOC - 6f1c2a3b","Enabled":false}]`
)

func TestExchangeHybridApp(t *testing.T) {
	cases := []struct {
		name, overrides, authServers, apps, iocs string
		status                                   Status
		pitfall, summary, appID                  string
	}{
		{"configured (override from a real CliXml export)", fixture(t, "css-exchange-GetSettingOverride.3PApp.clixml.xml"), "[" + acsServer + "," + evoOK + "]",
			exoApp, iocOn, StatusPass, "", "switched on", "3e1f5a7c-9b2d-4e6f-8a1c-5d7e9f0b2c4e"},
		{"not configured (only other overrides, real CliXml)", fixture(t, "css-exchange-GetSettingOverride.AMSI.clixml.xml"), "[" + acsServer + "," + evoNoApp + "]",
			exoApp, iocOn, StatusWarn, "exchange-hybrid-app-missing", "not configured", ""},
		{"no overrides at all", "", "[" + acsServer + "]", exoApp, iocOn, StatusWarn, "exchange-hybrid-app-missing", "not configured", ""},
		{"app id set, override missing", "[" + ovOther + "]", evoOK, exoApp, iocOn, StatusWarn, "exchange-hybrid-app-missing", "no setting override", "3e1f5a7c-9b2d-4e6f-8a1c-5d7e9f0b2c4e"},
		{"override, EvoSTS without app id", ovEnabled, "[" + acsServer + "," + evoNoApp + "]", exoApp, iocOn, StatusFail,
			"exchange-hybrid-app-override-no-authserver", "No valid AuthServer object", ""},
		{"override, EvoSTS with the shared principal's id", ovEnabled, evoShared, exoApp, iocOn, StatusFail,
			"exchange-hybrid-app-override-no-authserver", "shared Exchange Online principal", ""},
		{"override, EvoSTS disabled", ovEnabled, "[" + acsServer + "," + evoOff + "]", exoApp, iocOn, StatusFail,
			"cehya-no-evosts-auth-server", "no enabled EvoSTS", ""},
		{"two overrides", "[" + ovEnabled + "," + ovDisabled + "]", evoOK, exoApp, iocOn, StatusFail,
			"exchange-hybrid-app-half-configured", "Multiple SettingOverrides detected", "3e1f5a7c-9b2d-4e6f-8a1c-5d7e9f0b2c4e"},
		{"override says Enabled=false", ovDisabled, evoOK, exoApp, iocOn, StatusFail, "exchange-hybrid-app-half-configured", "does not switch the feature on", "3e1f5a7c-9b2d-4e6f-8a1c-5d7e9f0b2c4e"},
		{"override where OAuth is not in use (DAuth)", ovEnabled, evoOK, "[]", iocOff, StatusFail, "exchange-hybrid-app-half-configured",
			"OAuth configuration appears to be incomplete: no enabled Exchange Online partner application", "3e1f5a7c-9b2d-4e6f-8a1c-5d7e9f0b2c4e"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := newFake("exch01 via ssh",
				rule{contains: "Get-SettingOverride", res: jsonOut(c.overrides)},
				rule{contains: "Get-AuthServer", res: jsonOut(c.authServers)},
				rule{contains: "Get-PartnerApplication", res: jsonOut(c.apps)},
				rule{contains: "Get-IntraOrganizationConnector", res: jsonOut(c.iocs)})
			r := run(t, checkExHybridApp, psEnv(labProfile(), ex, nil))
			if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) ||
				!strings.Contains(r.Summary, c.summary) {
				t.Fatalf("status %s pitfalls %v (%s), want %s %q %q", r.Status, r.Pitfalls, r.Summary, c.status, c.pitfall, c.summary)
			}
			if got := r.Facts[FactHybridAppID]; got != c.appID {
				t.Errorf("app id fact %q, want %q", got, c.appID)
			}
		})
	}
}

func TestExchangeHybridAppErrors(t *testing.T) {
	ex := newFake("exch01 via ssh", rule{contains: "Get-SettingOverride", res: psErr("The term 'Get-SettingOverride' is not recognized", "CommandNotFoundException")})
	r := run(t, checkExHybridApp, psEnv(labProfile(), ex, nil))
	if r.Status != StatusError || evidence(r, "error id") != "CommandNotFoundException" {
		t.Fatalf("%s: %s %v", r.Status, r.Summary, r.Evidence)
	}
}

const labHybridApp = "3e1f5a7c-9b2d-4e6f-8a1c-5d7e9f0b2c4e"

func TestTenantHybridApp(t *testing.T) {
	der, thumb := testCert(t, time.Now().AddDate(1, 0, 0))
	_, other := testCert(t, time.Now().AddDate(2, 0, 0))
	graphKey := func(th string) string {
		return fmt.Sprintf(`{"KeyId":"g1","CustomKeyIdentifier":"%s","StartDateTime":%s,"EndDateTime":%s,"Type":"AsymmetricX509Cert","Usage":"Verify","Key":null}`,
			th, msDate(time.Now()), msDate(time.Now().AddDate(1, 0, 0)))
	}
	sp := func(enabled bool) string {
		return fmt.Sprintf(`{"Id":"b5d1","AppId":"%s","DisplayName":"ExchangeServerApp-2b5c","AccountEnabled":%t}`, labHybridApp, enabled)
	}
	cases := []struct {
		name    string
		sh      *fakeShell
		appID   string
		status  Status
		pitfall string
		summary string
	}{
		{"configured (Graph)", newFake("graph",
			rule{contains: "-Property Id,AppId,DisplayName,AccountEnabled", res: jsonOut(sp(true))},
			rule{contains: "-ReturnKeyValues", res: psErr("The term 'Get-MsolServicePrincipalCredential' is not recognized", "CommandNotFoundException")},
			rule{contains: "-Property Id,AppId,KeyCredentials", res: jsonOut(graphKey(thumb))}),
			labHybridApp, StatusPass, "", "holds a valid key"},
		{"configured (MSOnline session)", newFake("msonline",
			rule{contains: "Get-MgServicePrincipal -Filter", res: psErr("The term 'Get-MgServicePrincipal' is not recognized", "CommandNotFoundException")},
			rule{contains: "Get-MsolServicePrincipal -AppPrincipalId", res: jsonOut(`{"AppPrincipalId":"` + labHybridApp + `","DisplayName":"ExchangeServerApp","AccountEnabled":true}`)},
			rule{contains: "-ReturnKeyValues", res: jsonOut(msolKey("k1", base64.StdEncoding.EncodeToString(der), time.Now().AddDate(1, 0, 0)))}),
			labHybridApp, StatusPass, "", "holds a valid key"},
		{"application deleted", newFake("graph", rule{contains: "-Property Id,AppId,DisplayName,AccountEnabled", res: jsonOut("")}),
			labHybridApp, StatusFail, "exchange-hybrid-app-half-configured", "no service principal"},
		{"principal disabled", newFake("graph",
			rule{contains: "-Property Id,AppId,DisplayName,AccountEnabled", res: jsonOut(sp(false))},
			rule{contains: "-ReturnKeyValues", res: psErr("not recognized", "CommandNotFoundException")},
			rule{contains: "-Property Id,AppId,KeyCredentials", res: jsonOut(graphKey(thumb))}),
			labHybridApp, StatusFail, "exchange-hybrid-app-half-configured", "is disabled"},
		{"auth certificate renewed, not uploaded again", newFake("graph",
			rule{contains: "-Property Id,AppId,DisplayName,AccountEnabled", res: jsonOut(sp(true))},
			rule{contains: "-ReturnKeyValues", res: psErr("not recognized", "CommandNotFoundException")},
			rule{contains: "-Property Id,AppId,KeyCredentials", res: jsonOut(graphKey(other))}),
			labHybridApp, StatusFail, "auth-cert-renewed-hybrid-not-republished", "holds no key"},
		{"no app on the Exchange side", newFake("graph"), "", StatusSkipped, "", "names no dedicated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := tenantEnv(profile.TopologySfBOnline, thumb, c.sh)
			env.deps["ps.exchange.hybridapp"] = Result{Status: StatusPass, Facts: map[string]string{FactHybridAppID: c.appID}}
			r := checkTenantHybridApp(context.Background(), env)
			if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) ||
				!strings.Contains(r.Summary, c.summary) {
				t.Fatalf("status %s pitfalls %v (%s), want %s %q %q", r.Status, r.Pitfalls, r.Summary, c.status, c.pitfall, c.summary)
			}
		})
	}
}

// MonitorExchangeAuthCertificate.ps1's rotation rules, day by day.
func TestAuthCertRotation(t *testing.T) {
	day := func(n int) time.Time { return time.Now().Add(time.Duration(n)*24*time.Hour + time.Hour) }
	ptr := func(t time.Time) *time.Time { return &t }
	cases := []struct {
		name    string
		cur     time.Time
		next    *time.Time
		status  Status
		pitfall string
	}{
		{"far from the end, no next", day(400), nil, StatusPass, ""},
		{"61 days, no next", day(61), nil, StatusPass, ""},
		{"60 days, no next", day(60), nil, StatusWarn, "exchange-auth-cert-expired"},
		{"30 days, next good for years", day(30), ptr(day(1800)), StatusPass, ""},
		{"30 days, next ends in 120", day(30), ptr(day(120)), StatusWarn, "exchange-next-auth-cert-expiring"},
		{"30 days, next ends in 121", day(30), ptr(day(121)), StatusPass, ""},
		{"expired, no next", day(-3), nil, StatusFail, "exchange-auth-cert-expired"},
		{"expired, next expired too", day(-3), ptr(day(-1)), StatusFail, "exchange-auth-cert-expired"},
		{"expired, next staged but not active", day(-3), ptr(day(1800)), StatusFail, "exchange-auth-cert-expired"},
	}
	for _, c := range cases {
		st, msg, pit := authCertRotation(c.cur, c.next, time.Time{})
		if st != c.status || pit != c.pitfall {
			t.Errorf("%s: %s %q (%s), want %s %q", c.name, st, pit, msg, c.status, c.pitfall)
		}
	}
}

// HealthChecker's verdicts on the certificate itself, over the fields as
// Get-ExchangeCertificate | ConvertTo-Json writes them (Oid as an object).
func TestJudgeAuthCert(t *testing.T) {
	cases := []struct {
		name, json string
		status     Status
		summary    string
	}{
		{"good", `{"Status":"Valid","PublicKeySize":2048,"SignatureAlgorithm":{"Value":"1.2.840.113549.1.1.11","FriendlyName":"sha256RSA"}}`, "", ""},
		{"1024-bit key", `{"Status":"Valid","PublicKeySize":1024}`, StatusFail, "at least 2048 bit"},
		{"SHA-1 by name", `{"Status":"Valid","PublicKeySize":2048,"SignatureAlgorithm":{"FriendlyName":"sha1RSA"}}`, StatusWarn, "SHA-2 family"},
		{"SHA-1 by OID only", `{"Status":"Valid","PublicKeySize":2048,"SignatureAlgorithm":"1.2.840.113549.1.1.5"}`, StatusWarn, "SHA-2 family"},
		{"DateInvalid", `{"Status":"DateInvalid","PublicKeySize":2048}`, StatusFail, "DateInvalid"},
		{"Revoked", `{"Status":"Revoked","PublicKeySize":2048}`, StatusFail, "Revoked"},
	}
	for _, c := range cases {
		objs, err := psout.Decode([]byte(c.json))
		if err != nil || len(objs) != 1 {
			t.Fatalf("%s: %v", c.name, err)
		}
		var f finding
		var r Result
		judgeAuthCert(&f, &r, psout.ExchangeCertificateFrom(objs[0]))
		if f.status != c.status || !strings.Contains(strings.Join(f.problems, "; "), c.summary) {
			t.Errorf("%s: %q %v, want %q %q", c.name, f.status, f.problems, c.status, c.summary)
		}
	}
}

func TestExchangeEXOPartnerApp(t *testing.T) {
	app := func(name string, enabled bool, realm, url, linked string) string {
		return fmt.Sprintf(`{"Name":"%s","Enabled":%t,"ApplicationIdentifier":"00000002-0000-0ff1-ce00-000000000000","AuthMetadataUrl":"%s","Realm":"%s","UseAuthServer":true,"LinkedAccount":"%s"}`,
			name, enabled, url, realm, linked)
	}
	const acct = "contoso.lab/Users/Exchange Online-ApplicationAccount"
	teams := `{"Name":"TeamsScheduler","Enabled":true,"ApplicationIdentifier":"7557eb47-c689-4224-abcf-aef9bd7573df"}`
	cases := []struct {
		name, payload string
		status        Status
		pitfall       string
	}{
		{"as the wizard leaves it", "[" + app("Exchange Online", true, "", "", acct) + "," + teams + "]", StatusPass, ""},
		{"single object (5.1)", app("Exchange Online", true, "", "", acct), StatusPass, ""},
		{"disabled", "[" + app("Exchange Online", false, "", "", acct) + "]", StatusFail, "exo-partnerapp-disabled"},
		{"no linked account", "[" + app("Exchange Online", true, "", "", "") + "]", StatusFail, "exo-partnerapp-linked-account-missing"},
		{"missing", "[" + teams + "]", StatusFail, "hcw8064-oauth-portion-failed"},
		{"two of them", "[" + app("Exchange Online", true, "", "", acct) + "," + app("Exchange Online 2", true, "", "", acct) + "]", StatusFail, ""},
		{"a realm", "[" + app("Exchange Online", true, "contoso.lab", "", acct) + "]", StatusFail, ""},
		{"a metadata URL", "[" + app("Exchange Online", true, "", "https://accounts.accesscontrol.windows.net/x/metadata/json/1", acct) + "]", StatusWarn, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := newFake("exch01", rule{contains: "Get-PartnerApplication", res: jsonOut(c.payload)})
			r := run(t, checkExEXOPartnerApp, psEnv(labProfile(), ex, nil))
			if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) {
				t.Fatalf("%s %v (%s), want %s %q", r.Status, r.Pitfalls, r.Summary, c.status, c.pitfall)
			}
		})
	}
}

func TestExchangeAudienceValidation(t *testing.T) {
	off := `{"Name":"DisableAudienceValidation","ComponentName":"OAuth","SectionName":"AppIdBasedAudienceValidation","Parameters":["Enabled=false"],"Server":null}`
	on := `{"Name":"KeepAudienceValidation","ComponentName":"OAuth","SectionName":"AppIdBasedAudienceValidation","Parameters":["Enabled=true"],"Server":null}`
	cases := []struct {
		name, payload string
		status        Status
	}{
		{"other overrides only (real CliXml)", fixture(t, "css-exchange-GetSettingOverride.AMSI.clixml.xml"), StatusPass},
		{"none", "", StatusPass},
		{"explicitly on", "[" + on + "]", StatusPass},
		{"switched off", "[" + ovOther + "," + off + "]", StatusFail},
	}
	for _, c := range cases {
		ex := newFake("exch01", rule{contains: "Get-SettingOverride", res: jsonOut(c.payload)})
		r := run(t, checkExAudienceValidation, psEnv(labProfile(), ex, nil))
		if r.Status != c.status || (c.status == StatusFail) != hasPitfall(r, "audience-validation-off") {
			t.Errorf("%s: %s %v (%s)", c.name, r.Status, r.Pitfalls, r.Summary)
		}
	}
}

func TestExchangeIOC(t *testing.T) {
	ioc := func(enabled bool, domains, ep string) string {
		return fmt.Sprintf(`{"Name":"HybridIOC - 6f1c2a3b","Enabled":%t,"TargetAddressDomains":[%s],"DiscoveryEndpoint":"%s"}`, enabled, domains, ep)
	}
	const ep = "https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc"
	cases := []struct {
		name, payload string
		status        Status
		pitfall       string
	}{
		{"as the wizard leaves it", "[" + ioc(true, `"contosolab.mail.onmicrosoft.com"`, ep) + "]", StatusPass, ""},
		{"disabled", "[" + ioc(false, `"contosolab.mail.onmicrosoft.com"`, ep) + "]", StatusFail, "ioc-disabled"},
		{"none", "", StatusFail, "hcw8064-oauth-portion-failed"},
		{"targets only on-premises domains", "[" + ioc(true, `"contoso.lab"`, ep) + "]", StatusWarn, ""},
		{"odd discovery endpoint", "[" + ioc(true, `"contosolab.mail.onmicrosoft.com"`, "https://outlook.office365.com/ews/exchange.asmx") + "]", StatusWarn, ""},
	}
	for _, c := range cases {
		ex := newFake("exch01", rule{contains: "Get-IntraOrganizationConnector", res: jsonOut(c.payload)})
		r := run(t, checkExIOC, psEnv(labProfile(), ex, nil))
		if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) {
			t.Errorf("%s: %s %v (%s)", c.name, r.Status, r.Pitfalls, r.Summary)
		}
	}
}
