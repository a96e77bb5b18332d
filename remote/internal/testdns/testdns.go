// Package testdns runs a small authoritative DNS server on loopback UDP for
// tests (and the lab): names map to A/AAAA/CNAME records or to a forced
// rcode; a name can also be told to stay silent so callers hit a timeout.
package testdns

import (
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"
)

// Entry is what the server answers for one name.
type Entry struct {
	A      []string // IPv4 literals
	AAAA   []string // IPv6 literals
	CNAME  string   // target; the server also adds the target's records
	Rcode  int      // forced rcode (dns.RcodeServerFailure...); 0 = normal
	Silent bool     // never answer
	Alone  bool     // with CNAME: answer the CNAME alone, so the client must ask again
}

// Server is a running DNS server. Unknown names get NXDOMAIN.
type Server struct {
	Addr    string // 127.0.0.1:port
	srv     *dns.Server
	mu      sync.Mutex
	zone    map[string]Entry
	queries atomic.Int64
}

// Start listens on 127.0.0.1 with a random UDP port.
func Start(zone map[string]Entry) (*Server, error) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: pc.LocalAddr().String(), zone: map[string]Entry{}}
	for k, v := range zone {
		s.zone[key(k)] = v
	}
	started := make(chan struct{})
	s.srv = &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(s.serve),
		NotifyStartedFunc: func() { close(started) }}
	go s.srv.ActivateAndServe() //nolint:errcheck // ends with Close
	<-started
	return s, nil
}

// Set adds or replaces the entry for name.
func (s *Server) Set(name string, e Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.zone[key(name)] = e
}

// Queries counts the questions received so far.
func (s *Server) Queries() int64 { return s.queries.Load() }

// Close stops the server and waits for it.
func (s *Server) Close() error { return s.srv.Shutdown() }

func key(name string) string { return strings.ToLower(dns.Fqdn(name)) }

func (s *Server) lookup(name string) (Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.zone[key(name)]
	return e, ok
}

func (s *Server) serve(w dns.ResponseWriter, req *dns.Msg) {
	s.queries.Add(1)
	if len(req.Question) != 1 {
		return
	}
	q := req.Question[0]
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	name := q.Name
	for hops := 0; hops < 10; hops++ {
		e, ok := s.lookup(name)
		switch {
		case !ok:
			m.Rcode = dns.RcodeNameError
		case e.Silent:
			return
		case e.Rcode != 0:
			m.Rcode = e.Rcode
		case e.CNAME != "":
			m.Answer = append(m.Answer, &dns.CNAME{Hdr: hdr(name, dns.TypeCNAME), Target: dns.Fqdn(e.CNAME)})
			name = dns.Fqdn(e.CNAME)
			if e.Alone {
				break
			}
			continue
		default:
			m.Answer = append(m.Answer, records(name, q.Qtype, e)...)
		}
		break
	}
	_ = w.WriteMsg(m)
}

func hdr(name string, t uint16) dns.RR_Header {
	return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: 60}
}

func records(name string, qtype uint16, e Entry) []dns.RR {
	var out []dns.RR
	if qtype == dns.TypeA {
		for _, a := range e.A {
			out = append(out, &dns.A{Hdr: hdr(name, dns.TypeA), A: net.ParseIP(a)})
		}
	}
	if qtype == dns.TypeAAAA {
		for _, a := range e.AAAA {
			out = append(out, &dns.AAAA{Hdr: hdr(name, dns.TypeAAAA), AAAA: net.ParseIP(a)})
		}
	}
	return out
}
