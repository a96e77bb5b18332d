package engine

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/metadata"
)

// inflight counts requests being served at once, and the most seen.
type inflight struct {
	mu       sync.Mutex
	now, max int
}

func (f *inflight) enter() {
	f.mu.Lock()
	f.now++
	f.max = max(f.max, f.now)
	f.mu.Unlock()
}

func (f *inflight) leave() { f.mu.Lock(); f.now--; f.mu.Unlock() }

// Without PowerShell the fleet checks read the servers the profile lists,
// over HTTPS only: each Exchange server's own Bearer challenge and clock,
// each Front End's metadata document. No more than connections servers
// are read at once.
func TestExchangeFleetWithoutPowerShell(t *testing.T) {
	w := newWorld(t)
	var fl inflight
	p := labProfile()
	p.Exchange.Connections = 2
	for i := 1; i <= 5; i++ {
		name := fmt.Sprintf("exch%02d.contoso.lab", i)
		bearerOn, skew := i != 3, time.Duration(0)
		if i == 2 {
			skew = 10 * time.Minute
		}
		base := w.serve(name, nil, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			fl.enter()
			defer fl.leave()
			rw.Header().Set("Date", time.Now().Add(skew).UTC().Format(http.TimeFormat))
			if bearerOn {
				rw.Header().Add("WWW-Authenticate", `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000004-0000-0ff1-ce00-000000000000@contoso.lab"`)
			}
			rw.Header().Add("WWW-Authenticate", "Negotiate")
			rw.WriteHeader(http.StatusUnauthorized)
		}))
		u, _ := url.Parse(base)
		p.Exchange.Servers = append(p.Exchange.Servers, u.Host)
	}
	r := run(t, checkExchangeFleet, w.env(p, p.Domain))
	if r.Status != StatusFail || len(r.Servers) != 5 {
		t.Fatalf("status %s, %d servers: %s", r.Status, len(r.Servers), r.Summary)
	}
	if !strings.Contains(r.Summary, "exch02, exch03") {
		t.Errorf("summary should name exch02 and exch03: %s", r.Summary)
	}
	for _, s := range r.Servers {
		bearer, clock, cert := settingValue(s, SetBearer), settingValue(s, SetClock), settingValue(s, SetAuthCert)
		if cert != notRead {
			t.Errorf("%s: auth cert %q without PowerShell", s.Target, cert)
		}
		switch s.Target {
		case "exch02.contoso.lab":
			if clock != "+10m0s" || !hasPitfall(s, "clock-skew") || s.Status != StatusFail {
				t.Errorf("exch02: clock %q %v %s", clock, s.Pitfalls, s.Status)
			}
		case "exch03.contoso.lab":
			if bearer != "not offered" || !hasPitfall(s, "oauth-disabled-on-vdir") {
				t.Errorf("exch03: Bearer %q %v", bearer, s.Pitfalls)
			}
		default:
			if s.Status != StatusPass || bearer != "offered" || clock != "in step" {
				t.Errorf("%s: %s %q %q %s", s.Target, s.Status, bearer, clock, s.Summary)
			}
		}
	}
	if fl.max > 2 {
		t.Errorf("%d servers were read at once; the profile allows 2", fl.max)
	}
	if !hasPitfall(r, "clock-skew") || !hasPitfall(r, "oauth-disabled-on-vdir") {
		t.Errorf("the fleet result should carry its servers' pitfalls: %v", r.Pitfalls)
	}
}

func TestSfBFleetWithoutPowerShell(t *testing.T) {
	w := newWorld(t)
	p := labProfile()
	pool := w.cert("pool01.contoso.lab", time.Now().Add(-time.Hour), time.Now().AddDate(0, 0, 20), false)
	other := w.cert("contoso.lab", time.Now().Add(-time.Hour), time.Now().AddDate(2, 0, 0), false)
	for i := 1; i <= 4; i++ {
		name := fmt.Sprintf("fe%02d.contoso.lab", i)
		signing := pool
		if i == 3 {
			signing = other
		}
		base := w.serve(name, nil, serveBody("application/json", http.StatusOK, metadataDoc(t, AppIDSfB, "contoso.lab", signing)))
		u, _ := url.Parse(base)
		p.SfB.Servers = append(p.SfB.Servers, u.Host)
	}
	r := run(t, checkSfBFleet, w.env(p, p.Domain))
	if len(r.Servers) != 4 || !strings.Contains(r.Summary, "fe03") {
		t.Fatalf("%d servers: %s", len(r.Servers), r.Summary)
	}
	poolThumb := metadata.Thumbprint(pool.Certificate[0])
	for _, s := range r.Servers {
		days := settingValue(s, SetIssuerDays)
		if s.Target == "fe03.contoso.lab" {
			if s.Status != StatusFail || !hasPitfall(s, "sfb-oauth-cert-mismatch-frontends") || !strings.Contains(s.Summary, poolThumb) {
				t.Errorf("fe03 should fail as signing with another certificate: %s %s", s.Status, s.Summary)
			}
			continue
		}
		// 20 days left: warn, from the document's certificate.
		if s.Status != StatusWarn || days != "19" && days != "20" || len(s.Metrics) != 1 || s.Metrics[0].Name != MetricOAuthCertDays {
			t.Errorf("%s: %s days %q metrics %v: %s", s.Target, s.Status, days, s.Metrics, s.Summary)
		}
	}
}
