package netx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// Dialer opens TCP connections to host:port, resolving names the way the
// Config says (never through the system resolver when a DNS server is set).
type Dialer struct{ cfg Config }

// NewDialer returns a Dialer for cfg.
func NewDialer(cfg Config) *Dialer { return &Dialer{cfg: cfg.WithDefaults()} }

// DialContext resolves addr's host and tries its addresses in order (IPv4
// first), each attempt bounded by DialTimeout. Failures are *Error.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Target: addr, Err: err,
			Message: fmt.Sprintf("bad address %q: %v", addr, err)}
	}
	res, err := Resolve(ctx, d.cfg, host)
	if err != nil {
		return nil, err
	}
	var first error
	for _, ip := range res.Addrs() {
		conn, err := d.dialOne(ctx, network, host, ip, port)
		if err == nil {
			return conn, nil
		}
		if first == nil || KindOf(err) == KindCanceled {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

func (d *Dialer) dialOne(ctx context.Context, network, host string, ip netip.Addr, port string) (net.Conn, error) {
	nd := net.Dialer{Timeout: d.cfg.DialTimeout}
	target := net.JoinHostPort(ip.String(), port)
	conn, err := nd.DialContext(ctx, network, target)
	if err == nil {
		return conn, nil
	}
	what := net.JoinHostPort(host, port)
	if host != ip.String() {
		what += " (" + ip.String() + ")"
	}
	e := &Error{Kind: KindConnect, Target: net.JoinHostPort(host, port), Err: err,
		Message: fmt.Sprintf("cannot connect to %s: %v", what, shortErr(err))}
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind, e.Message = KindCanceled, fmt.Sprintf("connecting to %s was cancelled", what)
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Kind, e.Message = KindConnectRefused, fmt.Sprintf("connection to %s refused", what)
		e.Hint = fmt.Sprintf("nothing listens on port %s there: is the service running and the port right?", port)
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		e.Kind, e.Message = KindConnectTimeout, fmt.Sprintf("no TCP connection to %s within %s", what, d.cfg.DialTimeout)
		e.Hint = "a firewall may be dropping the traffic, or the address is wrong"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		e.Kind, e.Message = KindConnectUnreachable, fmt.Sprintf("no route to %s", what)
		e.Hint = "this machine has no network path to that address (VPN, routing, IPv6 without connectivity?)"
	}
	return nil, e
}

// shortErr drops the "dial tcp a:b:" prefix the net package adds, which
// repeats what our message already says.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}
