package engine

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTLSChecks(t *testing.T) {
	w := newWorld(t)
	n := time.Now()
	day := 24 * time.Hour
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	tests := []struct {
		name     string
		host     string
		cert     func(host string) tls.Certificate
		insecure bool
		status   Status
		summary  string
	}{
		{"valid", "ta.contoso.lab", func(h string) tls.Certificate { return w.cert(h, n.Add(-day), n.Add(300*day), false) },
			false, StatusPass, "is trusted, covers the name"},
		{"expires in 12 days", "tb.contoso.lab", func(h string) tls.Certificate { return w.cert(h, n.Add(-day), n.Add(12*day), false) },
			false, StatusWarn, "expires on"},
		{"expired", "tc.contoso.lab", func(h string) tls.Certificate { return w.cert(h, n.Add(-300*day), n.Add(-2*day), false) },
			false, StatusFail, "expired on"},
		{"self-signed", "td.contoso.lab", func(h string) tls.Certificate { return w.cert(h, n.Add(-day), n.Add(300*day), true) },
			false, StatusFail, "self-signed"},
		{"self-signed with verification off", "te.contoso.lab", func(h string) tls.Certificate { return w.cert(h, n.Add(-day), n.Add(300*day), true) },
			true, StatusWarn, "verification is off"},
		{"wrong name", "tf.contoso.lab", func(string) tls.Certificate { return w.cert("other.contoso.lab", n.Add(-day), n.Add(300*day), false) },
			false, StatusFail, "does not cover tf.contoso.lab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cert(tt.host)
			base := w.serve(tt.host, &c, ok)
			u, _ := url.Parse(base)
			env := w.env(labProfile(), u.Host)
			env.Net.Insecure = tt.insecure
			r := run(t, checkTLS, env)
			if r.Status != tt.status || !strings.Contains(r.Summary, tt.summary) {
				t.Fatalf("got %s %q, want %s containing %q\nevidence %v", r.Status, r.Summary, tt.status, tt.summary, r.Evidence)
			}
			if strings.Count(r.Summary, ";") > 0 {
				t.Errorf("one fault, one finding: %q", r.Summary)
			}
			if tt.status != StatusPass && !hasPitfall(r, "metadata-tls-untrusted") {
				t.Errorf("pitfalls %v", r.Pitfalls)
			}
			if evidence(r, "thumbprint") == "" || !strings.Contains(evidence(r, "not after"), "20") {
				t.Errorf("certificate evidence missing: %v", r.Evidence)
			}
		})
	}
}

func TestTLSNothingListening(t *testing.T) {
	w := newWorld(t)
	w.setA("closed.contoso.lab", "127.0.0.1")
	r := run(t, checkTLS, w.env(labProfile(), "closed.contoso.lab:1"))
	if r.Status != StatusError || !strings.Contains(r.Summary, "refused") {
		t.Fatalf("got %s %q", r.Status, r.Summary)
	}
}
