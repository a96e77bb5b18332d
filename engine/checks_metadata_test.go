package engine

import (
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// metadataDoc builds a metadata document in the shape Exchange and SfB are
// expected to serve, signed by the given certificates.
func metadataDoc(t *testing.T, serviceName, realm string, certs ...tls.Certificate) []byte {
	t.Helper()
	var keys []map[string]any
	for _, c := range certs {
		keys = append(keys, map[string]any{"usage": "signing",
			"keyvalue": map[string]any{"type": "x509Certificate", "value": base64.StdEncoding.EncodeToString(c.Certificate[0])}})
	}
	doc, err := json.Marshal(map[string]any{"id": "_1", "version": "1.0", "realm": realm, "serviceName": serviceName,
		"issuer": serviceName + "@" + realm, "keys": keys})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func serveBody(contentType string, status int, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		w.Write(body)
	})
}

func TestMetadataChecks(t *testing.T) {
	w := newWorld(t)
	day := 24 * time.Hour
	n := time.Now()
	valid := w.cert("Microsoft Exchange Server Auth Certificate", n.Add(-day), n.Add(400*day), true)
	soon := w.cert("OAuthTokenIssuer", n.Add(-day), n.Add(20*day), true)
	expired := w.cert("Microsoft Exchange Server Auth Certificate", n.Add(-800*day), n.Add(-3*day), true)
	signin := []byte(`<!DOCTYPE html><html><head><title>Sign In</title></head><body><form method="post" action="/adfs/ls/"><input type="password" name="Password"></form></body></html>`)
	exchange := metadataCheck(metadataSide{product: "Exchange", appID: AppIDExchange, expiredPitfall: "exchange-auth-cert-expired"})
	sfb := metadataCheck(metadataSide{product: "Skype for Business", appID: AppIDSfB, expiredPitfall: "sfb-oauth-cert-expired"})

	tests := []struct {
		name    string
		check   CheckFunc
		handler http.Handler
		path    string
		status  Status
		summary string
		pitfall string
		realm   string // published fact
	}{
		{"exchange healthy", exchange, serveBody("application/json", 200, metadataDoc(t, AppIDExchange, "contoso.lab", valid)),
			"/autodiscover/metadata/json/1", StatusPass, "serviceName " + AppIDExchange, "", "contoso.lab"},
		{"sfb signing cert close to expiry", sfb, serveBody("application/json", 200, metadataDoc(t, AppIDSfB, "contoso.lab", soon)),
			"/metadata/json/1", StatusWarn, "expires on", "sfb-oauth-cert-expired", "contoso.lab"},
		{"exchange auth cert expired", exchange, serveBody("application/json", 200, metadataDoc(t, AppIDExchange, "contoso.lab", expired)),
			"/autodiscover/metadata/json/1", StatusFail, "expired on", "exchange-auth-cert-expired", "contoso.lab"},
		{"expired beside a valid key warns", exchange, serveBody("application/json", 200, metadataDoc(t, AppIDExchange, "contoso.lab", expired, valid)),
			"/autodiscover/metadata/json/1", StatusWarn, "still published", "", "contoso.lab"},
		{"wrong service name", exchange, serveBody("application/json", 200, metadataDoc(t, AppIDSfB, "contoso.lab", valid)),
			"/autodiscover/metadata/json/1", StatusFail, "not Exchange's " + AppIDExchange, "", "contoso.lab"},
		{"realm is not the domain", sfb, serveBody("application/json", 200, metadataDoc(t, AppIDSfB, "corp.contoso.lab", valid)),
			"/metadata/json/1", StatusWarn, "realm is corp.contoso.lab", "realm-mismatch", "corp.contoso.lab"},
		{"sign-in page", exchange, serveBody("text/html", 200, signin),
			"/autodiscover/metadata/json/1", StatusFail, "sign-in page", "metadata-html-signin-page", ""},
		{"IIS 404", sfb, serveBody("text/html", 404, []byte("<html><head><title>404 - File or directory not found.</title></head><body>Server Error</body></html>")),
			"/metadata/json/1", StatusFail, "instead of a metadata document", "new-cspartnerapp-metadata-download-failed", ""},
		{"jason in the URL", sfb, serveBody("application/json", 200, nil),
			"/metadata/jason/1", StatusFail, `says "jason"`, "metadata-url-jason", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := "md" + string(rune('a'+i)) + ".contoso.lab"
			base := w.serve(host, nil, tt.handler)
			r := run(t, tt.check, w.env(labProfile(), base+tt.path))
			if r.Status != tt.status || !strings.Contains(r.Summary, tt.summary) {
				t.Fatalf("got %s %q, want %s containing %q\nevidence %v", r.Status, r.Summary, tt.status, tt.summary, r.Evidence)
			}
			if tt.pitfall != "" && !hasPitfall(r, tt.pitfall) {
				t.Errorf("pitfalls %v lack %s", r.Pitfalls, tt.pitfall)
			}
			if got := r.Facts[FactRealm]; got != tt.realm {
				t.Errorf("realm fact %q, want %q", got, tt.realm)
			}
			if tt.realm != "" && (evidence(r, "signing cert thumbprint") == "" && evidence(r, "key 1 thumbprint") == "") {
				t.Errorf("no certificate evidence: %v", r.Evidence)
			}
		})
	}
}

func TestMetadataUntrustedTLS(t *testing.T) {
	w := newWorld(t)
	n := time.Now()
	self := w.cert("pool01.contoso.lab", n.Add(-time.Hour), n.Add(time.Hour*24*365), true)
	base := w.serve("pool01.contoso.lab", &self, serveBody("application/json", 200, nil))
	check := metadataCheck(metadataSide{product: "Skype for Business", appID: AppIDSfB})
	r := run(t, check, w.env(labProfile(), base+"/metadata/json/1"))
	if r.Status != StatusFail || !hasPitfall(r, "metadata-tls-untrusted") {
		t.Fatalf("self-signed pool certificate: %s %q %v", r.Status, r.Summary, r.Pitfalls)
	}
}

func TestMetadataRealm(t *testing.T) {
	tests := []struct {
		name, ex, sfb string
		status        Status
		summary       string
	}{
		{"agree", "contoso.lab", "CONTOSO.lab", StatusPass, "both sides state realm contoso.lab"},
		{"differ", "contoso.lab", "pool01.contoso.lab", StatusFail, "Skype for Business states pool01.contoso.lab"},
		{"agree but not the domain", "fabrikam.lab", "fabrikam.lab", StatusFail, "profile's domain is contoso.lab"},
		{"missing", "", "contoso.lab", StatusFail, "states no realm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &Env{Profile: labProfile().Effective(), deps: map[string]Result{
				"metadata.exchange": {Status: StatusPass, Facts: map[string]string{FactRealm: tt.ex}},
				"metadata.sfb":      {Status: StatusWarn, Facts: map[string]string{FactRealm: tt.sfb}},
			}}
			r := run(t, checkMetadataRealm, env)
			if r.Status != tt.status || !strings.Contains(r.Summary, tt.summary) {
				t.Fatalf("got %s %q", r.Status, r.Summary)
			}
			if tt.status == StatusFail && !hasPitfall(r, "realm-mismatch") {
				t.Errorf("pitfalls %v", r.Pitfalls)
			}
		})
	}
	r := run(t, checkMetadataRealm, &Env{Profile: labProfile().Effective()})
	if r.Status != StatusSkipped {
		t.Errorf("without the metadata results: %s", r.Status)
	}
}

func TestNearMiss(t *testing.T) {
	for _, tc := range []struct {
		got  string
		want bool
	}{
		{"00000004-0000-0ff1-ce00-00000000000", true},   // one zero short
		{"00000004-000-0ff1-ce00-000000000000", true},   // a group short
		{"00000004-0000-0ffl-ce00-000000000000", true},  // letter l for digit 1
		{"00000004-0000-0FF1-CE00-000000000000", true},  // case only
		{"00000002-0000-0ff1-ce00-000000000000", false}, // Exchange's id: another service
		{"7557eb47-c689-4224-abcf-aef9bd7573df", false},
	} {
		if got := nearMiss(tc.got, AppIDSfB); got != tc.want {
			t.Errorf("nearMiss(%q) = %v, want %v", tc.got, got, tc.want)
		}
	}
}
