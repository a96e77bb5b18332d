// Package netx is how ucpilot's zero-credential probes reach the network:
// one Config value chooses the DNS server (a lab's on loopback, or the
// system resolver), the trusted roots and the timeouts; from it come a
// resolver, a dialer and a hardened HTTP client that caps bodies, bounds
// every phase in time, limits redirects and turns failures into specific,
// human errors (*Error). It knows nothing of the knowledge base.
package netx

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"time"
)

// Defaults used when a Config field is zero.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultDialTimeout   = 10 * time.Second
	DefaultTLSTimeout    = 10 * time.Second
	DefaultHeaderTimeout = 15 * time.Second
	DefaultBodyTimeout   = 20 * time.Second
	DefaultDNSTimeout    = 4 * time.Second
	DefaultMaxBody       = 1 << 20
	DefaultMaxRedirects  = 3
	DefaultUserAgent     = "ucpilot"
)

// Config configures every probe. The zero value means: system resolver,
// system roots, verification on, default timeouts.
type Config struct {
	// DNSServer is "host:port" (or "host", port 53) of the DNS server to
	// ask directly; "" uses the system resolver.
	DNSServer string
	// RootCAs replaces the system roots when not nil.
	RootCAs *x509.CertPool
	// CAFile names a PEM file whose certificates are trusted in addition
	// to RootCAs (or to the system roots when RootCAs is nil).
	CAFile string
	// Insecure turns certificate verification off. Results carry a flag
	// saying so, and the UI must warn.
	Insecure bool

	Timeout       time.Duration // whole request, body included
	DialTimeout   time.Duration // each TCP connection attempt
	TLSTimeout    time.Duration // TLS handshake
	HeaderTimeout time.Duration // from request sent to response headers read
	BodyTimeout   time.Duration // from headers read to body fully read
	DNSTimeout    time.Duration // each DNS query

	MaxBody      int64  // body cap in bytes
	MaxRedirects int    // redirects followed; negative = follow none
	UserAgent    string // sent with every request
	UseProxyEnv  bool   // honour HTTPS_PROXY / NO_PROXY (off: connect directly)
}

// WithDefaults returns c with every zero field set to its default and the
// DNS server given a port.
func (c Config) WithDefaults() Config {
	setDur := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	setDur(&c.Timeout, DefaultTimeout)
	setDur(&c.DialTimeout, DefaultDialTimeout)
	setDur(&c.TLSTimeout, DefaultTLSTimeout)
	setDur(&c.HeaderTimeout, DefaultHeaderTimeout)
	setDur(&c.BodyTimeout, DefaultBodyTimeout)
	setDur(&c.DNSTimeout, DefaultDNSTimeout)
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxRedirects == 0 {
		c.MaxRedirects = DefaultMaxRedirects
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.DNSServer != "" {
		if _, _, err := net.SplitHostPort(c.DNSServer); err != nil {
			c.DNSServer = net.JoinHostPort(c.DNSServer, "53")
		}
	}
	return c
}

// ResolverName says which resolver answers: the configured server or
// "the system resolver". It is meant for messages.
func (c Config) ResolverName() string {
	if c.DNSServer == "" {
		return "the system resolver"
	}
	return "DNS server " + c.WithDefaults().DNSServer
}

// Roots returns the pool to verify servers against: RootCAs or the
// system pool, plus CAFile. nil with no error means "system roots".
func (c Config) Roots() (*x509.CertPool, error) {
	if c.CAFile == "" {
		return c.RootCAs, nil
	}
	pem, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, &Error{Kind: KindConfig, Target: c.CAFile, Err: err,
			Message: fmt.Sprintf("cannot read CA file %s", c.CAFile),
			Hint:    "check the path in tls.ca_file"}
	}
	pool := c.RootCAs
	if pool == nil {
		if pool, err = x509.SystemCertPool(); err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
	} else {
		pool = pool.Clone()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &Error{Kind: KindConfig, Target: c.CAFile,
			Message: fmt.Sprintf("CA file %s holds no PEM certificate", c.CAFile),
			Hint:    "export the CA certificate as Base-64 (PEM), not DER or PFX"}
	}
	return pool, nil
}

// TLSConfig returns the client TLS settings for serverName (used for SNI
// and name checks, never the IP address dialled).
func (c Config) TLSConfig(serverName string) (*tls.Config, error) {
	roots, err := c.Roots()
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		ServerName:         serverName,
		RootCAs:            roots,
		InsecureSkipVerify: c.Insecure, //nolint:gosec // explicit user choice, flagged in every result
	}, nil
}
