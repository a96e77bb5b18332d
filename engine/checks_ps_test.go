package engine

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/shell"
)

const (
	thumbA = "C3EDCF181EF4F9B53D01768ECA99564014BCA6E7"
	thumbB = "0123456789ABCDEF0123456789ABCDEF01234567"
)

func psEnv(p *profile.Profile, ex, sfb shell.Shell) *Env {
	shells := map[string]shell.Shell{}
	if ex != nil {
		shells[SideExchange] = ex
	}
	if sfb != nil {
		shells[SideSfB] = sfb
	}
	e := p.Effective()
	e.TestSipURI = "sip:alice@contoso.lab"
	return &Env{Profile: e, Vars: p.Vars(), Shells: shells, deps: map[string]Result{}}
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../remote/psout/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const poolMeta = "https://pool01.contoso.lab/metadata/json/1"

func lyncApp(url string, enabled bool, realm string) string {
	return fmt.Sprintf(`{"Name":"LyncEnterprise-1","Enabled":%t,"ApplicationIdentifier":"%s","AuthMetadataUrl":"%s","Realm":"%s","LinkedAccount":"contoso.lab/Users/LyncEnterprise-ApplicationAccount"}`,
		enabled, AppIDSfB, url, realm)
}

func TestExchangePartnerApp(t *testing.T) {
	cases := []struct {
		name, payload string
		status        Status
		pitfall       string
	}{
		{"healthy", "[" + lyncApp(poolMeta, true, "contoso.lab") + "]", StatusPass, ""},
		{"single object, not a list (5.1)", lyncApp(poolMeta, true, ""), StatusPass, ""},
		{"jason", "[" + lyncApp("https://pool01.contoso.lab/metadata/jason/1", true, "") + "]", StatusFail, "metadata-url-jason"},
		{"jason, never read", `[{"Name":"L","Enabled":true,"ApplicationIdentifier":"","AuthMetadataUrl":"https://pool01.contoso.lab/metadata/jason/1"}]`, StatusFail, "metadata-url-jason"},
		{"disabled", "[" + lyncApp(poolMeta, false, "") + "]", StatusFail, "partner-app-disabled"},
		{"realm", "[" + lyncApp(poolMeta, true, "corp.contoso.lab") + "]", StatusFail, "realm-mismatch"},
		{"one zero short", `[{"Name":"L","Enabled":true,"ApplicationIdentifier":"00000004-0000-0ff1-ce00-00000000000"}]`, StatusFail, "appid-missing-zero"},
		{"missing", `{"Name":"Exchange Online","Enabled":true,"ApplicationIdentifier":"00000002-0000-0ff1-ce00-000000000000"}`, StatusFail, "exstorage-401-oauth-not-accepted"},
		// The real CliXml export holds a legacy 00000004 application with no
		// metadata URL and no linked account (an Exchange with SfB Online).
		{"legacy app (real CliXml fixture)", fixture(t, "css-exchange-GetPartnerApplication.E19.clixml.xml"), StatusWarn, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := newFake("exch01 via ssh", rule{contains: "Get-PartnerApplication", res: jsonOut(c.payload)})
			r := run(t, checkExPartnerApp, psEnv(labProfile(), ex, nil))
			if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) {
				t.Fatalf("status %s pitfalls %v (%s), want %s %q", r.Status, r.Pitfalls, r.Summary, c.status, c.pitfall)
			}
		})
	}
}

func TestExchangePartnerAppErrors(t *testing.T) {
	ex := newFake("exch01 via ssh", rule{contains: "Get-PartnerApplication", res: psErr("Access is denied.", "AccessDenied")})
	r := run(t, checkExPartnerApp, psEnv(labProfile(), ex, nil))
	if r.Status != StatusError || !strings.Contains(r.Summary, "password") || evidence(r, "error id") != "AccessDenied" {
		t.Fatalf("access denied: %s %q %v", r.Status, r.Summary, r.Evidence)
	}
	r = run(t, checkExPartnerApp, psEnv(labProfile(), nil, nil))
	if r.Status != StatusError || !strings.Contains(r.Summary, "exchange.shell") {
		t.Fatalf("no shell: %s %q", r.Status, r.Summary)
	}
}

func TestExchangeTeamsApps(t *testing.T) {
	app := func(name, id string, enabled bool) string {
		return fmt.Sprintf(`{"Name":"%s","Enabled":%t,"ApplicationIdentifier":"%s","LinkedAccount":"contoso.lab/Users/%s"}`, name, enabled, id, name)
	}
	all := []string{app("TeamsScheduler", AppIDTeamsScheduler, true), app("CloudVoicemail", AppIDCloudVoicemail, true), app("SfBLegacy", AppIDSfB, true)}
	cases := []struct {
		apps    []string
		status  Status
		pitfall string
	}{
		{all, StatusPass, ""},
		{all[2:], StatusFail, "legacy-sfb-partnerapp-only"},
		{all[1:], StatusFail, "teams-delegate-cannot-schedule"},
		{all[:2], StatusWarn, "teams-legacy-app-removed-early"},
	}
	for _, c := range cases {
		ex := newFake("exch01", rule{contains: "Get-PartnerApplication", res: jsonOut("[" + strings.Join(c.apps, ",") + "]")})
		p := labProfile()
		p.Topology = "sfbonline"
		r := run(t, checkExTeamsApps, psEnv(p, ex, nil))
		if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) {
			t.Errorf("%d apps: %s %v (%s), want %s %s", len(c.apps), r.Status, r.Pitfalls, r.Summary, c.status, c.pitfall)
		}
	}
}

func certJSON(thumb string, notAfter time.Time) string {
	return fmt.Sprintf(`{"Thumbprint":"%s","Subject":"CN=Microsoft Exchange Server Auth Certificate","NotBefore":%s,"NotAfter":%s,"HasPrivateKey":true}`,
		thumb, msDate(notAfter.AddDate(-5, 0, 0)), msDate(notAfter))
}

func TestExchangeAuthConfig(t *testing.T) {
	fx := fixture(t, "css-exchange-GetAuthConfig.E19.clixml.xml")
	staged := fmt.Sprintf(`{"CurrentCertificateThumbprint":"%s","NextCertificateThumbprint":"%s","NextCertificateEffectiveDate":%s,"Realm":"","ServiceName":"00000002-0000-0ff1-ce00-000000000000"}`,
		thumbA, thumbB, msDate(time.Now().Add(48*time.Hour)))
	oneShortName := fmt.Sprintf(`{"CurrentCertificateThumbprint":"%s","Realm":"","ServiceName":"00000002-0000-0ff1-ce00-00000000000"}`, thumbA)
	cases := []struct {
		name, authcfg string
		cert          []rule
		status        Status
		pitfall       string
	}{
		{"valid (CliXml fixture)", fx, []rule{{contains: "Get-ExchangeCertificate", res: jsonOut(certJSON(thumbA, time.Now().AddDate(2, 0, 0)))}}, StatusPass, ""},
		{"expired", fx, []rule{{contains: "Get-ExchangeCertificate", res: jsonOut(certJSON(thumbA, time.Now().AddDate(0, 0, -3)))}}, StatusFail, "exchange-auth-cert-expired"},
		{"expiring, nothing staged", fx, []rule{{contains: "Get-ExchangeCertificate", res: jsonOut(certJSON(thumbA, time.Now().AddDate(0, 0, 20)))}}, StatusWarn, "exchange-auth-cert-expired"},
		{"expiring, next staged", staged, []rule{{contains: "$thumbprint = '" + thumbB, res: jsonOut(certJSON(thumbB, time.Now().AddDate(5, 0, 0)))}, {contains: "Get-ExchangeCertificate", res: jsonOut(certJSON(thumbA, time.Now().AddDate(0, 0, 20)))}}, StatusPass, ""},
		{"expiring, next staged but ends within 120 days", staged, []rule{{contains: "$thumbprint = '" + thumbB, res: jsonOut(certJSON(thumbB, time.Now().AddDate(0, 0, 100)))}, {contains: "Get-ExchangeCertificate", res: jsonOut(certJSON(thumbA, time.Now().AddDate(0, 0, 20)))}}, StatusWarn, "exchange-next-auth-cert-expiring"},
		{"ServiceName one zero short", oneShortName, []rule{{contains: "Get-ExchangeCertificate", res: jsonOut(certJSON(thumbA, time.Now().AddDate(2, 0, 0)))}}, StatusFail, "appid-missing-zero"},
		{"missing on this server", fx, []rule{{contains: "Get-ExchangeCertificate", res: psErr("A special Rpc error occurs on server EX-02: The certificate with thumbprint "+thumbA+" was not found.", "CertificateNotFound")}}, StatusFail, "exchange-auth-cert-missing-on-server"},
		{"no current", `{"CurrentCertificateThumbprint":""}`, nil, StatusFail, "exchange-auth-cert-expired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := newFake("exch01", append([]rule{{contains: "Get-AuthConfig | Select-Object", res: jsonOut(c.authcfg)}}, c.cert...)...)
			r := run(t, checkExAuthConfig, psEnv(labProfile(), ex, nil))
			if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) {
				t.Fatalf("%s %v (%s), want %s %q", r.Status, r.Pitfalls, r.Summary, c.status, c.pitfall)
			}
			if c.name == "valid (CliXml fixture)" {
				if r.Facts[FactThumbprint] != thumbA {
					t.Errorf("thumbprint fact %q", r.Facts[FactThumbprint])
				}
				// The thumbprint travels as data, never pasted into code.
				for _, s := range ex.scripts() {
					if strings.Contains(s, "-Thumbprint "+thumbA) || (strings.Contains(s, thumbA) && !strings.Contains(s, "$thumbprint = '"+thumbA+"'")) {
						t.Errorf("thumbprint concatenated into the script:\n%s", s)
					}
				}
			}
		})
	}
}

func TestExchangeVdirsAndAutodiscover(t *testing.T) {
	vd := func(name string, on bool) string {
		return fmt.Sprintf(`{"Name":"%s (Default Web Site)","Server":"EXCH01","Identity":"EXCH01\\%s (Default Web Site)","OAuthAuthentication":%t}`, name, name, on)
	}
	for _, c := range []struct {
		payload string
		status  Status
	}{
		{"[" + vd("EWS", true) + "," + vd("Autodiscover", true) + "]", StatusPass},
		{"[" + vd("EWS", false) + "," + vd("Autodiscover", true) + "]", StatusFail},
		{"[" + vd("EWS", true) + "]", StatusError},
	} {
		ex := newFake("exch01", rule{contains: "Get-WebServicesVirtualDirectory", res: jsonOut(c.payload)})
		r := run(t, checkExVdirOAuth, psEnv(labProfile(), ex, nil))
		if r.Status != c.status || (c.status == StatusFail && !hasPitfall(r, "oauth-disabled-on-vdir")) {
			t.Errorf("%s: %s %v %s", c.payload, r.Status, r.Pitfalls, r.Summary)
		}
	}
	// Exchange 2013 has only Get-ClientAccessServer; the URI is a
	// System.Uri, which 5.1 writes as an object.
	uri := `[{"Name":"EXCH01","AutoDiscoverServiceInternalUri":{"AbsoluteUri":"https://autodiscover.contoso.lab/Autodiscover/Autodiscover.xml","Host":"autodiscover.contoso.lab"}},{"Name":"EXCH02","AutoDiscoverServiceInternalUri":null}]`
	ex := newFake("exch01", rule{contains: "Get-ClientAccessServer", res: jsonOut(uri)})
	r := run(t, checkExAutodiscoverURI, psEnv(labProfile(), ex, nil))
	if r.Status != StatusFail || !hasPitfall(r, "autodiscover-internal-uri-blank") || !strings.Contains(r.Summary, "EXCH02") || strings.Contains(r.Summary, "EXCH01") {
		t.Fatalf("autodiscover uri: %s %v %q", r.Status, r.Pitfalls, r.Summary)
	}
}

func TestExchangeAuthServer(t *testing.T) {
	p := labProfile()
	p.Topology, p.TenantID = "sfbonline", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	acsIssuer := func(tenant, issuer string) string {
		return `{"Name":"WindowsAzureACS","Type":"MicrosoftACS","Enabled":true,"IssuerIdentifier":"` + issuer + `","AuthMetadataUrl":"https://accounts.accesscontrol.windows.net/` + tenant + `/metadata/json/1"}`
	}
	acsOnly := func(tenant string) string { return acsIssuer(tenant, AppIDACS) }
	evo := func(name, realm string) string {
		return `{"Name":"` + name + `","Type":"AzureAD","Enabled":true,"Realm":"` + realm + `","ApplicationIdentifier":null,"IssuerIdentifier":"https://sts.windows.net/` + realm + `/"}`
	}
	list := func(items ...string) string { return "[" + strings.Join(items, ",") + "]" }
	good := evo("EvoSts - "+p.TenantID, p.TenantID)
	for _, c := range []struct {
		payload string
		status  Status
		pitfall string
	}{
		{list(acsOnly(p.TenantID), good), StatusPass, ""},
		{list(acsOnly("fabrikam.onmicrosoft.com"), good), StatusFail, "hcw-overwrote-windowsazureacs"},
		{list(acsIssuer(p.TenantID, "00000001-0000-0000-c000-00000000000"), good), StatusFail, "hcw-overwrote-windowsazureacs"},
		{"[]", StatusFail, "hcw8064-oauth-portion-failed"},
		{list(acsOnly(p.TenantID)), StatusWarn, "cehya-no-evosts-auth-server"},
		{list(acsOnly(p.TenantID), good, evo("EvoSTS", p.TenantID)), StatusFail, "evosts-auth-server-duplicate"},
		{list(acsOnly(p.TenantID), evo("EvoSTS", "11111111-2222-3333-4444-555555555555")), StatusFail, "cehya-no-evosts-auth-server"},
		{list(acsOnly(p.TenantID), good, evo("EvoSTS", "contoso.onmicrosoft.com")), StatusFail, "cehya-no-evosts-auth-server"},
		// Another tenant's EvoSTS beside this one's is a multi-tenant organization, not a duplicate.
		{list(acsOnly(p.TenantID), good, evo("EvoSts - 11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555")), StatusPass, ""},
	} {
		ex := newFake("exch01", rule{contains: "Get-AuthServer", res: jsonOut(c.payload)})
		r := run(t, checkExAuthServer, psEnv(p, ex, nil))
		if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) {
			t.Errorf("%s: %s %v %s", c.payload, r.Status, r.Pitfalls, r.Summary)
		}
	}
}

func TestPlanNeedsAShellPerSide(t *testing.T) {
	kb := loadKB(t)
	p := labProfile()
	shells := map[string]shell.Shell{SideSfB: newFake("fe01")}
	plan, err := NewPlan(kb, p, PlanOptions{Credentials: true, Shells: shells, Only: []string{"powershell"}})
	if err != nil {
		t.Fatal(err)
	}
	planned := map[string]bool{}
	for _, c := range plan.Checks {
		planned[c.Spec.ID] = true
	}
	need := map[string]bool{}
	for _, id := range plan.NeedCredentials {
		need[id] = true
	}
	for _, id := range []string{"ps.sfb.oauthconfig", "ps.sfb.partnerapp", "ps.sfb.oauthcert", "ps.sfb.exstorage"} {
		if !planned[id] {
			t.Errorf("%s not planned with an sfb shell", id)
		}
	}
	for _, id := range []string{"ps.exchange.partnerapp", "ps.exchange.authconfig", "ps.cross.trust"} {
		if !need[id] || planned[id] {
			t.Errorf("%s should wait for an exchange shell (planned %t)", id, planned[id])
		}
	}
	if len(plan.NotImplemented) != 0 {
		t.Errorf("not implemented: %v", plan.NotImplemented)
	}
	plan, _ = NewPlan(kb, p, PlanOptions{Shells: shells, Only: []string{"powershell"}})
	if len(plan.Checks) != 0 {
		t.Errorf("without Credentials nothing credentialed may run: %d planned", len(plan.Checks))
	}
}
