package tlsprobe

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/internal/testdns"
	"github.com/ucpilot/ucpilot/remote/internal/testenv"
	"github.com/ucpilot/ucpilot/remote/netx"
	"github.com/ucpilot/ucpilot/remote/pki"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func cfgFor(env *testenv.Env) netx.Config {
	return netx.Config{DNSServer: env.DNS.Addr, RootCAs: env.CA.Pool(), DialTimeout: time.Second,
		TLSTimeout: 300 * time.Millisecond, DNSTimeout: 300 * time.Millisecond}
}

func TestInspectFindings(t *testing.T) {
	env := testenv.New(t)
	other, _ := pki.NewCA("Contoso Issuing CA")
	now, day := time.Now(), 24*time.Hour
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	tests := []struct {
		host   string
		signer *pki.CA // nil: self-signed
		names  []string
		nb, na time.Time
		bits   int
		kinds  []netx.Kind
		days   int
	}{
		{"good.contoso.lab", env.CA, nil, now.Add(-day), now.Add(90*day + time.Hour), 2048, nil, 90},
		{"expired.contoso.lab", env.CA, []string{"old.contoso.lab"}, now.Add(-3 * day), now.Add(-2 * day), 0,
			[]netx.Kind{netx.KindTLSExpired, netx.KindTLSNameMismatch}, -2},
		{"future.contoso.lab", env.CA, nil, now.Add(day), now.Add(3 * day), 0, []netx.Kind{netx.KindTLSNotYetValid}, 2},
		{"unknown.contoso.lab", other, nil, now.Add(-day), now.Add(day), 0, []netx.Kind{netx.KindTLSUnknownAuth}, 0},
		{"self.contoso.lab", nil, nil, now.Add(-day), now.Add(day), 0, []netx.Kind{netx.KindTLSSelfSigned}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			names := tc.names
			if names == nil {
				names = []string{tc.host}
			}
			cert, leaf, err := pki.SelfSigned(names, tc.nb, tc.na, tc.bits)
			if tc.signer != nil {
				cert, leaf, err = tc.signer.Issue(names, tc.nb, tc.na, tc.bits)
			}
			if err != nil {
				t.Fatal(err)
			}
			port, _ := strconv.Atoi(env.ServeTLS(t, tc.host, cert, h))
			rep, err := Inspect(context.Background(), cfgFor(env), tc.host, port)
			if err != nil {
				t.Fatal(err)
			}
			var got []netx.Kind
			for _, p := range rep.Problems {
				got = append(got, p.Kind)
				if !strings.Contains(p.Message, "TLS: ") {
					t.Errorf("message %q", p.Message)
				}
			}
			if len(got) != len(tc.kinds) || rep.Verified != (len(tc.kinds) == 0) {
				t.Fatalf("problems %v, want %v", rep.Problems, tc.kinds)
			}
			for _, k := range tc.kinds {
				if !rep.Has(k) {
					t.Errorf("missing %s in %v", k, rep.Problems)
				}
			}
			l := rep.Leaf
			if l.DaysLeft != tc.days || l.CommonName != names[0] || l.Thumbprint != thumbprint(leaf.Raw) ||
				!strings.HasPrefix(rep.RemoteAddr, "127.0.0.1:") || rep.TLSVersion != "TLS 1.3" {
				t.Errorf("leaf %+v remote %s version %s", l, rep.RemoteAddr, rep.TLSVersion)
			}
			wantType, wantBits := "ECDSA", 256
			if tc.bits != 0 {
				wantType, wantBits = "RSA", tc.bits
			}
			if l.KeyType != wantType || l.KeyBits != wantBits || l.SelfSigned != (tc.signer == nil) {
				t.Errorf("key %s-%d self-signed %v", l.KeyType, l.KeyBits, l.SelfSigned)
			}
			if wantChain := 2 - btoi(tc.signer == nil); len(rep.Chain) != wantChain || (wantChain == 2 && !rep.Chain[1].IsCA) {
				t.Errorf("chain %+v", rep.Chain)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestInspectFailures(t *testing.T) {
	env := testenv.New(t)
	plain, _ := strconv.Atoi(env.ServePlain(t, "plain.contoso.lab", http.NotFoundHandler()))
	mute, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	go func() {
		for {
			c, err := mute.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	env.DNS.Set("mute.contoso.lab", testdns.Entry{A: []string{"127.0.0.1"}})
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	tests := []struct {
		host string
		port int
		kind netx.Kind
	}{
		{"plain.contoso.lab", plain, netx.KindTLSNotTLS},
		{"mute.contoso.lab", mute.Addr().(*net.TCPAddr).Port, netx.KindTLSTimeout},
		{"mute.contoso.lab", closedPort, netx.KindConnectRefused},
		{"nothere.contoso.lab", 443, netx.KindDNSNotFound},
	}
	for _, tc := range tests {
		rep, err := Inspect(context.Background(), cfgFor(env), tc.host, tc.port)
		if netx.KindOf(err) != tc.kind || rep != nil {
			t.Errorf("%s:%d: %v (kind %q)", tc.host, tc.port, err, netx.KindOf(err))
		}
	}
}
