package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestDNSChecks(t *testing.T) {
	w := newWorld(t)
	w.setA("autodiscover.contoso.lab", "10.0.0.5")
	w.setA("pool01.contoso.lab", "10.0.0.7")
	w.setA("lyncdiscover.contoso.lab", "10.0.0.8")
	w.setCNAME("autodiscover.fabrikam.lab", "autodiscover.outlook.com")
	w.setA("autodiscover.outlook.com", "52.0.0.1")
	p := labProfile()

	tests := []struct {
		name     string
		fn       CheckFunc
		target   string
		edit     func()
		status   Status
		summary  string
		pitfall  string
		evidence string
	}{
		{"autodiscover resolves", checkDNSAutodiscover, "autodiscover.contoso.lab", nil, StatusPass, "resolves to 10.0.0.5", "", "10.0.0.5"},
		{"autodiscover missing names the RTM pitfall", checkDNSAutodiscover, "autodiscover.contoso.lab",
			func() { w.mu.Lock(); delete(w.a, "autodiscover.contoso.lab"); w.mu.Unlock() },
			StatusFail, "no such host", "sfb2015-rtm-autodiscover-hardcoded", ""},
		{"autodiscover at office 365 with exchange on premises", checkDNSAutodiscover, "autodiscover.fabrikam.lab", nil,
			StatusWarn, "points at Office 365", "autodiscover-external-points-o365", "autodiscover.outlook.com"},
		{"pool resolves", checkDNSPool, "pool01.contoso.lab", nil, StatusPass, "pool01.contoso.lab resolves to 10.0.0.7", "", ""},
		{"pool missing", checkDNSPool, "pool02.contoso.lab", nil, StatusFail, "no such host pool02.contoso.lab", "new-cspartnerapp-metadata-download-failed", ""},
		{"lyncdiscoverinternal missing is a warning", checkDNSLyncdiscover, "lyncdiscover.contoso.lab", nil,
			StatusWarn, "lyncdiscoverinternal.contoso.lab does not resolve", "feature-not-supported-in-topology", ""},
		{"both lyncdiscover names", checkDNSLyncdiscover, "lyncdiscover.contoso.lab",
			func() { w.setA("lyncdiscoverinternal.contoso.lab", "10.0.0.9") }, StatusPass, "resolve", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.edit != nil {
				tt.edit()
			}
			r := run(t, tt.fn, w.env(p, tt.target))
			if r.Status != tt.status || !strings.Contains(r.Summary, tt.summary) {
				t.Fatalf("got %s %q, want %s containing %q\n%+v", r.Status, r.Summary, tt.status, tt.summary, r.Evidence)
			}
			if tt.pitfall != "" && !hasPitfall(r, tt.pitfall) {
				t.Errorf("pitfalls %v lack %s", r.Pitfalls, tt.pitfall)
			}
			if tt.evidence != "" {
				var all []string
				for _, e := range r.Evidence {
					all = append(all, e.Value)
				}
				if !strings.Contains(strings.Join(all, "|"), tt.evidence) {
					t.Errorf("evidence %v lacks %q", r.Evidence, tt.evidence)
				}
			}
		})
	}
}

func TestDNSServerSilentIsError(t *testing.T) {
	w := newWorld(t)
	w.mu.Lock()
	w.silent["pool01.contoso.lab"] = true
	w.mu.Unlock()
	env := w.env(labProfile(), "pool01.contoso.lab")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	r := checkDNSPool(ctx, env)
	if r.Status != StatusError {
		t.Fatalf("a DNS server that never answers gives no verdict: %s %q", r.Status, r.Summary)
	}
}
