package netx

import (
	"errors"
	"strings"
)

// Kind names a class of failure. The values are stable strings: the
// engine matches them to pitfalls and JSON output carries them.
type Kind string

const (
	KindDNSNotFound        Kind = "dns-not-found"         // NXDOMAIN
	KindDNSNoAddress       Kind = "dns-no-address"        // the name exists but has no A/AAAA
	KindDNSServerFailure   Kind = "dns-server-failure"    // SERVFAIL or "server misbehaving"
	KindDNSRefused         Kind = "dns-refused"           // REFUSED
	KindDNSTimeout         Kind = "dns-timeout"           // no answer in time
	KindDNSUnreachable     Kind = "dns-unreachable"       // nothing listens at the DNS server address
	KindDNS                Kind = "dns-error"             // any other DNS failure (CNAME loop...)
	KindConnectRefused     Kind = "connect-refused"       // RST: nothing listens on the port
	KindConnectTimeout     Kind = "connect-timeout"       // SYN unanswered
	KindConnectUnreachable Kind = "connect-unreachable"   // no route
	KindConnect            Kind = "connect-error"         // other TCP failures
	KindTLSNotTLS          Kind = "tls-not-tls"           // the port speaks something else
	KindTLSUnknownAuth     Kind = "tls-unknown-authority" // chain does not lead to a trusted root
	KindTLSSelfSigned      Kind = "tls-self-signed"       // the certificate signs itself
	KindTLSExpired         Kind = "tls-expired"
	KindTLSNotYetValid     Kind = "tls-not-yet-valid"
	KindTLSNameMismatch    Kind = "tls-name-mismatch"
	KindTLSInvalid         Kind = "tls-invalid-certificate" // other verification failures (key usage, bad chain…)
	KindTLSHandshake       Kind = "tls-handshake"           // other handshake failures
	KindTLSTimeout         Kind = "tls-timeout"
	KindHeaderTimeout      Kind = "header-timeout"
	KindBodyTimeout        Kind = "body-timeout"
	KindTimeout            Kind = "timeout" // the whole request ran out of time
	KindCanceled           Kind = "canceled"
	KindBodyTooLarge       Kind = "body-too-large"
	KindTooManyRedirects   Kind = "too-many-redirects"
	KindRedirectLoop       Kind = "redirect-loop"
	KindInsecureRedirect   Kind = "insecure-redirect" // an https URL redirected to plain http: refused
	KindConnectionClosed   Kind = "connection-closed" // closed or reset before a full response
	KindHTTP               Kind = "http-error"        // other protocol failures
	KindBadURL             Kind = "bad-url"
	KindConfig             Kind = "config"
)

// IsDNS reports whether k is a name-resolution failure.
func (k Kind) IsDNS() bool { return strings.HasPrefix(string(k), "dns-") }

// IsTLS reports whether k is a TLS failure.
func (k Kind) IsTLS() bool { return strings.HasPrefix(string(k), "tls-") }

// IsTimeout reports whether k is any kind of timeout.
func (k Kind) IsTimeout() bool { return strings.HasSuffix(string(k), "timeout") }

// Error is a probe failure: what failed, on what, and the probable why.
type Error struct {
	Kind    Kind
	Target  string // the host, host:port or URL concerned
	Server  string // the DNS server asked, when relevant
	Message string // what failed on what, e.g. "no such host x at DNS server y"
	Hint    string // probable cause or what to do; may be empty
	Err     error  // the underlying error, if any
}

func (e *Error) Error() string {
	if e.Hint == "" {
		return e.Message
	}
	return e.Message + " (" + e.Hint + ")"
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of the first *Error in err's chain, or "" when
// err is nil or not from this package.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// Cause returns the *Error in err's chain, or nil.
func Cause(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
