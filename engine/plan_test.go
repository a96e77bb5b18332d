package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/shell"
)

func loadKB(t testing.TB) *knowledge.Base {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatalf("loading the knowledge base: %v", err)
	}
	return kb
}

func onpremProfile() *profile.Profile {
	return &profile.Profile{
		Topology: "onprem", Domain: "contoso.com",
		Exchange: profile.Exchange{FQDN: "exch01.contoso.com"},
		SfB:      profile.SfB{Pool: "pool01.contoso.com"},
	}
}

func passCheck(context.Context, *Env) Result { return Result{Status: StatusPass} }

// registryOf implements the given ids with a passing check.
func registryOf(ids ...string) *Registry {
	r := NewRegistry()
	for _, id := range ids {
		r.Register(id, passCheck)
	}
	return r
}

func planIDs(p *Plan) []string {
	var ids []string
	for _, c := range p.Checks {
		ids = append(ids, c.Spec.ID)
	}
	return ids
}

func TestPlanSelection(t *testing.T) {
	kb := loadKB(t)
	zero := []string{"dns.autodiscover", "dns.pool", "dns.lyncdiscover", "tls.autodiscover", "tls.pool",
		"metadata.exchange", "metadata.sfb", "metadata.realm", "bearer.ews", "bearer.autodiscover"}
	tests := []struct {
		name      string
		topology  string
		opts      PlanOptions
		impl      []string
		want      []string
		notImpl   []string
		needCreds bool
	}{
		{"onprem all zero-credential", "onprem", PlanOptions{}, zero, zero, nil, true},
		{"hybrid drops onprem-only realm check", "hybrid", PlanOptions{}, zero,
			[]string{"dns.autodiscover", "dns.pool", "dns.lyncdiscover", "tls.autodiscover", "tls.pool",
				"metadata.exchange", "metadata.sfb", "bearer.ews", "bearer.autodiscover"}, nil, true},
		{"sfbonline drops the pool checks and lyncdiscover (no pool on premises)", "sfbonline", PlanOptions{}, zero,
			[]string{"dns.autodiscover", "tls.autodiscover", "metadata.exchange", "bearer.ews", "bearer.autodiscover"}, nil, true},
		{"only a group", "onprem", PlanOptions{Only: []string{"dns"}}, zero,
			[]string{"dns.autodiscover", "dns.pool", "dns.lyncdiscover"}, nil, false},
		{"only an id and a group", "onprem", PlanOptions{Only: []string{"tls", "bearer.ews"}}, zero,
			[]string{"tls.autodiscover", "tls.pool", "bearer.ews"}, nil, false},
		{"unimplemented are listed, not planned", "onprem", PlanOptions{Only: []string{"dns"}}, []string{"dns.pool"},
			[]string{"dns.pool"}, []string{"dns.autodiscover", "dns.lyncdiscover"}, false},
		// With an Exchange shell only, the Skype for Business checks still
		// wait for credentials.
		{"credentials bring powershell checks in", "onprem", PlanOptions{Credentials: true, Only: []string{"powershell"},
			Shells: map[string]shell.Shell{SideExchange: newFake("exch01")}},
			[]string{"ps.exchange.partnerapp"}, []string{"ps.exchange.partnerapp"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := onpremProfile()
			p.Topology = tt.topology
			tt.opts.Registry = registryOf(tt.impl...)
			plan, err := NewPlan(kb, p, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := planIDs(plan); !slices.Equal(got, tt.want) {
				t.Errorf("planned %v\nwant    %v", got, tt.want)
			}
			if tt.notImpl != nil && !slices.Equal(plan.NotImplemented, tt.notImpl) {
				t.Errorf("not implemented %v, want %v", plan.NotImplemented, tt.notImpl)
			}
			if tt.needCreds != (len(plan.NeedCredentials) > 0) {
				t.Errorf("need credentials = %v", plan.NeedCredentials)
			}
			for _, c := range plan.Checks {
				if c.Spec.Credentials && !tt.opts.Credentials {
					t.Errorf("credentialed check %s planned without credentials", c.Spec.ID)
				}
			}
		})
	}
}

func TestPlanTargetsAndDependencies(t *testing.T) {
	kb := loadKB(t)
	p := onpremProfile()
	p.SfB.MetadataURL = "https://pool01.contoso.com:4443/metadata/json/1"
	plan, err := NewPlan(kb, p, PlanOptions{Registry: registryOf("dns.pool", "tls.pool", "metadata.sfb", "bearer.autodiscover", "metadata.realm", "metadata.exchange")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"dns.pool":            "pool01.contoso.com",
		"tls.pool":            "pool01.contoso.com:4443",
		"metadata.sfb":        "https://pool01.contoso.com:4443/metadata/json/1",
		"metadata.exchange":   "https://autodiscover.contoso.com/autodiscover/metadata/json/1",
		"bearer.autodiscover": "https://autodiscover.contoso.com/autodiscover/autodiscover.svc",
		"metadata.realm":      "contoso.com",
	}
	deps := map[string][]string{}
	for _, c := range plan.Checks {
		if c.Target != want[c.Spec.ID] {
			t.Errorf("%s target %q, want %q", c.Spec.ID, c.Target, want[c.Spec.ID])
		}
		deps[c.Spec.ID] = append(append([]string{}, c.DependsOn...), c.GatedBy...)
	}
	// dns.autodiscover is not planned, so checks depending on it lose that edge.
	if !slices.Equal(deps["tls.pool"], []string{"dns.pool"}) || len(deps["metadata.exchange"]) != 0 ||
		!slices.Equal(deps["metadata.realm"], []string{"metadata.exchange", "metadata.sfb"}) {
		t.Errorf("dependencies %v", deps)
	}
}

func TestPlanErrors(t *testing.T) {
	kb := loadKB(t)
	_, err := NewPlan(kb, onpremProfile(), PlanOptions{Only: []string{"dnss"}})
	if err == nil || !strings.Contains(err.Error(), `"dnss"`) || !strings.Contains(err.Error(), "dns") {
		t.Fatalf("a typo in --only must name it and list the groups: %v", err)
	}
	p := onpremProfile()
	p.TLS.CAFile = "/nonexistent/ca.pem"
	if _, err := NewPlan(kb, p, PlanOptions{}); err == nil || !strings.Contains(err.Error(), "tls.ca_file") {
		t.Fatalf("an unreadable CA file must fail the plan naming tls.ca_file: %v", err)
	}
}

// Every id in the Builtins table names a check the knowledge base
// specifies, and every specified check has code: a typo in the table would
// otherwise leave a check silently "not implemented".
func TestBuiltinsMatchTheKnowledgeBase(t *testing.T) {
	kb := loadKB(t)
	builtins := Builtins()
	for id, fn := range builtins {
		if kb.Check(id) == nil || fn == nil {
			t.Errorf("Builtins has %q, which the knowledge base does not specify (or a nil function)", id)
		}
	}
	for _, spec := range kb.Checks {
		if _, ok := builtins[spec.ID]; !ok {
			t.Errorf("the knowledge base specifies %q but Builtins has no implementation", spec.ID)
		}
	}
}
