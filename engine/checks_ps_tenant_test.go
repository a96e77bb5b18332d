package engine

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/lab"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// testCert makes a throwaway certificate and returns its DER and thumbprint.
func testCert(t testing.TB, notAfter time.Time) ([]byte, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "contoso.lab"},
		NotBefore: notAfter.AddDate(-2, 0, 0), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(der)
	return der, strings.ToUpper(hex.EncodeToString(sum[:]))
}

// msolKey is one Get-MsolServicePrincipalCredential object as 5.1 writes it.
func msolKey(id, value string, end time.Time) string {
	return fmt.Sprintf(`{"KeyId":%q,"Type":"Asymmetric","Usage":"Verify","StartDate":%s,"EndDate":%s,"Value":%q}`,
		id, msDate(end.AddDate(-1, 0, 0)), msDate(end), value)
}

// tenantEnv is an Env for topology with a tenant shell and the metadata
// thumbprint the check compares with.
func tenantEnv(topology, thumb string, sh shell.Shell) *Env {
	p := &profile.Profile{Topology: topology, Domain: "contoso.lab", TenantID: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
		Exchange: profile.Exchange{FQDN: "exch01.contoso.lab"}}
	if topology == profile.TopologyHybrid {
		p.SfB.Pool = "pool01.contoso.lab"
	}
	fact := "metadata.sfb"
	if topology == profile.TopologySfBOnline {
		fact = "metadata.exchange"
	}
	return &Env{Profile: p.Effective(), Shells: map[string]shell.Shell{SideTenant: sh},
		deps: map[string]Result{fact: {Status: StatusPass, Facts: map[string]string{FactThumbprint: thumb}}}}
}

// perApp answers the MSOnline query per application id with a list of keys.
func perApp(keys map[string][]string) *fakeShell {
	var rules []rule
	for app, ks := range keys {
		rules = append(rules, rule{contains: "$appId = '" + app + "'", res: jsonOut("[" + strings.Join(ks, ",") + "]")})
	}
	return newFake("admin01 (tenant)", rules...)
}

func TestTenantKeyCredentials(t *testing.T) {
	future := time.Now().AddDate(1, 0, 0)
	der, thumb := testCert(t, future)
	oldDER, _ := testCert(t, time.Now().AddDate(0, 0, -3))
	good := base64.StdEncoding.EncodeToString(der)
	// The DER bytes read as text: every invalid sequence became U+FFFD.
	broken := base64.StdEncoding.EncodeToString([]byte(strings.ToValidUTF8(string(der), "\uFFFD")))
	_, expiredThumb := testCert(t, time.Now().AddDate(0, 0, -1))
	cases := []struct {
		name, topology, want string
		keys                 map[string][]string
		status               Status
		pitfall              string
	}{
		{"hybrid both hold it", profile.TopologyHybrid, thumb,
			map[string][]string{AppIDSfB: {msolKey("k4", good, future)}, AppIDExchange: {msolKey("k2", good, future)}}, StatusPass, ""},
		{"second upload missing", profile.TopologyHybrid, thumb,
			map[string][]string{AppIDSfB: {msolKey("k4", good, future)}, AppIDExchange: nil}, StatusFail, "spn-credential-exchange-missing"},
		{"DER uploaded as text", profile.TopologyHybrid, thumb,
			map[string][]string{AppIDSfB: {msolKey("bad", broken, future)}, AppIDExchange: {msolKey("bad", broken, future)}}, StatusFail, "cert-der-not-base64"},
		{"not Base64 at all", profile.TopologyHybrid, thumb,
			map[string][]string{AppIDSfB: {msolKey("k4", good, future)}, AppIDExchange: {msolKey("bad", "MIIC*binary*", future)}}, StatusFail, "cert-der-not-base64"},
		{"only an old certificate", profile.TopologyHybrid, thumb,
			map[string][]string{AppIDSfB: {msolKey("k4", good, future)}, AppIDExchange: {msolKey("old", base64.StdEncoding.EncodeToString(oldDER), future)}},
			StatusFail, "spn-credential-exchange-missing"},
		{"neither holds the current certificate", profile.TopologyHybrid, expiredThumb,
			map[string][]string{AppIDSfB: {msolKey("k4", good, future)}, AppIDExchange: {msolKey("k2", good, future)}}, StatusFail, ""},
		{"teams principals hold it", profile.TopologySfBOnline, thumb, map[string][]string{AppIDSfB: {msolKey("a", good, future)},
			AppIDTeamsScheduler: {msolKey("b", good, future)}, AppIDCloudVoicemail: {msolKey("c", good, future)}}, StatusPass, ""},
		{"voicemail lacks the renewed cert", profile.TopologySfBOnline, thumb, map[string][]string{AppIDSfB: {msolKey("a", good, future)},
			AppIDTeamsScheduler: {msolKey("b", good, future)}, AppIDCloudVoicemail: nil}, StatusFail, "auth-cert-renewed-hybrid-not-republished"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := tenantEnv(tc.topology, tc.want, perApp(tc.keys))
			r := checkTenantKeyCredentials(context.Background(), env)
			if r.Status != tc.status {
				t.Fatalf("status %s, want %s: %s %v", r.Status, tc.status, r.Summary, r.Evidence)
			}
			if tc.pitfall != "" && !slices.Contains(r.Pitfalls, tc.pitfall) {
				t.Fatalf("pitfalls %v, want %s: %s", r.Pitfalls, tc.pitfall, r.Summary)
			}
			if tc.status == StatusPass && len(r.Pitfalls) != 0 {
				t.Fatalf("a pass names pitfalls %v", r.Pitfalls)
			}
		})
	}
}

// An expired copy of the signing certificate names the certificate's own
// expiry pitfall: renewing it is the fix, not another upload.
func TestTenantExpiredKeyNamesTheExpiry(t *testing.T) {
	past := time.Now().AddDate(0, 0, -2)
	der, thumb := testCert(t, past)
	v := base64.StdEncoding.EncodeToString(der)
	env := tenantEnv(profile.TopologyHybrid, thumb, perApp(map[string][]string{AppIDSfB: {msolKey("k4", v, past)}, AppIDExchange: {msolKey("k2", v, past)}}))
	r := checkTenantKeyCredentials(context.Background(), env)
	if r.Status != StatusFail || !slices.Contains(r.Pitfalls, "sfb-oauth-cert-expired") || !strings.Contains(r.Summary, "expired") {
		t.Fatalf("%s %v: %s", r.Status, r.Pitfalls, r.Summary)
	}
}

// Without MSOnline (retired) the check reads Graph, whose keys carry the
// certificate hash as Base64 (PowerShell 7) or a list of numbers (5.1).
func TestTenantKeyCredentialsThroughGraph(t *testing.T) {
	der, thumb := testCert(t, time.Now().AddDate(1, 0, 0))
	sum := sha1.Sum(der)
	var nums []string
	for _, b := range sum {
		nums = append(nums, fmt.Sprint(b))
	}
	for name, ident := range map[string]string{
		"base64":  `"` + base64.StdEncoding.EncodeToString(sum[:]) + `"`,
		"numbers": "[" + strings.Join(nums, ",") + "]",
		"hex":     `"` + thumb + `"`,
	} {
		t.Run(name, func(t *testing.T) {
			key := fmt.Sprintf(`{"KeyId":"g1","CustomKeyIdentifier":%s,"StartDateTime":%s,"EndDateTime":%s,"Type":"AsymmetricX509Cert","Usage":"Verify","Key":null}`,
				ident, msDate(time.Now()), msDate(time.Now().AddDate(1, 0, 0)))
			sh := newFake("graph", rule{contains: "Get-MgServicePrincipal -Filter $filter", res: jsonOut(key)})
			r := checkTenantKeyCredentials(context.Background(), tenantEnv(profile.TopologyHybrid, thumb, sh))
			if r.Status != StatusPass {
				t.Fatalf("%s: %s %v", r.Status, r.Summary, r.Evidence)
			}
			if n := len(sh.scripts()); n != 4 { // MSOnline refused, then Graph, per principal
				t.Fatalf("%d scripts ran, want 4", n)
			}
		})
	}
}

func TestTenantKeyCredentialsErrors(t *testing.T) {
	denied := newFake("t", rule{contains: "Get-MsolServicePrincipalCredential", res: psErr("Access Denied. You do not have permissions to call this cmdlet.", "Microsoft.Online.Administration.Automation.AccessDeniedException")})
	r := checkTenantKeyCredentials(context.Background(), tenantEnv(profile.TopologyHybrid, "AB", denied))
	if r.Status != StatusError || !strings.Contains(r.Summary, "Access Denied") {
		t.Fatalf("%s: %s", r.Status, r.Summary)
	}
	missing := newFake("t", rule{contains: "Get-MsolServicePrincipalCredential", res: psErr("Service principal was not found.", "ObjectNotFound")})
	r = checkTenantKeyCredentials(context.Background(), tenantEnv(profile.TopologyHybrid, "AB", missing))
	if r.Status != StatusFail || !strings.Contains(r.Summary, "no service principal") {
		t.Fatalf("%s: %s", r.Status, r.Summary)
	}
	nothing := perApp(map[string][]string{AppIDSfB: nil, AppIDExchange: nil})
	r = checkTenantKeyCredentials(context.Background(), tenantEnv(profile.TopologyHybrid, "", nothing))
	if r.Status != StatusWarn || !strings.Contains(r.Summary, "no thumbprint") {
		t.Fatalf("without a thumbprint to compare: %s %s", r.Status, r.Summary)
	}
	if got := CheckSides("ps.tenant.keycredentials"); !slices.Equal(got, []string{SideTenant}) {
		t.Fatalf("CheckSides = %v", got)
	}
}

// tenantLabRun runs the metadata checks and the tenant check against a
// lab scenario, with the lab's tenant shell of the given kind.
func tenantLabRun(t *testing.T, scenario, kind string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l, err := lab.Start(ctx, scenario)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	e := l.Env()
	p := &profile.Profile{Topology: e.Topology, Domain: e.Domain, TenantID: e.TenantID, TenantDomain: e.TenantDomain,
		TestSipURI: e.TestSipURI, DomainController: e.DomainController,
		Exchange: profile.Exchange{FQDN: e.ExchangeFQDN, Autodiscover: e.Autodiscover, MetadataURL: e.ExchangeMetadataURL, EWSURL: e.EWSURL},
		SfB:      profile.SfB{Pool: e.SfBPool, WebExternal: e.SfBWebExternal, MetadataURL: e.SfBMetadataURL},
		DNS:      profile.DNS{Server: e.DNSServer}}
	plan, err := NewPlan(loadKB(t), p, PlanOptions{Credentials: true, Shells: map[string]shell.Shell{SideTenant: l.Shell(kind)},
		Only: []string{"dns", "metadata", "ps.tenant.keycredentials"}})
	if err != nil {
		t.Fatal(err)
	}
	plan.Net.RootCAs = e.RootCAs
	for r := range Run(ctx, plan, RunOptions{}) {
		if r.ID == "ps.tenant.keycredentials" {
			return r
		}
	}
	t.Fatal("ps.tenant.keycredentials did not run")
	return Result{}
}

func TestTenantKeyCredentialsInTheLab(t *testing.T) {
	cases := []struct {
		scenario, kind string
		status         Status
		pitfall        string
	}{
		{"healthy-hybrid", "msonline", StatusPass, ""},
		{"healthy-hybrid", "graph", StatusPass, ""},
		{"healthy-sfbonline", "msonline", StatusPass, ""},
		{"hybrid-second-credential-missing", "msonline", StatusFail, "spn-credential-exchange-missing"},
		{"hybrid-second-credential-missing", "graph", StatusFail, "spn-credential-exchange-missing"},
		{"der-upload", "msonline", StatusFail, "cert-der-not-base64"},
	}
	for _, tc := range cases {
		t.Run(tc.scenario+"/"+tc.kind, func(t *testing.T) {
			r := tenantLabRun(t, tc.scenario, tc.kind)
			if r.Status != tc.status || (tc.pitfall != "" && !slices.Contains(r.Pitfalls, tc.pitfall)) {
				t.Fatalf("%s %v: %s %v", r.Status, r.Pitfalls, r.Summary, r.Evidence)
			}
		})
	}
}

// FuzzTenantKeyValue: any uploaded value is classified without panicking,
// and a value is identified as a certificate only when it parses as one.
func FuzzTenantKeyValue(f *testing.F) {
	der, _ := testCert(f, time.Now().AddDate(1, 0, 0))
	f.Add(base64.StdEncoding.EncodeToString(der))
	f.Add(base64.StdEncoding.EncodeToString([]byte(strings.ToValidUTF8(string(der), "\uFFFD"))))
	f.Add("not base64!")
	f.Add("")
	f.Add("  TUlJ\r\n  Q0Nj  ")
	f.Fuzz(func(t *testing.T, v string) {
		k := keyFromValue(v)
		if k.thumb != "" && (k.notCert || k.notBase64) {
			t.Fatalf("%q identified and broken at once: %+v", v, k)
		}
		if k.thumb != "" {
			raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v), ""))
			if _, perr := x509.ParseCertificate(raw); err != nil || perr != nil {
				t.Fatalf("%q identified as %s but is no certificate", v, k.thumb)
			}
		}
		_, _ = psBytes(v)
	})
}
