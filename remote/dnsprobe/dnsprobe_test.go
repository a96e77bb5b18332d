package dnsprobe

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/ucpilot/ucpilot/remote/internal/testdns"
	"github.com/ucpilot/ucpilot/remote/netx"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func zone(t *testing.T) *testdns.Server {
	t.Helper()
	s, err := testdns.Start(map[string]testdns.Entry{
		"autodiscover.contoso.lab": {CNAME: "mail.contoso.lab"},
		"mail.contoso.lab":         {A: []string{"10.0.0.5", "10.0.0.6"}, AAAA: []string{"fd00::5"}},
		"pool01.contoso.lab":       {A: []string{"10.0.0.20"}},
		"lyncdiscover.contoso.lab": {CNAME: "gone.contoso.lab"},
		"gone.contoso.lab":         {},
		"broken.contoso.lab":       {Rcode: dns.RcodeServerFailure},
		"denied.contoso.lab":       {Rcode: dns.RcodeRefused},
		"silent.contoso.lab":       {Silent: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestLookup(t *testing.T) {
	s := zone(t)
	cfg := netx.Config{DNSServer: s.Addr, DNSTimeout: 200 * time.Millisecond}
	a, err := Lookup(context.Background(), cfg, "autodiscover.contoso.lab.")
	if err != nil {
		t.Fatal(err)
	}
	want := "autodiscover.contoso.lab -> CNAME mail.contoso.lab -> 10.0.0.5, 10.0.0.6, fd00::5 (DNS server " + s.Addr + ")"
	if a.String() != want || a.Canonical != "mail.contoso.lab" {
		t.Fatalf("got  %s\nwant %s", a, want)
	}
	tests := []struct {
		name string
		kind netx.Kind
		say  string
	}{
		{"nothere.contoso.lab", netx.KindDNSNotFound, "no such host nothere.contoso.lab at DNS server " + s.Addr},
		{"broken.contoso.lab", netx.KindDNSServerFailure, "(SERVFAIL)"},
		{"denied.contoso.lab", netx.KindDNSRefused, "refused to answer"},
		{"silent.contoso.lab", netx.KindDNSTimeout, "no answer from DNS server"},
		{"lyncdiscover.contoso.lab", netx.KindDNSNoAddress, "(CNAME to gone.contoso.lab) exists at DNS server"},
		{"pool01 .contoso.lab", netx.KindBadURL, "not a valid host name"},
		{"a..b", netx.KindBadURL, "label is empty"},
	}
	for _, tc := range tests {
		a, err := Lookup(context.Background(), cfg, tc.name)
		if netx.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.say) {
			t.Errorf("%s: %v (kind %q)", tc.name, err, netx.KindOf(err))
		}
		if (a != nil) != (tc.kind == netx.KindDNSNoAddress) {
			t.Errorf("%s: answer %v", tc.name, a)
		}
	}
}

func TestUnreachableServer(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()
	_, err = Lookup(context.Background(), netx.Config{DNSServer: addr, DNSTimeout: 300 * time.Millisecond}, "pool01.contoso.lab")
	if k := netx.KindOf(err); k != netx.KindDNSUnreachable && k != netx.KindDNSTimeout {
		t.Fatalf("closed port: %v", err)
	}
}

func TestSystemResolver(t *testing.T) {
	a, err := Lookup(context.Background(), netx.Config{}, "localhost")
	if err != nil || a.Server != netx.SystemResolver || !strings.HasSuffix(a.String(), "(system resolver)") || len(a.Addrs()) == 0 {
		t.Fatalf("%v %v", err, a)
	}
}
