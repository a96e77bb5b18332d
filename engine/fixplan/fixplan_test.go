package fixplan

import (
	"slices"
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/knowledge"
)

func fixKB(t *testing.T) *knowledge.Base {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

func reportOf(results ...engine.Result) engine.Report { return engine.Report{Checks: results} }

func res(id string, st engine.Status, pitfalls ...string) engine.Result {
	return engine.Result{ID: id, Status: st, Pitfalls: pitfalls}
}

var fixVars = knowledge.Vars{Domain: "contoso.lab", ExchangeServer: "exch01", ExchangeFQDN: "exch01.contoso.lab",
	Autodiscover: "autodiscover.contoso.lab", SfBPool: "pool01.contoso.lab", SfBMetadataURL: "https://pool01.contoso.lab/metadata/json/1",
	ExchangeMetadataURL: "https://autodiscover.contoso.lab/autodiscover/metadata/json/1", TestSipURI: "sip:alice@contoso.lab"}

func allShells(kinds ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range kinds {
		m[k] = true
	}
	return m
}

func pitfallsRun(p Round) []string {
	var ids []string
	for _, c := range p.Run {
		if !slices.Contains(ids, c.Pitfall) {
			ids = append(ids, c.Pitfall)
		}
	}
	return ids
}

// A configuration check's diagnosis is fixed before the guesses of the
// end-to-end probes; a passing check's pitfalls are never touched.
func TestPlanLabFixesCausesBeforeGuesses(t *testing.T) {
	onprem := allShells("ems", "sfbms", "cmd", "dns", "pki")
	r := reportOf(
		res("bearer.ews", engine.StatusFail, "iisreset-missing", "partner-app-disabled"),
		res("ps.exchange.partnerapp", engine.StatusFail, "metadata-url-jason"),
		res("ps.sfb.exstorage", engine.StatusFail, "exstorage-401-oauth-not-accepted"),
		res("ps.sfb.oauthconfig", engine.StatusPass, "appid-missing-zero"),
	)
	p := Plan(fixKB(t), r, "onprem", fixVars, onprem)
	if got := pitfallsRun(p); !slices.Equal(got, []string{"metadata-url-jason"}) {
		t.Fatalf("ran the fixes of %v, want only metadata-url-jason", got)
	}
	// Only guesses left: one at a time, the narrowest pitfall first.
	r = reportOf(
		res("bearer.ews", engine.StatusFail, "iisreset-missing", "partner-app-disabled"),
		res("ps.sfb.exstorage", engine.StatusFail, "exstorage-401-oauth-not-accepted"),
	)
	p = Plan(fixKB(t), r, "onprem", fixVars, onprem)
	if got := pitfallsRun(p); !slices.Equal(got, []string{"iisreset-missing"}) {
		t.Fatalf("guessed %v, want iisreset-missing alone", got)
	}
	if p := Plan(fixKB(t), reportOf(res("bearer.ews", engine.StatusPass)), "onprem", fixVars, onprem); len(p.Run) != 0 {
		t.Fatalf("a passing report planned %v", p.Run)
	}
}

// Only commands that change something run, plus the read-only lines that
// build what they use; diagnostics and the verification after the last
// change are left to the checks.
func TestPlanLabFixesKeepsPreparationDropsDiagnostics(t *testing.T) {
	hybrid := allShells("sfbms", "ems", "graph", "msonline", "sfbonline", "cmd", "dns", "pki")
	r := reportOf(res("ps.tenant.keycredentials", engine.StatusFail, "spn-credential-exchange-missing"))
	p := Plan(fixKB(t), r, "hybrid", fixVars, hybrid)
	// The fix is one Graph script that reads the keys it keeps; the
	// read-only listings around it and the retired MSOnline form are left out.
	if len(p.Run) != 1 || !strings.Contains(p.Run[0].Text, "Update-MgServicePrincipal -ServicePrincipalId $id -KeyCredentials $keys") ||
		!strings.Contains(p.Run[0].Text, "appId eq '00000002-0000-0ff1-ce00-000000000000'") {
		t.Fatalf("planned %+v", p.Run)
	}
	if p.Run[0].Shell != "graph" {
		t.Fatalf("%s ran in %s", p.Run[0].Text, p.Run[0].Shell)
	}
}

// A pitfall of another topology, a shell the lab lacks and a command with
// a placeholder are left out, each with a note saying why.
func TestPlanLabFixesSkipsWhatDoesNotApply(t *testing.T) {
	kb := fixKB(t)
	hybrid := allShells("sfbms", "ems", "graph", "msonline", "sfbonline", "cmd", "dns", "pki")
	p := Plan(kb, reportOf(res("ps.sfb.exstorage", engine.StatusFail, "exstorage-401-oauth-not-accepted")), "hybrid", fixVars, hybrid)
	if len(p.Run) != 0 || len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "applies to onprem") {
		t.Fatalf("run %v notes %v", p.Run, p.Notes)
	}
	p = Plan(kb, reportOf(res("ps.sfb.exstorage", engine.StatusFail, "exstorage-code5-rtcuniversaluseradmins")), "onprem", fixVars, allShells("ems", "sfbms", "cmd", "dns", "pki"))
	for _, c := range p.Run {
		if strings.Contains(c.Text, "<") {
			t.Fatalf("ran a command with a placeholder: %s", c.Text)
		}
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "only a person knows") }) {
		t.Fatalf("no note about the placeholder: %v", p.Notes)
	}
	p = Plan(kb, reportOf(res("ps.tenant.keycredentials", engine.StatusFail, "spn-credential-exchange-missing")), "hybrid", fixVars, allShells("msonline"))
	if len(p.Run) != 0 {
		t.Fatalf("without a graph shell it still planned %v", p.Run)
	}
	if p = Plan(kb, reportOf(res("x", engine.StatusFail, "no-such-pitfall")), "onprem", fixVars, hybrid); len(p.Notes) != 1 {
		t.Fatalf("unknown pitfall: %v", p.Notes)
	}
}
