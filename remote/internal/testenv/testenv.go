// Package testenv stands up a small loopback world for tests of the
// remote packages: a test CA, a DNS server that maps lab names to
// 127.0.0.1, and HTTPS servers under that CA reachable by name.
package testenv

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/internal/testdns"
	"github.com/ucpilot/ucpilot/remote/pki"
)

// Env is one test's loopback world.
type Env struct {
	CA  *pki.CA
	DNS *testdns.Server
}

// New creates the CA and starts the DNS server; both go away with t.
func New(t testing.TB) *Env {
	t.Helper()
	ca, err := pki.NewCA("ucpilot Test Root")
	if err != nil {
		t.Fatal(err)
	}
	dns, err := testdns.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dns.Close() })
	return &Env{CA: ca, DNS: dns}
}

// Cert issues a certificate for hosts under the test CA, valid from an
// hour ago for a day.
func (e *Env) Cert(t testing.TB, hosts ...string) tls.Certificate {
	t.Helper()
	now := time.Now()
	c, _, err := e.CA.Issue(hosts, now.Add(-time.Hour), now.Add(24*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ServeTLS starts an HTTPS server presenting cert and points host at
// 127.0.0.1 in the DNS server. It returns the server's port.
func (e *Env) ServeTLS(t testing.TB, host string, cert tls.Certificate, h http.Handler) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are the point of some tests
	srv.StartTLS()
	t.Cleanup(srv.Close)
	e.DNS.Set(host, testdns.Entry{A: []string{"127.0.0.1"}})
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return port
}

// Serve starts an HTTPS server for host with a valid certificate and
// returns its base URL, e.g. https://pool01.contoso.lab:41234.
func (e *Env) Serve(t testing.TB, host string, h http.Handler) string {
	t.Helper()
	port := e.ServeTLS(t, host, e.Cert(t, host), h)
	return "https://" + net.JoinHostPort(host, port)
}

// ServePlain starts a plain-HTTP server for host and returns its port.
func (e *Env) ServePlain(t testing.TB, host string, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.DNS.Set(host, testdns.Entry{A: []string{"127.0.0.1"}})
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return port
}
