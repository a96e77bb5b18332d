package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/lab"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// labRun starts a lab scenario and runs the metadata and powershell groups
// against it with the lab's shells.
func labRun(t *testing.T, scenario string) map[string]Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l, err := lab.Start(ctx, scenario)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	e := l.Env()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), e.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	p := &profile.Profile{Topology: e.Topology, Domain: e.Domain, TenantID: e.TenantID, TenantDomain: e.TenantDomain,
		TestSipURI: e.TestSipURI, DomainController: e.DomainController,
		Exchange: profile.Exchange{FQDN: e.ExchangeFQDN, Autodiscover: e.Autodiscover, MetadataURL: e.ExchangeMetadataURL, EWSURL: e.EWSURL},
		SfB:      profile.SfB{Pool: e.SfBPool, WebExternal: e.SfBWebExternal, MetadataURL: e.SfBMetadataURL},
		TLS:      profile.TLS{CAFile: "ca.pem"}, DNS: profile.DNS{Server: e.DNSServer}}
	p.SetDir(dir)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	shells := map[string]shell.Shell{SideExchange: l.Shell("ems"), SideSfB: l.Shell("sfbms"), SideTenant: l.Shell("msonline")}
	plan, err := NewPlan(loadKB(t), p, PlanOptions{Credentials: true, Shells: shells, Only: []string{"metadata", "powershell"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.NeedCredentials) != 0 || len(plan.NotImplemented) != 0 {
		t.Fatalf("need credentials %v, not implemented %v", plan.NeedCredentials, plan.NotImplemented)
	}
	out := map[string]Result{}
	for r := range Run(ctx, plan, RunOptions{}) {
		out[r.ID] = r
	}
	return out
}

func TestLabHealthyPassesCredentialedChecks(t *testing.T) {
	for _, sc := range []string{"healthy", "healthy-sfbonline", "healthy-hybrid"} {
		t.Run(sc, func(t *testing.T) {
			res := labRun(t, sc)
			n := 0
			for id, r := range res {
				if r.Group != "powershell" {
					continue
				}
				n++
				if r.Status != StatusPass {
					t.Errorf("%s: %s %s %v", id, r.Status, r.Summary, r.Evidence)
				}
			}
			if n < 3 {
				t.Fatalf("only %d credentialed checks ran", n)
			}
		})
	}
}

func TestLabBrokenScenariosNameTheirPitfalls(t *testing.T) {
	cases := []struct{ scenario, check, pitfall string }{
		{"jason-url", "ps.exchange.partnerapp", "metadata-url-jason"},
		{"ews-oauth-off", "ps.exchange.vdir-oauth", "oauth-disabled-on-vdir"},
		{"oauth-cert-mismatch", "ps.sfb.oauthcert", "sfb-oauth-cert-mismatch-frontends"},
		{"appid-short", "ps.sfb.oauthconfig", "appid-missing-zero"},
		{"realm-mismatch", "ps.sfb.oauthconfig", "realm-mismatch"},
		{"auth-cert-expired", "ps.exchange.authconfig", "exchange-auth-cert-expired"},
		{"ews-oauth-off", "ps.sfb.exstorage", "exstorage-401-oauth-not-accepted"},
	}
	for _, c := range cases {
		t.Run(c.scenario+"/"+c.check, func(t *testing.T) {
			r := labRun(t, c.scenario)[c.check]
			if r.Status != StatusFail || !hasPitfall(r, c.pitfall) {
				t.Fatalf("%s: %s %v %s", c.check, r.Status, r.Pitfalls, r.Summary)
			}
			if len(r.Fix.Commands) == 0 {
				t.Errorf("no fix commands for %v", r.Pitfalls)
			}
		})
	}
}
