package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
)

// On a fleet check's row, g opens the servers × settings grid over the
// Checks screen; / filters there (not the global search), esc closes it.
func TestChecksOpensFleetGrid(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	reg := engine.NewRegistry()
	reg.Register("fleet.exchange", func(context.Context, *engine.Env) engine.Result {
		var servers []engine.Result
		for i := 1; i <= 5; i++ {
			cert, st := "AB12CD34", engine.StatusPass
			if i == 4 {
				cert, st = "missing", engine.StatusFail
			}
			servers = append(servers, engine.Result{Target: fmt.Sprintf("exch%02d.contoso.com", i), Status: st, Summary: "s",
				Settings: []engine.Setting{{Name: engine.SetAuthCert, Value: cert, Status: st}}})
		}
		return engine.Result{Status: engine.StatusFail, Summary: "1 of 5 Exchange servers need attention: exch04", Servers: servers}
	})
	o := checksOptions(t, reg, engine.RunOptions{})
	o.Base = kb
	o.Checks.Plan = func(_ context.Context, p *profile.Profile) (*engine.Plan, error) {
		return engine.NewPlan(kb, p, engine.PlanOptions{Registry: reg, Fleet: true, Only: []string{"fleet.exchange"}})
	}
	a := newAsyncDriver(t, o, 100, 30)
	a.key("C")
	a.pumpUntil("the run", a.runOver)
	a.settle()
	if v := a.m.View(); !strings.Contains(v, "g: 5 servers side by side") {
		t.Fatalf("the evidence should offer the grid:\n%s", v)
	}
	a.key("g")
	v := a.m.View()
	if !strings.Contains(v, "✗ missing ◆") || !strings.Contains(v, "exch05") {
		t.Fatalf("grid not shown:\n%s", v)
	}
	a.key("/")
	for _, r := range "exch04" {
		a.key(string(r))
	}
	if a.m.current() != screenChecks {
		t.Fatalf("/ in the grid left the Checks screen")
	}
	v = a.m.View()
	if strings.Contains(v, "exch05") || !strings.Contains(v, "exch04") {
		t.Fatalf("filter not applied:\n%s", v)
	}
	a.key("enter")
	a.key("esc")
	a.key("esc")
	if a.checks().grid != nil {
		t.Error("esc, esc should clear the filter and close the grid")
	}
}
