// Package lab is a simulated Exchange + Skype for Business environment for
// training and tests. A Lab holds the state of both products (partner
// applications, OAuth configuration, certificates with dates, virtual
// directories, DNS names, tenant service principals), serves the real
// protocols on loopback — HTTPS metadata documents and the EWS /
// Autodiscover Bearer challenge under a lab CA, and a DNS server for the
// lab names — and answers the PowerShell that the procedures, the pitfall
// fixes and the checks use through the same shell.Shell interface as SSH
// and WinRM. Scenarios (embedded YAML) break the healthy state the way real
// deployments break; Faults says which pitfalls the state still shows.
//
// It imports nothing from knowledge/, engine/ or tui/.
package lab

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/ucpilot/ucpilot/remote/pki"
)

// Env is what a profile needs to point at the lab: names, URLs (with the
// lab's HTTPS port), the lab DNS server and the lab CA. The engine gets only
// these: a resolver, a CA and names.
type Env struct {
	Topology            string
	Domain              string
	TenantID            string
	TenantDomain        string
	ExchangeFQDN        string
	ExchangeServer      string // short name
	Autodiscover        string
	ExchangeMetadataURL string
	AutodiscoverSvcURL  string
	EWSURL              string
	SfBPool             string
	SfBWebExternal      string
	SfBMetadataURL      string
	TestSipURI          string
	DomainController    string
	DNSServer           string // 127.0.0.1:port (UDP)
	CAPEM               []byte
	RootCAs             *x509.CertPool
}

// Lab is one running scenario.
type Lab struct {
	Info ScenarioInfo

	state   *State
	ca      *pki.CA
	env     Env
	handler http.Handler

	httpSrv *http.Server
	dnsSrv  *dns.Server
	wg      sync.WaitGroup
	once    sync.Once
	closeEr error
}

// Start builds the scenario's state and starts the HTTPS and DNS servers on
// 127.0.0.1 (random ports). ctx bounds the start only; Close stops the lab.
// An unknown name gets an error listing the valid ones.
func Start(ctx context.Context, scenario string) (*Lab, error) {
	return StartWith(ctx, scenario, StartOptions{})
}

// StartWith is Start with options (a scaled fleet).
func StartWith(ctx context.Context, scenario string, opts StartOptions) (*Lab, error) {
	if opts.Scale < 0 || opts.Scale > MaxFleet {
		return nil, fmt.Errorf("lab: --scale %d: expected 1 to %d Exchange servers", opts.Scale, MaxFleet)
	}
	sc, err := findScenario(scenario)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ca, err := pki.NewCA("ucpilot Lab Root CA")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lab: listen for HTTPS on loopback: %w", err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	st, err := healthy(sc.Topology, port, time.Now())
	if err != nil {
		ln.Close()
		return nil, err
	}
	fleet := scaled(sc.Fleet, opts)
	if fleet != nil {
		st.grow(fleet)
	}
	for i, m := range sc.Mutations {
		err := st.apply(m)
		var gone errNoServer
		if errors.As(err, &gone) && opts.Scale > 0 {
			continue // scaled below the server the fault lives on
		}
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("lab: scenario %s, mutation %d: %w", sc.Name, i+1, err)
		}
	}
	l := &Lab{Info: sc.ScenarioInfo, state: st, ca: ca}
	l.handler = l.routes()
	names, addrs := st.fleetListeners()
	fleetLns, err := listenFleet(addrs, port)
	if err != nil {
		ln.Close()
		return nil, err
	}
	if err := l.serveHTTPS(append([]net.Listener{ln}, fleetLns...), names); err != nil {
		for _, l := range append([]net.Listener{ln}, fleetLns...) {
			l.Close()
		}
		return nil, err
	}
	if err := l.serveDNS(); err != nil {
		l.Close()
		return nil, err
	}
	l.env = l.buildEnv(sc)
	return l, nil
}

func (l *Lab) serveHTTPS(lns []net.Listener, extra []string) error {
	now := time.Now()
	names := []string{"127.0.0.1"}
	for _, h := range labHosts {
		names = append(names, host(h))
	}
	names = append(names, extra...)
	cert, _, err := l.ca.Issue(names, now.Add(-time.Hour), now.AddDate(1, 0, 0), 0)
	if err != nil {
		return err
	}
	l.httpSrv = &http.Server{
		Handler:           l.handler,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	for _, ln := range lns {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			_ = l.httpSrv.ServeTLS(ln, "", "")
		}()
	}
	return nil
}

func (l *Lab) buildEnv(sc *Scenario) Env {
	s := l.state
	s.mu.Lock()
	defer s.mu.Unlock()
	web := "autodiscover"
	if sc.ExchangeWeb == "fqdn" {
		web = "exch01"
	}
	e := Env{
		Topology: s.Topology, Domain: s.Domain, TenantID: s.TenantID, TenantDomain: s.TenantDomain,
		ExchangeFQDN: host("exch01"), ExchangeServer: "exch01", Autodiscover: host("autodiscover"),
		ExchangeMetadataURL: s.url(web, "/autodiscover/metadata/json/1"),
		AutodiscoverSvcURL:  s.url(web, "/autodiscover/autodiscover.svc"),
		EWSURL:              s.url(web, "/EWS/Exchange.asmx"),
		TestSipURI:          "sip:alice@" + s.Domain, DomainController: host("dc01"),
		DNSServer: l.dnsSrv.PacketConn.LocalAddr().String(),
		CAPEM:     l.ca.PEM(), RootCAs: l.ca.Pool(),
	}
	if s.Topology != "sfbonline" {
		e.SfBPool, e.SfBWebExternal, e.SfBMetadataURL = host("pool01"), host("webext"), s.poolMetadataURL()
	}
	return e
}

// Env returns the names, URLs, resolver and CA of the lab.
func (l *Lab) Env() Env { return l.env }

// Close stops the HTTPS and DNS servers and waits for them. It is safe to
// call more than once.
func (l *Lab) Close() error {
	l.once.Do(func() {
		var errs []error
		if l.httpSrv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			errs = append(errs, l.httpSrv.Shutdown(ctx))
			cancel()
		}
		if l.dnsSrv != nil {
			errs = append(errs, l.dnsSrv.Shutdown())
		}
		l.wg.Wait()
		l.closeEr = errors.Join(errs...)
	})
	return l.closeEr
}

// serveDNS answers A (and CNAME chains) for the lab names from the live
// state, NXDOMAIN for anything else.
func (l *Lab) serveDNS() error {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("lab: listen for DNS on loopback: %w", err)
	}
	started := make(chan struct{})
	l.dnsSrv = &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(l.answerDNS), NotifyStartedFunc: func() { close(started) }}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		_ = l.dnsSrv.ActivateAndServe()
	}()
	<-started
	return nil
}

func (l *Lab) answerDNS(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	if len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	s := l.state
	s.mu.Lock()
	name := strings.TrimSuffix(strings.ToLower(q.Name), ".")
	for hops := 0; hops < 8; hops++ {
		r, ok := s.DNS[name]
		if !ok {
			if len(m.Answer) == 0 {
				m.Rcode = dns.RcodeNameError
			}
			break
		}
		hdr := func(t uint16) dns.RR_Header {
			return dns.RR_Header{Name: dns.Fqdn(name), Rrtype: t, Class: dns.ClassINET, Ttl: 300}
		}
		if r.CNAME != "" {
			m.Answer = append(m.Answer, &dns.CNAME{Hdr: hdr(dns.TypeCNAME), Target: dns.Fqdn(r.CNAME)})
			name = strings.TrimSuffix(strings.ToLower(r.CNAME), ".")
			continue
		}
		if q.Qtype == dns.TypeA || q.Qtype == dns.TypeANY {
			for _, a := range r.A {
				m.Answer = append(m.Answer, &dns.A{Hdr: hdr(dns.TypeA), A: net.ParseIP(a).To4()})
			}
		}
		break
	}
	s.mu.Unlock()
	_ = w.WriteMsg(m)
}
