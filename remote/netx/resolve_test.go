package netx

import (
	"context"
	"testing"

	"github.com/ucpilot/ucpilot/remote/internal/testdns"
	"github.com/ucpilot/ucpilot/remote/internal/testenv"
)

func TestResolve(t *testing.T) {
	env := testenv.New(t)
	env.DNS.Set("autodiscover.contoso.lab", testdns.Entry{CNAME: "ex01.contoso.lab"})
	env.DNS.Set("ex01.contoso.lab", testdns.Entry{A: []string{"127.0.0.7"}, AAAA: []string{"::1"}})
	r, err := Resolve(context.Background(), fast(env), "autodiscover.contoso.lab")
	if err != nil {
		t.Fatal(err)
	}
	if r.Server != env.DNS.Addr || r.Canonical != "ex01.contoso.lab" || len(r.Chain) != 1 {
		t.Fatalf("%+v", r)
	}
	if got := r.Addrs(); len(got) != 2 || got[0].String() != "127.0.0.7" || got[1].String() != "::1" {
		t.Fatalf("addrs %v, want IPv4 first", got)
	}
	for _, lit := range []string{"127.0.0.1", "::1", "[::1]"} {
		r, err := Resolve(context.Background(), Config{}, lit)
		if err != nil || len(r.Addrs()) != 1 || r.Server != "literal" {
			t.Fatalf("%s: %v %+v", lit, err, r)
		}
	}
	// The system resolver path, on a name every host knows.
	r, err = Resolve(context.Background(), Config{}, "localhost")
	if err != nil || r.Server != SystemResolver || len(r.Addrs()) == 0 || !r.Addrs()[0].IsLoopback() {
		t.Fatalf("localhost via the system: %v %+v", err, r)
	}
	if _, err := Resolve(context.Background(), Config{}, " "); KindOf(err) != KindBadURL {
		t.Fatalf("empty name: %v", err)
	}
}

func TestDNSServerDefaultsPort(t *testing.T) {
	if got := (Config{DNSServer: "10.0.0.1"}).WithDefaults().DNSServer; got != "10.0.0.1:53" {
		t.Fatalf("got %q", got)
	}
	if got := (Config{DNSServer: "[::1]:5353"}).WithDefaults().DNSServer; got != "[::1]:5353" {
		t.Fatalf("got %q", got)
	}
	if got := (Config{}).ResolverName(); got != "the system resolver" {
		t.Fatalf("got %q", got)
	}
}
