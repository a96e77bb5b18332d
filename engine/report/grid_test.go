package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/engine"
)

func fleetResult() engine.Result {
	row := func(name string, st engine.Status, cert string, certSt engine.Status) engine.Result {
		return engine.Result{ID: "fleet.exchange", Target: name, Status: st, Settings: []engine.Setting{
			{Name: "auth cert", Value: cert, Status: certSt}, {Name: "EWS OAuth", Value: "on", Status: engine.StatusPass}}}
	}
	servers := []engine.Result{
		row("exch01.contoso.com", engine.StatusPass, "AAAA1111", engine.StatusPass),
		row("exch07.contoso.com", engine.StatusFail, "missing", engine.StatusFail),
		row("exch12.contoso.com", engine.StatusPass, "AAAA1111", engine.StatusPass),
	}
	return engine.Result{ID: "fleet.exchange", Group: "fleet", Status: engine.StatusFail, Summary: "1 of 3 Exchange servers need attention: exch07", Servers: servers}
}

func TestTextAndMarkdownGrid(t *testing.T) {
	r := engine.Report{Profile: "p", Topology: "onprem", Checks: []engine.Result{fleetResult()}}
	r.Summary = engine.Summarize(r.Checks)
	var b bytes.Buffer
	if err := WriteTextWith(&b, r, TextOptions{ASCII: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"servers x settings (* differs from most servers):", "server    auth cert    EWS OAuth",
		"x exch07  x missing *  + on", "+ exch01  + AAAA1111   + on"} {
		if !strings.Contains(out, want) {
			t.Errorf("text grid lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"| server | auth cert | EWS OAuth |", "| ✗ exch07 | ✗ missing ◆ | ✓ on |", "| ✓ exch12 | ✓ AAAA1111 | ✓ on |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown grid lacks %q:\n%s", want, md)
		}
	}
}

// JSON keeps the per-server results, each named by its target.
func TestJSONPerServer(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, engine.Report{Checks: []engine.Result{fleetResult()}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"target": "exch07.contoso.com"`) || !strings.Contains(b.String(), `"settings": [`) {
		t.Errorf("JSON lacks the per-server results:\n%s", b.String())
	}
}
