// Package tlsprobe looks at the certificate a server presents and reports
// it in full — subject, names, validity, thumbprint, key — together with
// every verification problem (expired, not yet valid, wrong name, unknown
// CA, self-signed). It dials with verification off on purpose: a failed
// verification must still show the certificate that caused it.
package tlsprobe

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/netx"
)

// CertInfo describes one certificate of the presented chain.
type CertInfo struct {
	Subject            string
	Issuer             string
	CommonName         string
	DNSNames           []string
	IPAddresses        []string
	NotBefore          time.Time
	NotAfter           time.Time
	DaysLeft           int    // whole days until NotAfter, rounded toward zero; negative once expired by a day
	Thumbprint         string // SHA-1, uppercase hex, as Windows shows it
	SHA256             string // uppercase hex
	Serial             string // uppercase hex
	KeyType            string // "RSA", "ECDSA", "Ed25519"
	KeyBits            int
	SignatureAlgorithm string
	IsCA               bool
	SelfSigned         bool
	Cert               *x509.Certificate `json:"-"`
}

// Problem is one reason the certificate would be rejected.
type Problem struct {
	Kind    netx.Kind // KindTLSExpired, KindTLSNotYetValid, KindTLSNameMismatch, KindTLSUnknownAuth, KindTLSSelfSigned, KindTLSInvalid
	Message string    // what and probable why, ready to show
}

// CertReport is the outcome of Inspect.
type CertReport struct {
	Host        string
	Port        int
	RemoteAddr  string // IP:port that answered
	TLSVersion  string // "TLS 1.3"
	CipherSuite string
	Leaf        CertInfo
	Chain       []CertInfo // as presented, leaf first
	Verified    bool       // no problems
	Problems    []Problem
	Insecure    bool // the Config had verification off (the report still judges)
	CheckedAt   time.Time
}

// Has reports whether the report lists a problem of kind k.
func (r *CertReport) Has(k netx.Kind) bool {
	for _, p := range r.Problems {
		if p.Kind == k {
			return true
		}
	}
	return false
}

// Inspect connects to host:port (port 0 means 443), resolving host as
// cfg says, completes a TLS handshake with host as SNI, and judges the
// presented chain against cfg's roots for the name host. Errors (a
// *netx.Error) mean no certificate was obtained at all.
func Inspect(ctx context.Context, cfg netx.Config, host string, port int) (*CertReport, error) {
	cfg = cfg.WithDefaults()
	if port == 0 {
		port = 443
	}
	roots, err := cfg.Roots()
	if err != nil {
		return nil, err
	}
	state, remote, err := handshake(ctx, cfg, host, port)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	rep := &CertReport{Host: host, Port: port, RemoteAddr: remote, TLSVersion: tls.VersionName(state.Version),
		CipherSuite: tls.CipherSuiteName(state.CipherSuite), Insecure: cfg.Insecure, CheckedAt: now}
	for _, c := range state.PeerCertificates {
		rep.Chain = append(rep.Chain, Describe(c, now))
	}
	rep.Leaf = rep.Chain[0]
	rep.Problems = Judge(state.PeerCertificates, host, roots, now)
	rep.Verified = len(rep.Problems) == 0
	return rep, nil
}

func handshake(ctx context.Context, cfg netx.Config, host string, port int) (tls.ConnectionState, string, error) {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	conn, err := netx.NewDialer(cfg).DialContext(ctx, "tcp", addr)
	if err != nil {
		return tls.ConnectionState{}, "", err
	}
	defer conn.Close()
	tc := tls.Client(conn, &tls.Config{ServerName: host, InsecureSkipVerify: true}) //nolint:gosec // verified by Judge
	hctx, cancel := context.WithTimeout(ctx, cfg.TLSTimeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		return tls.ConnectionState{}, "", handshakeError(hctx, ctx, addr, cfg.TLSTimeout, err)
	}
	state := tc.ConnectionState()
	if len(state.PeerCertificates) == 0 {
		return state, "", &netx.Error{Kind: netx.KindTLSHandshake, Target: addr,
			Message: fmt.Sprintf("%s completed TLS without presenting a certificate", addr)}
	}
	return state, conn.RemoteAddr().String(), nil
}

func handshakeError(hctx, ctx context.Context, addr string, limit time.Duration, err error) error {
	e := &netx.Error{Kind: netx.KindTLSHandshake, Target: addr, Err: err,
		Message: fmt.Sprintf("TLS handshake with %s failed: %v", addr, err),
		Hint:    "protocol or cipher mismatch (the server may offer only TLS 1.0/1.1), or a middlebox interfering"}
	var rh tls.RecordHeaderError
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		e.Kind, e.Message, e.Hint = netx.KindCanceled, fmt.Sprintf("TLS handshake with %s was cancelled", addr), ""
	case errors.As(err, &rh):
		e.Kind, e.Message = netx.KindTLSNotTLS, fmt.Sprintf("%s did not answer with TLS", addr)
		e.Hint = "the port serves plain HTTP or another protocol: check the port"
	case hctx.Err() != nil:
		e.Kind, e.Message = netx.KindTLSTimeout, fmt.Sprintf("TLS handshake with %s did not finish within %s", addr, limit)
		e.Hint = "the port accepts connections but does not speak TLS promptly: wrong port, a stuck server or a middlebox"
	case errors.Is(err, io.EOF):
		e.Message = fmt.Sprintf("%s closed the connection during the TLS handshake", addr)
		e.Hint = "it may not know this name (SNI), or accept only TLS versions this client refuses"
	}
	return e
}

// Judge lists every problem with chain (leaf first) for host, at time now,
// against roots (nil = system roots). Dates and the name are checked on
// their own so that an expired certificate with a wrong name shows both.
func Judge(chain []*x509.Certificate, host string, roots *x509.CertPool, now time.Time) []Problem {
	if len(chain) == 0 {
		return []Problem{{Kind: netx.KindTLSInvalid, Message: "no certificate was presented"}}
	}
	leaf := chain[0]
	wrap := func(err error) *netx.Error {
		return netx.ClassifyTLS(host, &tls.CertificateVerificationError{UnverifiedCertificates: chain, Err: err})
	}
	var out []Problem
	add := func(e *netx.Error) {
		if e != nil {
			out = append(out, Problem{Kind: e.Kind, Message: e.Error()})
		}
	}
	validNow := !now.Before(leaf.NotBefore) && !now.After(leaf.NotAfter)
	if !validNow {
		add(wrap(x509.CertificateInvalidError{Cert: leaf, Reason: x509.Expired}))
	}
	if err := leaf.VerifyHostname(strings.Trim(host, "[]")); err != nil {
		add(wrap(err))
	}
	// Judge trust at a moment the leaf is valid, so an expired leaf from
	// an unknown CA reports both findings.
	at := now
	if !validNow {
		at = leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	var ci x509.CertificateInvalidError
	switch {
	case err == nil:
	case errors.As(err, &ci) && ci.Reason == x509.Expired && ci.Cert != nil && ci.Cert != leaf:
		// A CA certificate of the chain is out of its validity period. At
		// a shifted time that says nothing; at the real time it is a finding.
		if validNow {
			out = append(out, Problem{Kind: netx.KindTLSExpired, Message: fmt.Sprintf(
				"TLS: the CA certificate %q in the chain for %s is outside its validity (%s to %s) (renew the CA certificate or the chain the server sends)",
				ci.Cert.Subject.CommonName, host, ci.Cert.NotBefore.UTC().Format(time.DateOnly), ci.Cert.NotAfter.UTC().Format(time.DateOnly))})
		}
	default:
		add(wrap(err))
	}
	return out
}

// Describe summarises cert as of now.
func Describe(c *x509.Certificate, now time.Time) CertInfo {
	sum := sha256.Sum256(c.Raw)
	info := CertInfo{
		Subject: c.Subject.String(), Issuer: c.Issuer.String(), CommonName: c.Subject.CommonName,
		DNSNames: c.DNSNames, NotBefore: c.NotBefore, NotAfter: c.NotAfter,
		DaysLeft:   int(math.Trunc(c.NotAfter.Sub(now).Hours() / 24)),
		Thumbprint: thumbprint(c.Raw), SHA256: strings.ToUpper(hex.EncodeToString(sum[:])),
		SignatureAlgorithm: c.SignatureAlgorithm.String(), IsCA: c.IsCA, SelfSigned: netx.IsSelfSigned(c), Cert: c,
	}
	if c.SerialNumber != nil {
		info.Serial = strings.ToUpper(c.SerialNumber.Text(16))
	}
	for _, ip := range c.IPAddresses {
		info.IPAddresses = append(info.IPAddresses, ip.String())
	}
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		info.KeyType, info.KeyBits = "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		info.KeyType, info.KeyBits = "ECDSA", k.Curve.Params().BitSize
	case ed25519.PublicKey:
		info.KeyType, info.KeyBits = "Ed25519", 256
	default:
		info.KeyType = fmt.Sprintf("%T", k)
	}
	return info
}
