package netx

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/internal/testdns"
	"github.com/ucpilot/ucpilot/remote/internal/testenv"
	"github.com/ucpilot/ucpilot/remote/pki"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fast returns a Config for env with short timeouts.
func fast(env *testenv.Env) Config {
	return Config{DNSServer: env.DNS.Addr, RootCAs: env.CA.Pool(), Timeout: 3 * time.Second,
		DialTimeout: time.Second, TLSTimeout: time.Second, HeaderTimeout: time.Second,
		BodyTimeout: time.Second, DNSTimeout: 300 * time.Millisecond}
}

func client(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wantKind(t *testing.T, err error, k Kind, contains ...string) {
	t.Helper()
	if KindOf(err) != k {
		t.Fatalf("error %v: kind %q, want %q", err, KindOf(err), k)
	}
	for _, s := range contains {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

func TestGetByNameThroughLabDNS(t *testing.T) {
	env := testenv.New(t)
	port := env.ServeTLS(t, "ex01.contoso.lab", env.Cert(t, "autodiscover.contoso.lab"),
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"host":%q,"auth":%q}`, r.Host, r.Header.Get("Authorization"))
		}))
	env.DNS.Set("autodiscover.contoso.lab", testdns.Entry{CNAME: "ex01.contoso.lab"})
	u := "https://autodiscover.contoso.lab:" + port + "/autodiscover/metadata/json/1"
	resp, err := client(t, fast(env)).Get(context.Background(), u, http.Header{"Authorization": {"Bearer"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.StatusLine() != "HTTP/1.1 200 OK" || resp.ContentType() != "application/json" {
		t.Fatalf("status %q type %q", resp.StatusLine(), resp.ContentType())
	}
	if want := `{"host":"autodiscover.contoso.lab:` + port + `","auth":"Bearer"}`; string(resp.Body) != want {
		t.Fatalf("body %s, want %s", resp.Body, want)
	}
	if !strings.HasPrefix(resp.RemoteAddr, "127.0.0.1:") || resp.TLS == nil || resp.Insecure {
		t.Fatalf("remote %q tls %v insecure %v", resp.RemoteAddr, resp.TLS != nil, resp.Insecure)
	}
	if resp.Size != int64(len(resp.Body)) || resp.FinalURL != u {
		t.Fatalf("size %d final %s", resp.Size, resp.FinalURL)
	}
}

func TestTLSFindings(t *testing.T) {
	env := testenv.New(t)
	other, _ := pki.NewCA("Some Other Root")
	now, hour := time.Now(), time.Hour
	tests := []struct {
		host   string
		signer *pki.CA // nil = self-signed
		names  []string
		nb, na time.Time
		kind   Kind
		say    string
	}{
		{"unknown.contoso.lab", other, nil, now.Add(-hour), now.Add(hour), KindTLSUnknownAuth,
			"TLS: the certificate for unknown.contoso.lab is signed by an unknown authority (issuer \"CN=Some Other Root,O=ucpilot test PKI\") (is the issuing CA trusted on this machine? set tls.ca_file)"},
		{"expired.contoso.lab", env.CA, nil, now.Add(-48 * hour), now.Add(-24 * hour), KindTLSExpired, "expired on"},
		{"future.contoso.lab", env.CA, nil, now.Add(24 * hour), now.Add(48 * hour), KindTLSNotYetValid, "not valid before"},
		{"wrongname.contoso.lab", env.CA, []string{"mail.contoso.lab", "10.0.0.5"}, now.Add(-hour), now.Add(hour),
			KindTLSNameMismatch, "it covers mail.contoso.lab, 10.0.0.5"},
		{"self.contoso.lab", nil, nil, now.Add(-hour), now.Add(hour), KindTLSSelfSigned, "is self-signed"},
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello")) })
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			names := tc.names
			if names == nil {
				names = []string{tc.host}
			}
			cert, _, err := pki.SelfSigned(names, tc.nb, tc.na, 0)
			if tc.signer != nil {
				cert, _, err = tc.signer.Issue(names, tc.nb, tc.na, 0)
			}
			if err != nil {
				t.Fatal(err)
			}
			u := "https://" + net.JoinHostPort(tc.host, env.ServeTLS(t, tc.host, cert, ok)) + "/"
			resp, err := client(t, fast(env)).Get(context.Background(), u, nil)
			wantKind(t, err, tc.kind, tc.say)
			if resp != nil {
				t.Fatalf("response %+v despite a TLS failure", resp)
			}
			// The same server with verification off answers, and says so.
			cfg := fast(env)
			cfg.Insecure = true
			resp, err = client(t, cfg).Get(context.Background(), u, nil)
			if err != nil || string(resp.Body) != "hello" || !resp.Insecure {
				t.Fatalf("insecure: %v %+v", err, resp)
			}
		})
	}
}
