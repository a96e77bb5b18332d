package netx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/internal/dnsq"
)

// SystemResolver is the Resolution.Server value when the operating
// system's resolver answered.
const SystemResolver = "system"

// Resolution is the outcome of a successful name lookup.
type Resolution struct {
	Name      string       // as asked
	Server    string       // DNS server host:port, or SystemResolver
	Chain     []string     // CNAME targets in order (system resolver: at most the final one)
	Canonical string       // the last name of the chain, or Name
	A         []netip.Addr // IPv4
	AAAA      []netip.Addr // IPv6
	RTT       time.Duration
}

// Addrs returns the IPv4 addresses, then the IPv6 ones.
func (r *Resolution) Addrs() []netip.Addr {
	out := make([]netip.Addr, 0, len(r.A)+len(r.AAAA))
	return append(append(out, r.A...), r.AAAA...)
}

// Resolve looks up the A then AAAA records of host, following CNAMEs,
// through cfg.DNSServer or the system resolver. An IP literal resolves to
// itself. A name without any address is a KindDNSNoAddress error; use
// ResolveAll to get such an answer as a Resolution instead.
func Resolve(ctx context.Context, cfg Config, host string) (*Resolution, error) {
	r, err := ResolveAll(ctx, cfg, host)
	if err != nil {
		return nil, err
	}
	if len(r.A)+len(r.AAAA) == 0 {
		return r, &Error{Kind: KindDNSNoAddress, Target: host, Server: r.Server,
			Message: fmt.Sprintf("%s exists at %s but has no A or AAAA record", host, serverPhrase(r.Server)),
			Hint:    "add an address record (or a CNAME to a host that has one)"}
	}
	return r, nil
}

// ResolveAll is Resolve, except that a name with no address is a
// Resolution with empty A and AAAA rather than an error.
func ResolveAll(ctx context.Context, cfg Config, host string) (*Resolution, error) {
	cfg = cfg.WithDefaults()
	host = strings.TrimSuffix(strings.TrimSpace(host), ".")
	if host == "" {
		return nil, &Error{Kind: KindBadURL, Message: "empty host name", Hint: "check the profile"}
	}
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		r := &Resolution{Name: host, Server: "literal", Canonical: host}
		if ip.Unmap().Is4() {
			r.A = []netip.Addr{ip.Unmap()}
		} else {
			r.AAAA = []netip.Addr{ip}
		}
		return r, nil
	}
	if cfg.DNSServer == "" {
		return resolveSystem(ctx, cfg, host)
	}
	res, err := dnsq.Resolve(ctx, cfg.DNSServer, host, cfg.DNSTimeout)
	if err != nil {
		return nil, fromDNSQ(err, host, cfg)
	}
	return &Resolution{Name: res.Name, Server: res.Server, Chain: res.Chain,
		Canonical: res.Canonical, A: res.A, AAAA: res.AAAA, RTT: res.RTT}, nil
}

func serverPhrase(server string) string {
	if server == SystemResolver {
		return "the system resolver"
	}
	return "DNS server " + server
}

func fromDNSQ(err error, host string, cfg Config) error {
	var q *dnsq.Error
	if !errors.As(err, &q) {
		return &Error{Kind: KindDNS, Target: host, Server: cfg.DNSServer, Err: err,
			Message: fmt.Sprintf("DNS lookup of %s at DNS server %s failed: %v", host, cfg.DNSServer, err)}
	}
	e := &Error{Kind: KindDNS, Target: host, Server: q.Server, Err: err}
	at := "DNS server " + q.Server
	switch q.Kind {
	case dnsq.KindNotFound:
		e.Kind, e.Message = KindDNSNotFound, fmt.Sprintf("no such host %s at %s", q.Name, at)
		e.Hint = "check the spelling, and that the zone holds a record for it"
	case dnsq.KindServerFailure:
		e.Kind, e.Message = KindDNSServerFailure, fmt.Sprintf("%s failed to resolve %s (SERVFAIL)", at, q.Name)
		e.Hint = "the server could not get an answer itself: broken delegation, forwarder or DNSSEC"
	case dnsq.KindRefused:
		e.Kind, e.Message = KindDNSRefused, fmt.Sprintf("%s refused to answer for %s", at, q.Name)
		e.Hint = "it does not resolve that zone for this client; ask the internal DNS server instead"
	case dnsq.KindTimeout:
		e.Kind, e.Message = KindDNSTimeout, fmt.Sprintf("no answer from %s for %s within %s", at, q.Name, cfg.DNSTimeout)
		e.Hint = "is the server reachable from here on UDP 53, or is a firewall dropping DNS?"
	case dnsq.KindUnreachable:
		e.Kind, e.Message = KindDNSUnreachable, fmt.Sprintf("nothing answers DNS at %s", q.Server)
		e.Hint = "check the DNS server address and port"
	case dnsq.KindCanceled:
		e.Kind, e.Message = KindCanceled, fmt.Sprintf("DNS lookup of %s was cancelled", host)
	default:
		e.Message = fmt.Sprintf("DNS lookup of %s at %s failed: %v", host, at, q)
		if q.Kind == dnsq.KindCNAMELoop {
			e.Hint = "the CNAME records point in a circle; fix the zone"
		}
	}
	return e
}

func resolveSystem(ctx context.Context, cfg Config, host string) (*Resolution, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, 2*cfg.DNSTimeout)
	defer cancel()
	var rv net.Resolver
	ips, err := rv.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fromSystem(ctx, err, host, cfg)
	}
	r := &Resolution{Name: host, Server: SystemResolver, Canonical: host}
	if cname, err := rv.LookupCNAME(ctx, host); err == nil {
		cname = strings.TrimSuffix(cname, ".")
		if cname != "" && !strings.EqualFold(cname, host) {
			r.Chain, r.Canonical = []string{cname}, cname
		}
	}
	for _, ip := range ips {
		a, ok := netip.AddrFromSlice(ip.IP)
		if !ok {
			continue
		}
		if a.Unmap().Is4() {
			r.A = append(r.A, a.Unmap())
		} else {
			r.AAAA = append(r.AAAA, a)
		}
	}
	r.RTT = time.Since(start)
	return r, nil
}

func fromSystem(ctx context.Context, err error, host string, cfg Config) error {
	e := &Error{Kind: KindDNS, Target: host, Server: SystemResolver, Err: err,
		Message: fmt.Sprintf("DNS lookup of %s at the system resolver failed: %v", host, err)}
	var de *net.DNSError
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind, e.Message = KindCanceled, fmt.Sprintf("DNS lookup of %s was cancelled", host)
	case errors.As(err, &de) && de.IsNotFound:
		e.Kind, e.Message = KindDNSNotFound, fmt.Sprintf("no such host %s at the system resolver", host)
		e.Hint = "check the spelling, and that this machine uses a DNS server that knows the zone"
	case errors.As(err, &de) && de.IsTimeout, ctx.Err() != nil:
		e.Kind, e.Message = KindDNSTimeout, fmt.Sprintf("no DNS answer for %s within %s", host, 2*cfg.DNSTimeout)
		e.Hint = "are this machine's DNS servers reachable?"
	case errors.As(err, &de) && de.IsTemporary:
		e.Kind, e.Message = KindDNSServerFailure, fmt.Sprintf("the DNS server failed to resolve %s", host)
		e.Hint = "the server could not get an answer itself: broken delegation or forwarder"
	}
	return e
}
