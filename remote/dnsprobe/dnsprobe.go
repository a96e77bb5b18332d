// Package dnsprobe looks up the names a partner-application trust depends
// on (autodiscover, the Exchange and pool FQDNs) and reports what the DNS
// answered: the CNAME chain, the addresses, which server said so, and when
// it fails, whether the name does not exist (NXDOMAIN), exists without an
// address, the server failed (SERVFAIL), refused, or never answered.
package dnsprobe

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/netx"
)

// Answer is what the DNS said about a name.
type Answer struct {
	Name      string
	Server    string   // DNS server host:port, or netx.SystemResolver
	Chain     []string // CNAME targets in order
	Canonical string   // last name of the chain, or Name
	A         []netip.Addr
	AAAA      []netip.Addr
	RTT       time.Duration
}

// Addrs returns the IPv4 then the IPv6 addresses.
func (a *Answer) Addrs() []netip.Addr {
	return append(append([]netip.Addr(nil), a.A...), a.AAAA...)
}

// String renders the answer on one line, e.g.
// "autodiscover.contoso.com -> CNAME mail.contoso.com -> 10.0.0.5 (DNS server 10.0.0.1:53)".
func (a *Answer) String() string {
	var b strings.Builder
	b.WriteString(a.Name)
	for _, c := range a.Chain {
		b.WriteString(" -> CNAME " + c)
	}
	addrs := a.Addrs()
	if len(addrs) == 0 {
		b.WriteString(" -> no address")
	} else {
		parts := make([]string, len(addrs))
		for i, ip := range addrs {
			parts[i] = ip.String()
		}
		b.WriteString(" -> " + strings.Join(parts, ", "))
	}
	if a.Server == netx.SystemResolver {
		b.WriteString(" (system resolver)")
	} else {
		b.WriteString(" (DNS server " + a.Server + ")")
	}
	return b.String()
}

// Lookup resolves name through cfg.DNSServer (or the system resolver),
// A then AAAA, following CNAMEs. Errors are *netx.Error with a DNS kind:
// KindDNSNotFound, KindDNSServerFailure, KindDNSRefused, KindDNSTimeout,
// KindDNSUnreachable, KindDNS. A name that exists without any address
// returns the Answer (with its chain) and a KindDNSNoAddress error.
func Lookup(ctx context.Context, cfg netx.Config, name string) (*Answer, error) {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if err := checkName(name); err != nil {
		return nil, err
	}
	r, err := netx.ResolveAll(ctx, cfg, name)
	if err != nil {
		return nil, err
	}
	a := &Answer{Name: r.Name, Server: r.Server, Chain: r.Chain, Canonical: r.Canonical, A: r.A, AAAA: r.AAAA, RTT: r.RTT}
	if len(a.A)+len(a.AAAA) == 0 {
		where := "the system resolver"
		if a.Server != netx.SystemResolver {
			where = "DNS server " + a.Server
		}
		what := name
		if len(a.Chain) > 0 {
			what = fmt.Sprintf("%s (CNAME to %s)", name, a.Canonical)
		}
		return a, &netx.Error{Kind: netx.KindDNSNoAddress, Target: name, Server: a.Server,
			Message: fmt.Sprintf("%s exists at %s but has no A or AAAA record", what, where),
			Hint:    "add an address record for it"}
	}
	return a, nil
}

// checkName rejects strings that cannot be host names, so a typo in the
// profile is named as such rather than sent to the DNS.
func checkName(name string) error {
	bad := func(why string) error {
		return &netx.Error{Kind: netx.KindBadURL, Target: name,
			Message: fmt.Sprintf("%q is not a valid host name: %s", name, why),
			Hint:    "expected e.g. autodiscover.contoso.com"}
	}
	if name == "" {
		return bad("it is empty")
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return nil
	}
	if len(name) > 253 {
		return bad("longer than 253 characters")
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return bad("a label is empty or longer than 63 characters")
		}
		for _, r := range label {
			ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
			if !ok {
				return bad(fmt.Sprintf("it contains %q", r))
			}
		}
	}
	return nil
}
