package bearer

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/internal/testenv"
	"github.com/ucpilot/ucpilot/remote/netx"
)

// replay answers like the server captured in a fixture, but only to a
// request carrying exactly "Authorization: Bearer".
func replay(t *testing.T, file string) http.HandlerFunc {
	code, h := fixtureResponse(t, file)
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		for k, vs := range h {
			if k != "Content-Length" && k != "Date" {
				w.Header()[k] = vs
			}
		}
		w.WriteHeader(code)
	}
}

func TestProbe(t *testing.T) {
	env := testenv.New(t)
	mux := http.NewServeMux()
	mux.Handle("/Microsoft-Server-ActiveSync", replay(t, "exchange-onprem-eas-401-bearer-no-authorization-uri.real.http"))
	mux.Handle("/EWS/Exchange.asmx", replay(t, "exchange-onprem-eas-401-bearer-hma-with-sfb-issuer.real.http"))
	mux.HandleFunc("/legacy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("WWW-Authenticate", "Negotiate")
		w.Header().Add("WWW-Authenticate", "NTLM")
		w.WriteHeader(http.StatusUnauthorized)
	})
	mux.HandleFunc("/ews", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/EWS/Exchange.asmx", http.StatusMovedPermanently)
	})
	base := env.Serve(t, "mail.contoso.lab", mux)
	c, err := netx.NewClient(netx.Config{DNSServer: env.DNS.Addr, RootCAs: env.CA.Pool(), Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	r, err := Probe(ctx, c, base+"/Microsoft-Server-ActiveSync")
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusLine != "HTTP/1.1 401 Unauthorized" || !r.Offers("basic") || r.Bearer == nil || r.Bearer.Error != "invalid_token" {
		t.Fatalf("%+v", r)
	}
	if len(r.Diagnostics) != 1 || r.Diagnostics[0].ErrorCategory != "oauth_not_available" {
		t.Fatalf("diagnostics %+v", r.Diagnostics)
	}
	if r.Server.Get("X-Feserver") != "DUMMY01" || r.Server.Get("X-Owa-Version") != "15.2.1544.11" || r.Server.Get("Request-Id") == "" {
		t.Fatalf("server headers %v", r.Server)
	}

	r, err = Probe(ctx, c, base+"/ews")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Redirects) != 1 || r.FinalURL != base+"/EWS/Exchange.asmx" || !r.Bearer.TrustsIssuer(sfbApp, "contoso.com") {
		t.Fatalf("after redirect: %+v", r)
	}
	if r.Server.Get("Server") != "Microsoft-IIS/10.0 Microsoft-HTTPAPI/2.0" || r.Insecure {
		t.Fatalf("server %v insecure %v", r.Server, r.Insecure)
	}

	r, err = Probe(ctx, c, base+"/legacy")
	if err != nil || r.Bearer != nil || len(r.Schemes) != 2 || !r.Offers("NTLM") {
		t.Fatalf("legacy: %v %+v", err, r)
	}

	if _, err := Probe(ctx, c, "https://nothere.contoso.lab/ews"); netx.KindOf(err) != netx.KindDNSNotFound {
		t.Fatalf("unknown host: %v", err)
	}
}

// A complete 401 whose body trickles forever is still read: the probe
// needs only the headers, so the caller's deadline cannot throw it away.
func TestProbeTrickledBodyKeepsTheChallenge(t *testing.T) {
	env := testenv.New(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/EWS/Exchange.asmx", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000004-0000-0ff1-ce00-000000000000@contoso.com"`)
		w.WriteHeader(http.StatusUnauthorized)
		for r.Context().Err() == nil {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	base := env.Serve(t, "mail.contoso.lab", mux)
	// The configured body deadline (a minute) outlasts the caller's; the
	// caller's deadline is generous so load cannot make the headers late.
	c, err := netx.NewClient(netx.Config{DNSServer: env.DNS.Addr, RootCAs: env.CA.Pool(), BodyTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := Probe(ctx, c, base+"/EWS/Exchange.asmx")
	if err != nil || r.StatusCode != 401 || r.Bearer == nil || !r.Bearer.TrustsIssuer(sfbApp, "contoso.com") {
		t.Fatalf("trickled 401: %v %+v", err, r)
	}
	if ctx.Err() != nil {
		t.Fatal("the probe waited for the body until the caller's deadline")
	}
}
