package netx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// classify turns what net/http returned into an *Error naming the phase.
func (c *Client) classify(ctx context.Context, err error, u *url.URL, ph *phases) error {
	if e := Cause(err); e != nil {
		return e
	}
	host, hostPort := u.Hostname(), u.Host
	if e := ClassifyTLS(host, err); e != nil {
		return e
	}
	if _, ok := errorsAs[tls.RecordHeaderError](err); ok || strings.Contains(err.Error(), "HTTP response to HTTPS client") {
		return &Error{Kind: KindTLSNotTLS, Target: hostPort, Err: err,
			Message: fmt.Sprintf("%s did not answer with TLS", hostPort),
			Hint:    "the port serves plain HTTP or another protocol: check the URL scheme and port"}
	}
	msg := err.Error()
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return &Error{Kind: KindCanceled, Target: u.String(), Err: err, Message: fmt.Sprintf("request to %s was cancelled", u)}
	case strings.Contains(msg, "TLS handshake timeout"), isTimeout(ctx, err) && ph.tlsStarted.Load() && !ph.tlsDone.Load():
		return &Error{Kind: KindTLSTimeout, Target: hostPort, Err: err,
			Message: fmt.Sprintf("TLS handshake with %s did not finish within %s", hostPort, ph.applied(c.cfg.TLSTimeout)),
			Hint:    "the port accepts connections but does not speak TLS promptly: wrong port, a stuck server or a middlebox"}
	case strings.Contains(msg, "timeout awaiting response headers"), isTimeout(ctx, err) && ph.wrote.Load() && !ph.firstByte.Load():
		return &Error{Kind: KindHeaderTimeout, Target: u.String(), Err: err,
			Message: fmt.Sprintf("no response headers from %s within %s of sending the request", hostPort, ph.applied(c.cfg.HeaderTimeout)),
			Hint:    "the server, or a proxy in between, is hung or overloaded"}
	case isTimeout(ctx, err):
		return &Error{Kind: KindTimeout, Target: u.String(), Err: err,
			Message: fmt.Sprintf("GET %s did not complete within %s", u, ph.applied(c.cfg.Timeout)),
			Hint:    "the server answers too slowly"}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		strings.Contains(msg, "server closed"), strings.Contains(msg, "connection reset"):
		return &Error{Kind: KindConnectionClosed, Target: hostPort, Err: err,
			Message: fmt.Sprintf("%s closed the connection before a full response", hostPort),
			Hint:    "a load balancer, proxy or the server dropped the request; if it repeats, check the server's logs"}
	}
	if he := (tls.AlertError(0)); errors.As(err, &he) {
		return &Error{Kind: KindTLSHandshake, Target: hostPort, Err: err,
			Message: fmt.Sprintf("TLS handshake with %s failed: the server sent alert %q", hostPort, he.Error()),
			Hint:    "the server may accept only old TLS versions or ciphers, or require a client certificate"}
	}
	if ph.tlsStarted.Load() && !ph.tlsDone.Load() {
		return &Error{Kind: KindTLSHandshake, Target: hostPort, Err: err,
			Message: fmt.Sprintf("TLS handshake with %s failed: %v", hostPort, err),
			Hint:    "protocol or cipher mismatch (the server may offer only TLS 1.0/1.1), or a middlebox interfering"}
	}
	return &Error{Kind: KindHTTP, Target: u.String(), Err: err, Message: fmt.Sprintf("GET %s failed: %v", u, unwrapURL(err))}
}

func isTimeout(ctx context.Context, err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func unwrapURL(err error) error {
	if ue, ok := errorsAs[*url.Error](err); ok {
		return ue.Err
	}
	return err
}

// ClassifyTLS names a certificate verification failure for host, or
// returns nil when err is not one. Wrap x509 errors in a
// *tls.CertificateVerificationError carrying the presented chain so a
// self-signed leaf can be told from an untrusted CA.
func ClassifyTLS(host string, err error) *Error {
	if err == nil {
		return nil
	}
	subject := "the certificate for " + host
	if ua, ok := errorsAs[x509.UnknownAuthorityError](err); ok {
		// The leaf decides: a CA-issued leaf whose chain ends in an
		// untrusted self-signed root is "unknown authority", not self-signed.
		leaf := ua.Cert
		if cv, ok := errorsAs[*tls.CertificateVerificationError](err); ok && len(cv.UnverifiedCertificates) > 0 {
			leaf = cv.UnverifiedCertificates[0]
		}
		if leaf != nil && IsSelfSigned(leaf) {
			return &Error{Kind: KindTLSSelfSigned, Target: host, Err: err,
				Message: fmt.Sprintf("TLS: %s is self-signed (%s)", subject, leaf.Subject.CommonName),
				Hint:    "bind a certificate from a trusted CA, or trust this one via tls.ca_file"}
		}
		issuer := ""
		if leaf != nil {
			issuer = fmt.Sprintf(" (issuer %q)", leaf.Issuer.String())
		}
		return &Error{Kind: KindTLSUnknownAuth, Target: host, Err: err,
			Message: fmt.Sprintf("TLS: %s is signed by an unknown authority%s", subject, issuer),
			Hint:    "is the issuing CA trusted on this machine? set tls.ca_file"}
	}
	if hn, ok := errorsAs[x509.HostnameError](err); ok {
		names := "no names"
		if hn.Certificate != nil {
			names = strings.Join(CertNames(hn.Certificate), ", ")
		}
		return &Error{Kind: KindTLSNameMismatch, Target: host, Err: err,
			Message: fmt.Sprintf("TLS: the certificate presented for %s does not cover that name (it covers %s)", host, names),
			Hint:    "use a name that is on the certificate, or reissue it with this name as a SAN"}
	}
	if ci, ok := errorsAs[x509.CertificateInvalidError](err); ok && ci.Reason == x509.Expired && ci.Cert != nil {
		now := time.Now()
		if now.Before(ci.Cert.NotBefore) {
			return &Error{Kind: KindTLSNotYetValid, Target: host, Err: err,
				Message: fmt.Sprintf("TLS: %s is not valid before %s", subject, ci.Cert.NotBefore.UTC().Format(time.DateTime+" MST")),
				Hint:    "check the clock on this machine and on the server"}
		}
		return &Error{Kind: KindTLSExpired, Target: host, Err: err,
			Message: fmt.Sprintf("TLS: %s expired on %s", subject, ci.Cert.NotAfter.UTC().Format(time.DateTime+" MST")),
			Hint:    "renew it and bind the new certificate on the server"}
	}
	if _, ok := errorsAs[*tls.CertificateVerificationError](err); ok {
		return &Error{Kind: KindTLSInvalid, Target: host, Err: err,
			Message: fmt.Sprintf("TLS: %s failed verification: %v", subject, unwrapVerification(err)),
			Hint:    "the certificate is not usable for a TLS server (key usage, chain or signature)"}
	}
	return nil
}

func unwrapVerification(err error) error {
	if cv, ok := errorsAs[*tls.CertificateVerificationError](err); ok && cv.Err != nil {
		return cv.Err
	}
	return err
}

// IsSelfSigned reports whether cert names itself as issuer and its
// signature checks with its own key.
func IsSelfSigned(cert *x509.Certificate) bool {
	if string(cert.RawIssuer) != string(cert.RawSubject) {
		return false
	}
	return cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) == nil
}

// CertNames lists the DNS and IP SANs of cert, or its common name when it
// has no SANs.
func CertNames(cert *x509.Certificate) []string {
	out := append([]string(nil), cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		out = append(out, ip.String())
	}
	if len(out) == 0 && cert.Subject.CommonName != "" {
		out = append(out, "CN="+cert.Subject.CommonName)
	}
	return out
}
