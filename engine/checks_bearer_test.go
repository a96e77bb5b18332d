package engine

import (
	"net/http"
	"strings"
	"testing"
)

const tenant = "5de110f8-2e0f-4d45-891d-bcf2218e253d"

// challenge answers every request with status and the given headers.
func challenge(status int, headers ...[2]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer" {
			http.Error(w, "probe must send an empty Bearer", http.StatusBadRequest)
			return
		}
		for _, h := range headers {
			w.Header().Add(h[0], h[1])
		}
		w.WriteHeader(status)
	})
}

func bearerHeader(issuers string, extra string) [2]string {
	return [2]string{"WWW-Authenticate", `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="` + issuers +
		`", token_types="app_asserted_user_v1 service_asserted_app_v1"` + extra}
}

func TestBearerChecks(t *testing.T) {
	w := newWorld(t)
	basic := [2]string{"WWW-Authenticate", `Basic realm="mail.contoso.lab"`}
	hma := `, authorization_uri="https://login.windows.net/common/oauth2/authorize"`
	diag := [2]string{"X-Ms-Diagnostics", `4000000;reason="Flighting is not enabled for domain 'mail.contoso.lab'.";error_category="oauth_not_available"`}
	ews, ad := bearerCheck(true), bearerCheck(false)

	tests := []struct {
		name     string
		check    CheckFunc
		topology string
		handler  http.Handler
		status   Status
		summary  string
		pitfall  string
		evidence [2]string // label, substring of its value
	}{
		{"sfb issuer trusted", ews, "onprem", challenge(401, bearerHeader(AppIDACS+"@"+tenant+","+AppIDSfB+"@contoso.lab", hma), basic),
			StatusPass, "Exchange trusts " + AppIDSfB + "@contoso.lab", "", [2]string{"authorization_uri", "login.windows.net"}},
		{"any realm trusted", ews, "onprem", challenge(401, bearerHeader(AppIDSfB+"@*", "")),
			StatusPass, "Exchange trusts", "", [2]string{"trusted_issuers", AppIDSfB + "@*"}},
		{"trust for another realm", ews, "onprem", challenge(401, bearerHeader(AppIDSfB+"@pool01.contoso.lab", "")),
			StatusFail, "in realm pool01.contoso.lab, not in contoso.lab", "realm-mismatch", [2]string{"expected issuer", AppIDSfB + "@contoso.lab"}},
		{"no sfb issuer at all", ews, "onprem", challenge(401, bearerHeader(AppIDACS+"@"+tenant, ""), diag),
			StatusFail, "does not list", "iisreset-missing", [2]string{"x-ms-diagnostics", "oauth_not_available"}},
		{"no authorization_uri is evidence only", ews, "onprem", challenge(401, bearerHeader(AppIDSfB+"@contoso.lab", ""), diag),
			StatusPass, "Exchange trusts", "", [2]string{"authorization_uri", "(absent"}},
		{"only negotiate and ntlm", ews, "onprem", challenge(401, [2]string{"WWW-Authenticate", "Negotiate"}, [2]string{"WWW-Authenticate", "NTLM"}),
			StatusFail, "offers only Negotiate, NTLM", "oauth-disabled-on-vdir", [2]string{"schemes", "Negotiate, NTLM"}},
		{"no challenge at all", ad, "onprem", challenge(401),
			StatusFail, "no Bearer challenge", "preauth-proxy-strips-bearer", [2]string{"schemes", "no WWW-Authenticate"}},
		{"a 200 means something in front answered", ad, "onprem", challenge(200),
			StatusFail, "instead of a 401", "preauth-proxy-strips-bearer", [2]string{"status line", "200"}},
		{"a 404 gives no verdict", ews, "onprem", challenge(404),
			StatusError, "expected 401", "", [2]string{"status line", "404"}},
		{"autodiscover with bearer", ad, "onprem", challenge(401, bearerHeader(AppIDACS+"@*", ""), basic),
			StatusPass, "OAuth is enabled", "", [2]string{"client_id", AppIDExchange}},
		{"online: ACS for the tenant", ews, "sfbonline", challenge(401, bearerHeader(AppIDACS+"@"+tenant, hma)),
			StatusPass, "Microsoft token service", "", [2]string{"trusted_issuers", tenant}},
		{"online: ACS for another tenant", ews, "sfbonline", challenge(401, bearerHeader(AppIDACS+"@1d3c9b43-0d0f-45d9-a207-99dc10fb7d4a", "")),
			StatusFail, "not for the profile's tenant", "hcw-overwrote-windowsazureacs", [2]string{}},
		{"online: no ACS", ews, "hybrid", challenge(401, bearerHeader(AppIDSfB+"@contoso.lab", "")),
			StatusFail, "does not trust the Microsoft token service", "hcw8064-oauth-portion-failed", [2]string{}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := "b" + string(rune('a'+i)) + ".contoso.lab"
			base := w.serve(host, nil, tt.handler)
			p := labProfile()
			p.Topology, p.TenantID = tt.topology, tenant
			r := run(t, tt.check, w.env(p, base+"/EWS/Exchange.asmx"))
			if r.Status != tt.status || !strings.Contains(r.Summary, tt.summary) {
				t.Fatalf("got %s %q, want %s containing %q\nevidence %v", r.Status, r.Summary, tt.status, tt.summary, r.Evidence)
			}
			if tt.pitfall != "" && !hasPitfall(r, tt.pitfall) {
				t.Errorf("pitfalls %v lack %s", r.Pitfalls, tt.pitfall)
			}
			if tt.evidence[0] != "" && !strings.Contains(evidence(r, tt.evidence[0]), tt.evidence[1]) {
				t.Errorf("evidence %q = %q, want it to contain %q", tt.evidence[0], evidence(r, tt.evidence[0]), tt.evidence[1])
			}
		})
	}
}
