package engine

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/pki"
)

// world is a loopback environment for the check tests: a DNS server that
// answers for lab names, a CA, and HTTPS servers reachable by those names.
type world struct {
	t   testing.TB
	ca  *pki.CA
	dns string // 127.0.0.1:port

	mu     sync.Mutex
	a      map[string]string // name -> IPv4
	cname  map[string]string // name -> target
	silent map[string]bool   // names the server never answers
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ca, err := pki.NewCA("ucpilot engine test root")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ca: ca, a: map[string]string{}, cname: map[string]string{}, silent: map[string]bool{}}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(w.answer), NotifyStartedFunc: func() { close(started) }}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	w.dns = pc.LocalAddr().String()
	return w
}

func (w *world) answer(rw dns.ResponseWriter, q *dns.Msg) {
	w.mu.Lock()
	defer w.mu.Unlock()
	m := new(dns.Msg)
	m.SetReply(q)
	m.Authoritative = true
	name := strings.TrimSuffix(strings.ToLower(q.Question[0].Name), ".")
	if w.silent[name] {
		return
	}
	for hops := 0; hops < 5; hops++ {
		if target, ok := w.cname[name]; ok {
			m.Answer = append(m.Answer, &dns.CNAME{Hdr: dns.RR_Header{Name: dns.Fqdn(name), Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 60}, Target: dns.Fqdn(target)})
			name = target
			continue
		}
		break
	}
	ip, ok := w.a[name]
	switch {
	case ok && q.Question[0].Qtype == dns.TypeA:
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: dns.Fqdn(name), Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.ParseIP(ip)})
	case !ok && len(m.Answer) == 0:
		m.Rcode = dns.RcodeNameError
	}
	rw.WriteMsg(m)
}

func (w *world) setA(name, ip string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.a[name] = ip
}

func (w *world) setCNAME(name, target string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cname[name] = target
}

// cert issues a certificate for host valid from notBefore to notAfter
// under the world's CA (or self-signed).
func (w *world) cert(host string, notBefore, notAfter time.Time, selfSigned bool) tls.Certificate {
	w.t.Helper()
	var c tls.Certificate
	var err error
	if selfSigned {
		c, _, err = pki.SelfSigned([]string{host}, notBefore, notAfter, 0)
	} else {
		c, _, err = w.ca.Issue([]string{host}, notBefore, notAfter, 0)
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// serve starts an HTTPS server for host with cert (a valid one when nil),
// points host at it and returns its base URL with the port.
func (w *world) serve(host string, cert *tls.Certificate, h http.Handler) string {
	w.t.Helper()
	if cert == nil {
		c := w.cert(host, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0), false)
		cert = &c
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	w.t.Cleanup(srv.Close)
	w.setA(host, "127.0.0.1")
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return "https://" + net.JoinHostPort(host, port)
}

// env returns a check environment over the world for target.
func (w *world) env(p *profile.Profile, target string) *Env {
	roots := x509.NewCertPool()
	roots.AddCert(w.ca.Cert)
	e := p.Effective()
	return &Env{Profile: e, Vars: p.Vars(), Target: target, Net: NetConfig{DNSServer: w.dns, RootCAs: roots}, deps: map[string]Result{}}
}

// run calls a check with a short deadline.
func run(t *testing.T, fn CheckFunc, env *Env) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r := fn(ctx, env)
	kb := loadKB(t)
	for _, id := range r.Pitfalls {
		if kb.Pitfall(id) == nil {
			t.Errorf("the check names pitfall %q, which the knowledge base does not hold", id)
		}
	}
	return r
}

func labProfile() *profile.Profile {
	return &profile.Profile{Topology: "onprem", Domain: "contoso.lab",
		Exchange: profile.Exchange{FQDN: "exch01.contoso.lab"}, SfB: profile.SfB{Pool: "pool01.contoso.lab"}}
}

// hasPitfall reports whether r names id.
func hasPitfall(r Result, id string) bool {
	for _, p := range r.Pitfalls {
		if p == id {
			return true
		}
	}
	return false
}

// evidence returns the value of the first evidence line labelled label.
func evidence(r Result, label string) string {
	for _, e := range r.Evidence {
		if e.Label == label {
			return e.Value
		}
	}
	return ""
}
