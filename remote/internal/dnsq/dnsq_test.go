package dnsq

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/ucpilot/ucpilot/remote/internal/testdns"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func startZone(t *testing.T) *testdns.Server {
	t.Helper()
	s, err := testdns.Start(map[string]testdns.Entry{
		"pool01.contoso.lab":       {A: []string{"127.0.0.1"}, AAAA: []string{"::1"}},
		"autodiscover.contoso.lab": {CNAME: "mail.contoso.lab"},
		"mail.contoso.lab":         {CNAME: "ex01.contoso.lab"},
		"ex01.contoso.lab":         {A: []string{"127.0.0.2"}},
		"lazy.contoso.lab":         {CNAME: "ex01.contoso.lab", Alone: true},
		"loop1.contoso.lab":        {CNAME: "loop2.contoso.lab", Alone: true},
		"loop2.contoso.lab":        {CNAME: "loop1.contoso.lab", Alone: true},
		"broken.contoso.lab":       {Rcode: dns.RcodeServerFailure},
		"denied.contoso.lab":       {Rcode: dns.RcodeRefused},
		"silent.contoso.lab":       {Silent: true},
		"noaddr.contoso.lab":       {},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestResolve(t *testing.T) {
	s := startZone(t)
	ctx := context.Background()
	tests := []struct {
		name      string
		chain     int
		canonical string
		a, aaaa   int
	}{
		{"pool01.contoso.lab", 0, "pool01.contoso.lab", 1, 1},
		{"autodiscover.contoso.lab.", 2, "ex01.contoso.lab", 1, 0},
		{"lazy.contoso.lab", 1, "ex01.contoso.lab", 1, 0},
		{"noaddr.contoso.lab", 0, "noaddr.contoso.lab", 0, 0},
	}
	for _, tc := range tests {
		r, err := Resolve(ctx, s.Addr, tc.name, time.Second)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(r.Chain) != tc.chain || r.Canonical != tc.canonical || len(r.A) != tc.a || len(r.AAAA) != tc.aaaa {
			t.Errorf("%s: chain %v canonical %s A %v AAAA %v", tc.name, r.Chain, r.Canonical, r.A, r.AAAA)
		}
		if r.Server != s.Addr {
			t.Errorf("server %q, want %q", r.Server, s.Addr)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	s := startZone(t)
	tests := []struct {
		name  string
		kind  Kind
		rcode string
	}{
		{"nothere.contoso.lab", KindNotFound, "NXDOMAIN"},
		{"broken.contoso.lab", KindServerFailure, "SERVFAIL"},
		{"denied.contoso.lab", KindRefused, "REFUSED"},
		{"silent.contoso.lab", KindTimeout, ""},
		{"loop1.contoso.lab", KindCNAMELoop, ""},
	}
	for _, tc := range tests {
		_, err := Resolve(context.Background(), s.Addr, tc.name, 200*time.Millisecond)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: error %v is not *Error", tc.name, err)
		}
		if e.Kind != tc.kind || e.Rcode != tc.rcode {
			t.Errorf("%s: kind %d rcode %q, want %d %q (%v)", tc.name, e.Kind, e.Rcode, tc.kind, tc.rcode, err)
		}
	}
}

func TestCancelReturnsPromptly(t *testing.T) {
	s := startZone(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := Resolve(ctx, s.Addr, "silent.contoso.lab", 10*time.Second)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindCanceled {
		t.Fatalf("got %v, want a cancelled lookup", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancel took %v", d)
	}
}
