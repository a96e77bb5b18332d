package engine

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/metadata"
	"github.com/ucpilot/ucpilot/remote/netx"
)

// Well-known application ids the checks compare against.
const (
	AppIDExchange = "00000002-0000-0ff1-ce00-000000000000"
	AppIDSfB      = "00000004-0000-0ff1-ce00-000000000000"
	AppIDACS      = "00000001-0000-0000-c000-000000000000"
)

// Expiry thresholds: a TLS certificate close to expiry warns at 30 days; an
// OAuth signing certificate at 60, because replacing it means publishing
// the new one to every partner (and, in hybrid, re-running the HCW).
const (
	tlsWarnWithin     = 30 * 24 * time.Hour
	signingWarnWithin = 60 * 24 * time.Hour
)

// now is the clock the checks read; tests do not change it (they issue
// certificates relative to the real time instead).
var now = time.Now

// netxConfig turns the engine's network settings into the probes' config.
func (e *Env) netxConfig() netx.Config {
	return netx.Config{DNSServer: e.Net.DNSServer, RootCAs: e.Net.RootCAs, Insecure: e.Net.Insecure}
}

// worse returns the more serious of two statuses (pass < warn < fail < error).
func worse(a, b Status) Status {
	rank := map[Status]int{"": 0, StatusPass: 1, StatusWarn: 2, StatusFail: 3, StatusError: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// finding collects the verdicts of a check that looks at several things:
// the worst status wins, and the summary lists the problems in order.
type finding struct {
	status   Status
	problems []string
	pitfalls []string
}

func (f *finding) add(s Status, problem string, pitfalls ...string) {
	f.status = worse(f.status, s)
	f.problems = append(f.problems, problem)
	f.pitfalls = append(f.pitfalls, pitfalls...)
}

// apply writes the finding into r; okSummary is the summary when nothing
// was found.
func (f *finding) apply(r *Result, okSummary string) {
	if f.status == "" || f.status == StatusPass {
		r.Status, r.Summary = StatusPass, okSummary
		return
	}
	r.Status, r.Summary = f.status, strings.Join(f.problems, "; ")
	r.Pitfalls = append(r.Pitfalls, f.pitfalls...)
}

// days says how far t is from now, in whole days, for people.
func days(t time.Time) string {
	d := t.Sub(now())
	n := int(d.Hours() / 24)
	switch {
	case d < 0 && n == 0:
		return "expired today"
	case d < 0:
		return fmt.Sprintf("expired %d days ago", -n)
	case n == 0:
		return "expires today"
	}
	return fmt.Sprintf("%d days left", n)
}

// certEvidence adds the lines that identify a certificate and its dates.
func certEvidence(r *Result, prefix string, c *x509.Certificate) {
	r.Add(prefix+"subject", c.Subject.String())
	r.Add(prefix+"issuer", c.Issuer.String())
	r.Add(prefix+"thumbprint", metadata.Thumbprint(c.Raw))
	r.Add(prefix+"not before", c.NotBefore.UTC().Format(time.RFC3339))
	r.Add(prefix+"not after", c.NotAfter.UTC().Format(time.RFC3339)+" ("+days(c.NotAfter)+")")
	if len(c.DNSNames) > 0 {
		r.Add(prefix+"names", strings.Join(c.DNSNames, ", "))
	}
}

// validity judges a certificate's dates: fail when expired or not yet
// valid, warn within warnWithin of expiry.
func validity(c *x509.Certificate, warnWithin time.Duration) (Status, string) {
	t := now()
	switch {
	case t.After(c.NotAfter):
		return StatusFail, fmt.Sprintf("certificate %q expired on %s", c.Subject.CommonName, c.NotAfter.UTC().Format("2006-01-02"))
	case t.Before(c.NotBefore):
		return StatusFail, fmt.Sprintf("certificate %q is not valid until %s", c.Subject.CommonName, c.NotBefore.UTC().Format("2006-01-02"))
	case c.NotAfter.Sub(t) < warnWithin:
		return StatusWarn, fmt.Sprintf("certificate %q expires on %s (%s)", c.Subject.CommonName, c.NotAfter.UTC().Format("2006-01-02"), days(c.NotAfter))
	}
	return StatusPass, ""
}

// netError turns a probe failure into a result: TLS trust problems are
// findings about the server (fail, metadata-tls-untrusted); everything
// else means no verdict could be reached (error).
func netError(err error) Result {
	r := Result{Status: StatusError, Summary: err.Error()}
	if e := netx.Cause(err); e != nil {
		r.Add("failure", string(e.Kind))
		if e.Server != "" {
			r.Add("dns server", e.Server)
		}
		if e.Kind.IsTLS() && e.Kind != netx.KindTLSTimeout && e.Kind != netx.KindTLSNotTLS && e.Kind != netx.KindTLSHandshake {
			r.Status = StatusFail
			r.Pitfalls = append(r.Pitfalls, "metadata-tls-untrusted")
		}
		if e.Kind == netx.KindInsecureRedirect {
			// A finding, not a missing verdict: the partner server would
			// follow the same redirect and read the answer without TLS.
			r.Status = StatusFail
		}
	}
	return r
}

// noteRedirects makes a redirect visible in the summary, which every
// report shows even for a check that passed: a redirect to another host
// warns and names both hosts; one that stayed on the host is mentioned.
// (A redirect from https to http never gets here: netx refuses it and
// netError fails the check.)
func noteRedirects(r *Result, hops []netx.Redirect) {
	if len(hops) == 0 || (r.Status != StatusPass && r.Status != StatusWarn) {
		return
	}
	final := hops[len(hops)-1].To
	if from, to := netx.CrossHost(hops); from != "" {
		r.Status = worse(r.Status, StatusWarn)
		r.Summary = fmt.Sprintf("redirected from %s to another host, %s (the partner server follows the same redirect: make sure %s is meant to answer): %s",
			from, to, to, r.Summary)
		return
	}
	r.Summary = fmt.Sprintf("%s (after %d redirect(s) on the same host, to %s)", r.Summary, len(hops), final)
}

// someOf joins at most n items and says how many more there were, so a
// server that offers ten thousand schemes cannot make a 30 KB summary.
func someOf(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// redirectTargets joins where each hop pointed ("b -> c").
func redirectTargets(hops []netx.Redirect) string {
	parts := make([]string, len(hops))
	for i, h := range hops {
		parts[i] = h.To
	}
	return strings.Join(parts, " -> ")
}
