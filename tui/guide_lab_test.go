package tui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/execute"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/verify"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// labGuideOptions wires the Guide to a running lab the way main is meant
// to: checks planned against the lab (its resolver, its CA, its
// PowerShell), commands run through engine/execute in the lab's shells.
func labGuideOptions(t *testing.T, l *lab.Lab, kb *knowledge.Base, scenario, dir string) Options {
	t.Helper()
	e := l.Env()
	p := &profile.Profile{Name: "lab: " + scenario, Topology: e.Topology, Domain: e.Domain, TenantID: e.TenantID,
		TenantDomain: e.TenantDomain, TestSipURI: e.TestSipURI, DomainController: e.DomainController,
		Exchange: profile.Exchange{FQDN: e.ExchangeFQDN, Autodiscover: e.Autodiscover, MetadataURL: e.ExchangeMetadataURL, EWSURL: e.EWSURL},
		SfB:      profile.SfB{Pool: e.SfBPool, WebExternal: e.SfBWebExternal, MetadataURL: e.SfBMetadataURL},
		DNS:      profile.DNS{Server: e.DNSServer}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	shells := map[string]shell.Shell{}
	for _, k := range l.Shells() {
		shells[k] = l.Shell(k) // one session per kind: variables persist like a console
	}
	shells[execute.SideExchange], shells[execute.SideSfB] = shells["ems"], shells["sfbms"]
	vars := knowledge.Vars{Domain: e.Domain, TenantID: e.TenantID, TenantDomain: e.TenantDomain,
		ExchangeFQDN: e.ExchangeFQDN, ExchangeServer: e.ExchangeServer, Autodiscover: e.Autodiscover,
		ExchangeMetadataURL: e.ExchangeMetadataURL, AutodiscoverSvcURL: e.AutodiscoverSvcURL, EWSURL: e.EWSURL,
		SfBPool: e.SfBPool, SfBWebExternal: e.SfBWebExternal, SfBMetadataURL: e.SfBMetadataURL,
		TestSipURI: e.TestSipURI, DomainController: e.DomainController}
	src := &CheckSource{Label: "lab " + scenario, Plan: func(context.Context, *profile.Profile) (*engine.Plan, error) {
		plan, err := engine.NewPlan(kb, p, engine.PlanOptions{Credentials: true,
			Shells: map[string]shell.Shell{engine.SideExchange: shells["ems"], engine.SideSfB: shells["sfbms"]}})
		if err != nil {
			return nil, err
		}
		plan.Net.RootCAs = e.RootCAs
		return plan, nil
	}}
	return Options{
		Base: kb, Vars: vars, Theme: "dark", Output: io.Discard, EnvLabel: "lab: " + scenario, Profile: p,
		Clipboard: &TerminalClipboard{Out: &bytes.Buffer{}, Getenv: func(string) string { return "" }, GOOS: "linux"},
		Checks:    src,
		Guide: &GuideSource{Topology: e.Topology, ProgressKey: "lab:" + scenario, ProgressDir: dir,
			Runner: ExecuteRunner("the lab", execute.Targets{Shells: shells}), User: "trainee"},
	}
}

// TestGuideOnLabFixesIISReset walks the real on-premises procedure on the
// no-iisreset lab: the IIS step's verification fails and names the
// pitfall, the step's own command (run through engine/execute, confirmed
// with the server's name) fixes the lab, and the verification passes.
func TestGuideOnLabFixesIISReset(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l, err := lab.Start(ctx, "no-iisreset")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	topo := kb.Topology("onprem")
	iis := -1
	for i, st := range topo.Steps {
		if st.ID == "onprem-exchange-iisreset" {
			iis = i
		}
	}
	if iis < 0 {
		t.Skip("the embedded base has no onprem-exchange-iisreset step")
	}
	o := labGuideOptions(t, l, kb, "no-iisreset", t.TempDir())
	d := &driver{t: t, m: newModel(o, resolveOutput(o, false)), clip: &bytes.Buffer{}}
	d.m.expire = func(int) tea.Cmd { return nil }
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	g := d.m.screens[screenGuide].(*guide)

	d.key("w")
	d.key("enter")
	d.key("v") // step 1 is healthy in this scenario: its credentialed check passes in the lab
	if v := g.state(topo.Steps[0].ID).verdict; v != verify.Passed {
		t.Fatalf("step 1 verdict %d, results %+v, unavailable %v", v, g.state(topo.Steps[0].ID).results, g.state(topo.Steps[0].ID).unavailable)
	}
	for i := 0; i < iis; i++ {
		d.key("n")
	}
	d.mustShow("Restart IIS on the Exchange servers")
	d.key("v")
	ss := g.state("onprem-exchange-iisreset")
	if ss.verdict != verify.Failed || !contains(ss.pitfalls, "iisreset-missing") {
		t.Fatalf("verdict %d pitfalls %v", ss.verdict, ss.pitfalls)
	}
	d.mustShow("What is probably wrong", kb.Pitfall("iisreset-missing").Title[:30])
	d.key("1") // the step's own iisreset
	d.key("x")
	d.mustShow("Runs on exch01.", "iisreset exch01 /noforce", "Type exch01 to run it")
	d.typeText("exch01")
	d.key("enter")
	if ss.last == nil || ss.last.err != nil || ss.last.out.ExitCode != 0 {
		t.Fatalf("iisreset in the lab: %+v", ss.last)
	}
	d.key("v")
	if ss.verdict != verify.Passed {
		t.Fatalf("after iisreset: verdict %d, results %+v", ss.verdict, ss.results)
	}
	if _, done := g.topoProgress().IsDone("onprem-exchange-iisreset"); !done {
		t.Fatal("the step is not recorded done")
	}
	if !strings.Contains(d.screen(), "Result: ✓ verified") {
		t.Errorf("screen after the passing verification:\n%s", d.screen())
	}
}
