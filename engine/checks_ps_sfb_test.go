package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/shell"
)

func TestSfBOAuthConfig(t *testing.T) {
	cfg := func(svc, realm, ad string) string {
		return fmt.Sprintf(`{"Identity":"Global","ServiceName":"%s","Realm":"%s","ExchangeAutodiscoverUrl":"%s","ClientAuthorizationOAuthServerIdentity":""}`, svc, realm, ad)
	}
	svc := "https://autodiscover.contoso.lab/autodiscover/autodiscover.svc"
	for _, c := range []struct {
		payload string
		status  Status
		pitfall string
	}{
		{cfg(AppIDSfB, "contoso.lab", svc), StatusPass, ""},
		{cfg(AppIDSfB, "", svc), StatusPass, ""}, // empty realm = the default; noted, not failed
		{cfg("00000004-0000-0ff1-ce00-00000000000", "contoso.lab", svc), StatusFail, "appid-missing-zero"},
		{cfg("", "contoso.lab", svc), StatusFail, "servicename-not-set"},
		{cfg(AppIDSfB, "corp.contoso.lab", svc), StatusFail, "realm-mismatch"},
		{cfg(AppIDSfB, "contoso.lab", "https://autodiscover.contoso.lab/autodiscover/autodiscover.xml"), StatusFail, "autodiscover-url-xml-not-svc"},
	} {
		sfb := newFake("fe01", rule{contains: "Get-CsOAuthConfiguration", res: jsonOut(c.payload)})
		r := run(t, checkSfBOAuthConfig, psEnv(labProfile(), nil, sfb))
		if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) {
			t.Errorf("%s: %s %v %s", c.payload, r.Status, r.Pitfalls, r.Summary)
		}
		if strings.Contains(c.payload, `"Realm":""`) && !strings.Contains(evidence(r, "Realm"), "default") {
			t.Errorf("an empty realm is not explained: %q", evidence(r, "Realm"))
		}
	}
}

func TestSfBPartnerApp(t *testing.T) {
	app := func(id, appID, trust string) string {
		return fmt.Sprintf(`{"Identity":"%s","ApplicationIdentifier":"%s","ApplicationTrustLevel":%s,"Enabled":true,"AuthToken":"MetadataUrl=https://autodiscover.contoso.lab/autodiscover/metadata/json/1"}`, id, appID, trust)
	}
	for _, c := range []struct {
		name, payload string
		extra         []rule
		status        Status
		pitfall       string
	}{
		{"full", app("microsoft.exchange", AppIDExchange, `"Full"`), nil, StatusPass, ""},
		{"user", app("microsoft.exchange", AppIDExchange, `"User"`), nil, StatusFail, "sfb-partnerapp-trust-level-not-full"},
		// 5.1 writes the enum as a number: the check asks PowerShell.
		{"numeric full", app("microsoft.exchange", AppIDExchange, `2`), []rule{{contains: "-eq 'Full'", res: jsonOut(`"microsoft.exchange"`)}}, StatusPass, ""},
		{"numeric other", app("microsoft.exchange", AppIDExchange, `0`), []rule{{contains: "-eq 'Full'", res: jsonOut(`[]`)}}, StatusFail, "sfb-partnerapp-trust-level-not-full"},
		{"wrong id", app("microsoft.exchange", "00000002-0000-0ff1-ce00-00000000000", `"Full"`), nil, StatusFail, "sfb-partnerapp-wrong-appid"},
		{"missing", "[]", nil, StatusFail, "new-cspartnerapp-metadata-download-failed"},
	} {
		rules := append(c.extra, rule{contains: "Get-CsPartnerApplication", res: jsonOut(c.payload)})
		sfb := newFake("fe01", rules...)
		r := run(t, checkSfBPartnerApp, psEnv(labProfile(), nil, sfb))
		if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) {
			t.Errorf("%s: %s %v %s", c.name, r.Status, r.Pitfalls, r.Summary)
		}
	}
}

func TestSfBOAuthServer(t *testing.T) {
	p := labProfile()
	p.Topology, p.TenantID = "hybrid", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	srv := func(url string) string { return `[{"Identity":"microsoft.sts","MetadataUrl":"` + url + `"}]` }
	for _, c := range []struct {
		payload string
		status  Status
		pitfall string
	}{
		{srv("https://accounts.accesscontrol.windows.net/" + p.TenantID + "/metadata/json/1"), StatusPass, ""},
		{srv("https://sts.office365.microsoft.com/metadata/json/1"), StatusFail, "oauth-server-sts-wrong-url"},
		{srv("https://accounts.accesscontrol.windows.net/00000000-1111-2222-3333-444444444444/metadata/json/1"), StatusFail, "oauth-server-sts-wrong-url"},
		{"[]", StatusFail, "stale-client-authorization-oauth-server-identity"},
	} {
		r := run(t, checkSfBOAuthServer, psEnv(p, nil, newFake("fe01", rule{contains: "Get-CsOAuthServer", res: jsonOut(c.payload)})))
		if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) {
			t.Errorf("%s: %s %v %s", c.payload, r.Status, r.Pitfalls, r.Summary)
		}
	}
}

func csCert(thumb string, notAfter time.Time, bits string) string {
	return fmt.Sprintf(`{"Use":14,"Thumbprint":"%s","Subject":"CN=contoso.lab","NotBefore":%s,"NotAfter":%s,"KeySize":%s}`, thumb, msDate(notAfter.AddDate(-2, 0, 0)), msDate(notAfter), bits)
}

func TestSfBOAuthCert(t *testing.T) {
	good := time.Now().AddDate(2, 0, 0)
	pool := rule{contains: "Get-CsPool", res: jsonOut(`["fe01.contoso.lab","fe02.contoso.lab"]`)}
	fe := func(name, thumb string) rule {
		return rule{contains: "$fe = '" + name + "'", res: jsonOut(`{"Thumbprint":"` + thumb + `","PSComputerName":"` + name + `"}`)}
	}
	for _, c := range []struct {
		name    string
		rules   []rule
		status  Status
		pitfall string
	}{
		{"same everywhere", []rule{pool, fe("fe01.contoso.lab", thumbA), fe("fe02.contoso.lab", thumbA), {contains: "Get-CsCertificate", res: jsonOut(csCert(thumbA, good, "2048"))}}, StatusPass, ""},
		{"fe02 differs", []rule{pool, fe("fe01.contoso.lab", thumbA), fe("fe02.contoso.lab", thumbB), {contains: "Get-CsCertificate", res: jsonOut(csCert(thumbA, good, "2048"))}}, StatusFail, "sfb-oauth-cert-mismatch-frontends"},
		{"weak", []rule{pool, fe("fe01.contoso.lab", thumbA), fe("fe02.contoso.lab", thumbA), {contains: "Get-CsCertificate", res: jsonOut(csCert(thumbA, good, "1024"))}}, StatusFail, "sfb-oauth-cert-weak-or-subject"},
		{"expired", []rule{pool, fe("fe01.contoso.lab", thumbA), fe("fe02.contoso.lab", thumbA), {contains: "Get-CsCertificate", res: jsonOut(csCert(thumbA, time.Now().AddDate(0, 0, -1), "2048"))}}, StatusFail, "sfb-oauth-cert-expired"},
		{"none", []rule{{contains: "Get-CsCertificate", res: jsonOut("[]")}}, StatusFail, "sfb-oauth-cert-weak-or-subject"},
		{"fe02 unreachable", []rule{pool, fe("fe01.contoso.lab", thumbA), {contains: "$fe = 'fe02", res: psErr("WinRM cannot process the request", "PSSessionStateBroken")}, {contains: "Get-CsCertificate", res: jsonOut(csCert(thumbA, good, "2048"))}}, StatusWarn, ""},
	} {
		sfb := newFake("fe01", c.rules...)
		r := run(t, checkSfBOAuthCert, psEnv(labProfile(), nil, sfb))
		if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) {
			t.Errorf("%s: %s %v %s", c.name, r.Status, r.Pitfalls, r.Summary)
		}
	}
	// With a HostShell the other Front Ends are asked directly.
	sfb := newFake("fe01", pool, rule{contains: "Get-CsCertificate", res: jsonOut(csCert(thumbA, good, "2048"))})
	env := psEnv(labProfile(), nil, sfb)
	var opened []string
	env.HostShell = func(_ context.Context, side, host string) (shell.Shell, error) {
		opened = append(opened, side+":"+host)
		return newFake(host, rule{contains: "Get-CsCertificate", res: jsonOut(csCert(thumbB, good, "2048"))}), nil
	}
	r := run(t, checkSfBOAuthCert, env)
	if len(opened) != 2 || !hasPitfall(r, "sfb-oauth-cert-mismatch-frontends") {
		t.Fatalf("HostShell: opened %v, %s %v", opened, r.Status, r.Pitfalls)
	}
}

func TestCrossTrust(t *testing.T) {
	res := func(facts map[string]string) Result { return Result{Status: StatusPass, Facts: facts} }
	deps := func(exMeta, sfbMeta, sfbRealm string) map[string]Result {
		return map[string]Result{
			"metadata.exchange":      res(map[string]string{FactThumbprint: thumbA, FactRealm: "contoso.lab"}),
			"metadata.sfb":           res(map[string]string{FactThumbprint: sfbMeta, FactRealm: sfbRealm}),
			"ps.exchange.authconfig": res(map[string]string{FactThumbprint: exMeta}),
			"ps.sfb.oauthcert":       res(map[string]string{FactThumbprint: thumbB}),
		}
	}
	for _, c := range []struct {
		deps    map[string]Result
		status  Status
		pitfall string
	}{
		{deps(thumbA, thumbB, "contoso.lab"), StatusPass, ""},
		{deps(thumbB, thumbB, "contoso.lab"), StatusFail, ""},
		{deps(thumbA, thumbA, "contoso.lab"), StatusFail, "sfb-oauth-cert-mismatch-frontends"},
		{deps(thumbA, thumbB, "corp.contoso.lab"), StatusFail, "realm-mismatch"},
	} {
		env := psEnv(labProfile(), newFake("ex"), newFake("fe"))
		env.deps = c.deps
		r := run(t, checkCrossTrust, env)
		if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) {
			t.Errorf("%s %v %s", r.Status, r.Pitfalls, r.Summary)
		}
	}
	r := run(t, checkCrossTrust, psEnv(labProfile(), nil, nil))
	if r.Status != StatusSkipped || !strings.Contains(r.Summary, "metadata.exchange") {
		t.Fatalf("without dependencies: %s %s", r.Status, r.Summary)
	}
}

func TestExStorage(t *testing.T) {
	verbose := func(lines ...string) shell.Result {
		return shell.Result{Stdout: "VERBOSE: " + strings.Join(lines, "\r\nVERBOSE: ") + "\r\n"}
	}
	for _, c := range []struct {
		name    string
		res     shell.Result
		status  Status
		pitfall string
	}{
		{"passed", verbose("Is command successful: True", "Test passed."), StatusPass, ""},
		{"code 5", verbose("ExCreateItem exchange operations failed, code=5"), StatusFail, "exstorage-code5-rtcuniversaluseradmins"},
		{"401", verbose("The request failed with HTTP status 401: Unauthorized."), StatusFail, "exstorage-401-oauth-not-accepted"},
		{"574", verbose("error code 574: Client found response content type of '', but expected 'text/xml'."), StatusFail, "exstorage-574-content-type"},
		{"bad user", shell.Result{ExitCode: 1, Stderr: "Test-CsExStorageConnectivity : User \"sip:alice@contoso.lab\" is not a user with both a mailbox and Skype for Business.\r\n    + FullyQualifiedErrorId : UserNotFound"}, StatusFail, "test-user-not-valid"},
	} {
		sfb := newFake("fe01", rule{contains: "Test-CsExStorageConnectivity", res: c.res})
		r := run(t, checkExStorage, psEnv(labProfile(), nil, sfb))
		if r.Status != c.status || (c.pitfall != "" && !hasPitfall(r, c.pitfall)) || (c.pitfall == "" && len(r.Pitfalls) > 0) {
			t.Errorf("%s: %s %v %s", c.name, r.Status, r.Pitfalls, r.Summary)
		}
		for _, s := range sfb.scripts() {
			if !strings.Contains(s, "$sipUri = 'sip:alice@contoso.lab'") || !strings.Contains(s, "-SipUri $sipUri -Verbose") {
				t.Errorf("the SIP URI is not passed as data:\n%s", s)
			}
		}
	}
}
