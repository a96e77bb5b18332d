// Package dnsq asks one DNS server directly (miekg/dns) for the addresses
// of a name, following CNAMEs. netx uses it to reach lab host names through
// a lab DNS server; dnsprobe uses it to report what a server answers.
package dnsq

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// maxHops bounds CNAME chains; real ones are two or three long.
const maxHops = 8

// Kind says how a lookup failed.
type Kind int

const (
	KindOther         Kind = iota
	KindNotFound           // NXDOMAIN: the name does not exist
	KindServerFailure      // SERVFAIL
	KindRefused            // REFUSED
	KindTimeout            // no answer in time
	KindUnreachable        // nothing listens at the server address
	KindCNAMELoop          // CNAMEs point in a circle or go on too long
	KindCanceled           // the caller gave up
)

// Error is a failed lookup.
type Error struct {
	Kind   Kind
	Name   string // the name that failed (may be a CNAME target)
	Server string
	Rcode  string // e.g. "SERVFAIL", when the server answered
	Err    error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("DNS lookup of %s at %s", e.Name, e.Server)
	if e.Rcode != "" {
		s += ": " + e.Rcode
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Result is a successful lookup. A name that exists but has no address
// (NODATA) is a Result with no A and no AAAA.
type Result struct {
	Name      string       // as asked, without trailing dot
	Server    string       // host:port that answered
	Chain     []string     // CNAME targets in order, without trailing dots
	Canonical string       // last name of the chain (Name when no CNAME)
	A         []netip.Addr // IPv4 addresses
	AAAA      []netip.Addr // IPv6 addresses
	RTT       time.Duration
}

// Addrs returns A then AAAA addresses.
func (r *Result) Addrs() []netip.Addr {
	out := make([]netip.Addr, 0, len(r.A)+len(r.AAAA))
	return append(append(out, r.A...), r.AAAA...)
}

// Resolve asks server (host:port) for A then AAAA records of name,
// following CNAMEs. timeout bounds each query; ctx bounds everything.
func Resolve(ctx context.Context, server, name string, timeout time.Duration) (*Result, error) {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	res := &Result{Name: name, Server: server, Canonical: name}
	start := time.Now()
	a, err := follow(ctx, server, name, dns.TypeA, timeout, res)
	if err != nil {
		return nil, err
	}
	res.A = a
	// The chain is already known; ask for AAAA at its end. A broken AAAA
	// answer does not spoil usable IPv4 addresses.
	aaaa, err := follow(ctx, server, res.Canonical, dns.TypeAAAA, timeout, nil)
	if err != nil && len(res.A) == 0 {
		return nil, err
	}
	res.AAAA = aaaa
	res.RTT = time.Since(start)
	return res, nil
}

// follow queries name for qtype and walks CNAMEs, re-asking at the end of
// the chain when the server did not include the final records. When res is
// not nil, it records the chain there.
func follow(ctx context.Context, server, name string, qtype uint16, timeout time.Duration, res *Result) ([]netip.Addr, error) {
	seen := map[string]bool{}
	current := name
	for hop := 0; hop < maxHops; hop++ {
		msg, err := Query(ctx, server, current, qtype, timeout)
		if err != nil {
			return nil, err
		}
		owner, addrs, err := walk(msg, current, qtype, seen, res)
		if err != nil {
			return nil, &Error{Kind: KindCNAMELoop, Name: name, Server: server, Err: err}
		}
		if len(addrs) > 0 || owner == current {
			return addrs, nil
		}
		current = owner // chain ended at a name without records in this answer
	}
	return nil, &Error{Kind: KindCNAMELoop, Name: name, Server: server,
		Err: fmt.Errorf("more than %d CNAME hops", maxHops)}
}

// walk reads one answer: it follows CNAMEs from name and collects the
// address records of the last name reached.
func walk(msg *dns.Msg, name string, qtype uint16, seen map[string]bool, res *Result) (string, []netip.Addr, error) {
	owner := dns.Fqdn(name)
	for i := 0; i <= maxHops; i++ {
		if seen[strings.ToLower(owner)] {
			return "", nil, fmt.Errorf("CNAME loop at %s", strings.TrimSuffix(owner, "."))
		}
		seen[strings.ToLower(owner)] = true
		target := ""
		for _, rr := range msg.Answer {
			if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, owner) {
				target = c.Target
				break
			}
		}
		if target == "" {
			break
		}
		owner = target
		if res != nil {
			t := strings.TrimSuffix(target, ".")
			res.Chain = append(res.Chain, t)
			res.Canonical = t
		}
	}
	var addrs []netip.Addr
	for _, rr := range msg.Answer {
		if !strings.EqualFold(rr.Header().Name, owner) {
			continue
		}
		switch v := rr.(type) {
		case *dns.A:
			if qtype == dns.TypeA {
				if ip, ok := netip.AddrFromSlice(v.A.To4()); ok {
					addrs = append(addrs, ip)
				}
			}
		case *dns.AAAA:
			if qtype == dns.TypeAAAA {
				if ip, ok := netip.AddrFromSlice(v.AAAA.To16()); ok {
					addrs = append(addrs, ip)
				}
			}
		}
	}
	delete(seen, strings.ToLower(owner)) // the end of the chain may be asked again
	return strings.TrimSuffix(owner, "."), addrs, nil
}

// Query sends one question to server over UDP (TCP when the answer is
// truncated) and turns error rcodes into *Error. NOERROR and NXDOMAIN
// without error are the only rcodes returned as a message.
func Query(ctx context.Context, server, name string, qtype uint16, timeout time.Duration) (*dns.Msg, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = true
	r, err := exchange(ctx, "udp", server, m, timeout)
	if err == nil && r.Truncated {
		r, err = exchange(ctx, "tcp", server, m, timeout)
	}
	if err != nil {
		return nil, classify(ctx, server, name, err)
	}
	switch r.Rcode {
	case dns.RcodeSuccess:
		return r, nil
	case dns.RcodeNameError:
		return nil, &Error{Kind: KindNotFound, Name: name, Server: server, Rcode: "NXDOMAIN"}
	case dns.RcodeServerFailure:
		return nil, &Error{Kind: KindServerFailure, Name: name, Server: server, Rcode: "SERVFAIL"}
	case dns.RcodeRefused:
		return nil, &Error{Kind: KindRefused, Name: name, Server: server, Rcode: "REFUSED"}
	default:
		return nil, &Error{Kind: KindOther, Name: name, Server: server, Rcode: dns.RcodeToString[r.Rcode]}
	}
}

func exchange(ctx context.Context, network, server string, m *dns.Msg, timeout time.Duration) (*dns.Msg, error) {
	c := &dns.Client{Net: network, Timeout: timeout}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := c.DialContext(dctx, server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// miekg/dns honours deadlines but not cancellation; closing the
	// connection makes a cancelled caller return at once.
	stop := context.AfterFunc(dctx, func() { conn.Close() })
	defer stop()
	r, _, err := c.ExchangeWithConnContext(dctx, m, conn)
	if err != nil && ctx.Err() == nil && errors.Is(dctx.Err(), context.DeadlineExceeded) {
		// Our own per-query limit ran out, whichever of the read deadline
		// or the close got there first.
		return nil, fmt.Errorf("no reply within %s: %w", timeout, context.DeadlineExceeded)
	}
	return r, err
}

func classify(ctx context.Context, server, name string, err error) error {
	e := &Error{Kind: KindOther, Name: name, Server: server, Err: err}
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind = KindCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout(), ctx.Err() != nil:
		e.Kind = KindTimeout
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Kind = KindUnreachable
	}
	return e
}
