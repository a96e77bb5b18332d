package engine

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine/profile"
)

// labWorld serves a whole on-premises deployment on loopback: autodiscover
// (metadata, EWS and autodiscover.svc on one server) and the pool, with
// sfbRealm as the realm the pool states.
func labWorld(t *testing.T, sfbRealm string) (*world, string) {
	w := newWorld(t)
	n := time.Now()
	exCert := w.cert("Microsoft Exchange Server Auth Certificate", n.Add(-time.Hour), n.AddDate(3, 0, 0), true)
	sfbCert := w.cert("OAuthTokenIssuer", n.Add(-time.Hour), n.AddDate(2, 0, 0), true)
	exMux := http.NewServeMux()
	exMux.Handle("/autodiscover/metadata/json/1", serveBody("application/json", 200, metadataDoc(t, AppIDExchange, "contoso.lab", exCert)))
	exMux.Handle("/", challenge(401, bearerHeader(AppIDSfB+"@contoso.lab", ""), [2]string{"WWW-Authenticate", "Negotiate"}))
	exBase := w.serve("autodiscover.contoso.lab", nil, exMux)
	poolBase := w.serve("pool01.contoso.lab", nil, serveBody("application/json", 200, metadataDoc(t, AppIDSfB, sfbRealm, sfbCert)))
	w.setA("lyncdiscover.contoso.lab", "127.0.0.1")
	w.setA("lyncdiscoverinternal.contoso.lab", "127.0.0.1")

	dir := t.TempDir()
	caFile := filepath.Join(dir, "lab-ca.pem")
	if err := os.WriteFile(caFile, w.ca.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	yaml := "name: lab\ntopology: onprem\ndomain: contoso.lab\n" +
		"exchange:\n  fqdn: exch01.contoso.lab\n  autodiscover: autodiscover.contoso.lab\n  metadata_url: " + exBase + "/autodiscover/metadata/json/1\n" +
		"sfb:\n  pool: pool01.contoso.lab\n  metadata_url: " + poolBase + "/metadata/json/1\n" +
		"tls:\n  ca_file: lab-ca.pem\n" +
		"dns:\n  server: " + w.dns + "\n"
	path := filepath.Join(dir, "profile.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return w, path
}

func runLab(t *testing.T, path string) Report {
	t.Helper()
	p, err := loadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := NewPlan(loadKB(t), p, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.NotImplemented) != 0 {
		t.Errorf("zero-credential checks without implementation: %v", plan.NotImplemented)
	}
	return Collect(context.Background(), plan, RunOptions{CheckTimeout: 5 * time.Second})
}

func TestLabHealthy(t *testing.T) {
	_, path := labWorld(t, "contoso.lab")
	rep := runLab(t, path)
	for _, c := range rep.Checks {
		if c.Status != StatusPass {
			t.Errorf("%s: %s %q %v", c.ID, c.Status, c.Summary, c.Evidence)
		}
	}
	if rep.Summary.Pass != 10 || ExitCode(rep.Summary) != 0 {
		t.Errorf("summary %+v", rep.Summary)
	}
}

func TestLabRealmMismatch(t *testing.T) {
	_, path := labWorld(t, "pool01.contoso.lab")
	rep := runLab(t, path)
	byID := map[string]Result{}
	for _, c := range rep.Checks {
		byID[c.ID] = c
	}
	if r := byID["metadata.sfb"]; r.Status != StatusWarn {
		t.Errorf("metadata.sfb %s %q", r.Status, r.Summary)
	}
	r := byID["metadata.realm"]
	if r.Status != StatusFail || !hasPitfall(r, "realm-mismatch") || r.Fix.Text == "" {
		t.Fatalf("metadata.realm %s %q pitfalls %v fix %+v", r.Status, r.Summary, r.Pitfalls, r.Fix)
	}
	for _, cmd := range r.Fix.Commands {
		if strings.Contains(cmd.Text, "{{") {
			t.Errorf("unrendered fix command %q", cmd.Text)
		}
	}
	if ExitCode(rep.Summary) != 2 {
		t.Errorf("exit code %d for %+v", ExitCode(rep.Summary), rep.Summary)
	}
	if md := allReports(t, rep)["markdown"]; !strings.Contains(md, "## ✗ FAIL: Both sides agree on the realm") {
		t.Errorf("markdown report:\n%s", md)
	}
}

func TestLabPoolDown(t *testing.T) {
	w, path := labWorld(t, "contoso.lab")
	w.mu.Lock()
	delete(w.a, "pool01.contoso.lab")
	w.mu.Unlock()
	rep := runLab(t, path)
	for _, c := range rep.Checks {
		switch c.ID {
		case "dns.pool":
			if c.Status != StatusFail {
				t.Errorf("dns.pool %s", c.Status)
			}
		case "tls.pool", "metadata.sfb":
			if c.Status != StatusSkipped || !strings.HasPrefix(c.Summary, "skipped: dns.pool failed: no such host pool01.contoso.lab") {
				t.Errorf("%s: %s %q", c.ID, c.Status, c.Summary)
			}
		case "metadata.realm":
			if c.Status != StatusSkipped || !strings.Contains(c.Summary, "metadata.sfb was skipped") {
				t.Errorf("%s: %s %q", c.ID, c.Status, c.Summary)
			}
		}
	}
}

func loadProfile(path string) (*profile.Profile, error) {
	p, err := profile.Load(path)
	if err != nil {
		return nil, err
	}
	return p, p.Validate()
}
