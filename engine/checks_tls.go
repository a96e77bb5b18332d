package engine

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/ucpilot/ucpilot/remote/netx"
)

// checkTLS completes a handshake without verifying, so the certificate
// can be shown whatever is wrong with it, then verifies the chain and name
// itself against the configured roots and judges the dates.
func checkTLS(ctx context.Context, env *Env) Result {
	host, _, err := net.SplitHostPort(env.Target)
	if err != nil {
		return Result{Status: StatusError, Summary: fmt.Sprintf("target %q is not host:port", env.Target)}
	}
	cfg := env.netxConfig()
	raw, err := netx.NewDialer(cfg).DialContext(ctx, "tcp", env.Target)
	if err != nil {
		return netError(err)
	}
	defer raw.Close()
	if dl, ok := ctx.Deadline(); ok {
		raw.SetDeadline(dl)
	}
	conn := tls.Client(raw, &tls.Config{ServerName: host, InsecureSkipVerify: true}) //nolint:gosec // verified below, by hand, to report every fault
	if err := conn.HandshakeContext(ctx); err != nil {
		return Result{Status: StatusError, Summary: fmt.Sprintf("TLS handshake with %s failed: %v", env.Target, err),
			Evidence: []Evidence{{"hint", "the port may not speak TLS, or accept only protocol versions or ciphers this client refuses"}}}
	}
	state := conn.ConnectionState()
	if len(state.PeerCertificates) == 0 {
		return Result{Status: StatusFail, Summary: env.Target + " presented no certificate", Pitfalls: []string{"metadata-tls-untrusted"}}
	}
	var r Result
	leaf := state.PeerCertificates[0]
	r.Add("tls version", tls.VersionName(state.Version))
	certEvidence(&r, "", leaf)
	judgeTLS(&r, env, host, state.PeerCertificates)
	return r
}

// judgeTLS verifies chain, name and dates. Expiry and a missing name fail
// whatever the settings; an untrusted issuer fails too unless the profile
// turned verification off, where it is only a warning (the user chose not
// to judge trust, but the partner servers still will).
func judgeTLS(r *Result, env *Env, host string, chain []*x509.Certificate) {
	leaf := chain[0]
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
		r.Add("chain", c.Subject.String())
	}
	var f finding
	if st, msg := validity(leaf, tlsWarnWithin); st != StatusPass {
		f.add(st, msg, "metadata-tls-untrusted")
	}
	if err := leaf.VerifyHostname(host); err != nil {
		f.add(StatusFail, fmt.Sprintf("the certificate does not cover %s (it covers %s)", host, strings.Join(netx.CertNames(leaf), ", ")), "metadata-tls-untrusted")
	}
	// Dates and name are judged above, so only trust is judged here. A leaf
	// outside its dates fails verification for that reason alone, which
	// says nothing about its issuer: then trust is left unjudged.
	opts := x509.VerifyOptions{Roots: env.Net.RootCAs, Intermediates: inter}
	if _, err := leaf.Verify(opts); err != nil && !leafOutOfDates(err, leaf) {
		msg := err.Error()
		if e := netx.ClassifyTLS(host, err); e != nil {
			msg = e.Message
			r.Add("failure", string(e.Kind))
		}
		if env.Net.Insecure {
			f.add(StatusWarn, msg+" (verification is off in the profile, but the partner servers will still check)", "metadata-tls-untrusted")
		} else {
			f.add(StatusFail, msg, "metadata-tls-untrusted")
		}
	}
	f.apply(r, fmt.Sprintf("certificate for %s is trusted, covers the name, %s", host, days(leaf.NotAfter)))
}

func leafOutOfDates(err error, leaf *x509.Certificate) bool {
	var ci x509.CertificateInvalidError
	return errors.As(err, &ci) && ci.Reason == x509.Expired && ci.Cert == leaf
}
