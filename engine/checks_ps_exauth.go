package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/psout"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// Facts ps.exchange.authconfig publishes besides FactThumbprint (the
// current certificate) and FactRealm (Get-AuthConfig's realm; "" = the
// organization's default).
const FactNextThumbprint = "next_thumbprint"

const exCertQuery = "Get-ExchangeCertificate -Thumbprint $thumbprint | Select-Object Thumbprint,Subject,Issuer,NotBefore,NotAfter,HasPrivateKey,PublicKeySize,Status,SignatureAlgorithm"

// checkExAuthConfig: the current auth certificate exists on this server,
// is not expired, and a successor is staged before the last 60 days.
func checkExAuthConfig(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideExchange)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideExchange, "Get-AuthConfig | Select-Object CurrentCertificateThumbprint,PreviousCertificateThumbprint,"+
		"NextCertificateThumbprint,NextCertificateEffectiveDate,ServiceName,Realm", nil)
	if err != nil {
		return psFailure(sh, "Get-AuthConfig", err)
	}
	if len(objs) == 0 {
		return Result{Status: StatusError, Summary: "Get-AuthConfig returned nothing"}
	}
	ac := psout.AuthConfigFrom(objs[0])
	var r Result
	r.Add("ran on", sh.Target())
	r.Add("current thumbprint", orNone(ac.CurrentCertificateThumbprint))
	r.Add("next thumbprint", orNone(ac.NextCertificateThumbprint))
	if !ac.NextCertificateEffectiveDate.IsZero() {
		r.Add("next effective", dateEvidence(ac.NextCertificateEffectiveDate))
	}
	r.Add("realm", orNone(ac.Realm)+realmNote(ac.Realm))
	r.Add("service name", ac.ServiceName)
	r.SetFact(FactRealm, ac.Realm)
	var f finding
	if sn := strings.TrimSpace(ac.ServiceName); !strings.EqualFold(sn, AppIDExchange) {
		var pits []string
		if oneShort(sn) != "" {
			pits = append(pits, "appid-missing-zero")
		}
		f.add(StatusFail, fmt.Sprintf("Get-AuthConfig's ServiceName is %s, not Exchange's application id %s: partners reject the tokens it signs "+
			"(Set-AuthConfig -ServiceName %s)", orNone(sn), AppIDExchange, AppIDExchange), pits...)
	}
	cur := strings.ToUpper(strings.TrimSpace(ac.CurrentCertificateThumbprint))
	next := strings.ToUpper(strings.TrimSpace(ac.NextCertificateThumbprint))
	r.SetFact(FactNextThumbprint, next)
	if cur == "" {
		f.add(StatusFail, "Get-AuthConfig names no current certificate: Exchange cannot sign or check server-to-server tokens", "exchange-auth-cert-expired")
		f.apply(&r, "")
		return r
	}
	r.SetFact(FactThumbprint, cur)
	cert, res, ok := exCert(ctx, sh, cur)
	if !ok {
		res.Evidence = append(r.Evidence, res.Evidence...)
		res.Facts = r.Facts
		return res
	}
	if cert == nil {
		f.add(StatusFail, fmt.Sprintf("the current auth certificate %s is not on %s", cur, sh.Target()), "exchange-auth-cert-missing-on-server")
		f.apply(&r, "")
		return r
	}
	r.Add("subject", cert.Subject)
	r.Add("not after", dateEvidence(cert.NotAfter))
	if !cert.NotAfter.IsZero() {
		r.SetMetric(MetricAuthCertDays, daysLeft(cert.NotAfter))
	}
	judgeAuthCert(&f, &r, *cert)
	var nextAfter *time.Time
	if next != "" {
		nc, _, ok := exCert(ctx, sh, next)
		if ok && nc == nil {
			f.add(StatusWarn, fmt.Sprintf("the staged next certificate %s is not on %s", next, sh.Target()), "exchange-auth-cert-missing-on-server")
		}
		if nc != nil {
			r.Add("next not after", dateEvidence(nc.NotAfter))
			nextAfter = &nc.NotAfter
		}
	}
	if st, msg, pit := authCertRotation(cert.NotAfter, nextAfter, ac.NextCertificateEffectiveDate); st != StatusPass {
		f.add(st, msg, pit)
	}
	f.apply(&r, fmt.Sprintf("the auth certificate %s is here and valid until %s", cur, cert.NotAfter.UTC().Format("2006-01-02")))
	return r
}

// realmNote explains an empty realm, which is not an error.
func realmNote(realm string) string {
	if realm == "" {
		return " (empty: the default realm, the organization's primary domain)"
	}
	return ""
}

// exCert reads one certificate; (nil, _, true) means "not on this server".
func exCert(ctx context.Context, sh shell.Shell, thumb string) (*psout.ExchangeCertificate, Result, bool) {
	if err := shell.ValidateThumbprint(thumb); err != nil {
		return nil, Result{Status: StatusError, Summary: "Get-AuthConfig returned an unusable thumbprint: " + err.Error()}, false
	}
	objs, err := psQuery(ctx, sh, SideExchange, exCertQuery, map[string]string{"thumbprint": thumb})
	var re *shell.RemoteError
	if errors.As(err, &re) && strings.Contains(strings.ToLower(re.Message), "not found") {
		return nil, Result{}, true
	}
	if err != nil {
		return nil, psFailure(sh, "Get-ExchangeCertificate", err), false
	}
	for _, o := range objs {
		c := psout.ExchangeCertificateFrom(o)
		if strings.EqualFold(c.Thumbprint, thumb) {
			return &c, Result{}, true
		}
	}
	return nil, Result{}, true
}

// judgeAuthCert adds what HealthChecker flags on the auth certificate
// itself: its status, a key under 2048 bits, a SHA-1 signature.
func judgeAuthCert(f *finding, r *Result, c psout.ExchangeCertificate) {
	if c.Status != "" {
		r.Add("status", c.Status)
	}
	switch strings.ToLower(c.Status) {
	case "dateinvalid":
		f.add(StatusFail, "the auth certificate's status is DateInvalid (outside its validity dates)", "exchange-auth-cert-expired")
	case "revoked", "invalid":
		f.add(StatusFail, "the auth certificate's status is "+c.Status+": replace it")
	}
	if c.PublicKeySize > 0 {
		r.Add("key size", fmt.Sprintf("%d bits", c.PublicKeySize))
		if c.PublicKeySize < 2048 {
			f.add(StatusFail, fmt.Sprintf("the auth certificate's key is %d bits: It's recommended to use a key size of at least 2048 bit", c.PublicKeySize))
		}
	}
	if c.SignatureAlgorithm != "" {
		r.Add("signature algorithm", c.SignatureAlgorithm)
		if isSHA1Signature(c.SignatureAlgorithm) {
			f.add(StatusWarn, "the auth certificate is signed with SHA-1 ("+c.SignatureAlgorithm+"): It's recommended to use a hash algorithm from the SHA-2 family")
		}
	}
}

// isSHA1Signature knows SHA-1 signature algorithms by name or OID.
func isSHA1Signature(alg string) bool {
	a := strings.ToLower(strings.TrimSpace(alg))
	switch a {
	case "1.2.840.113549.1.1.5", "1.3.14.3.2.29", "1.2.840.10040.4.3", "1.2.840.10045.4.1":
		return true
	}
	return strings.HasPrefix(a, "sha1")
}

// wholeDays is (notAfter - now).Days as PowerShell computes it, with
// MonitorExchangeAuthCertificate's rule that a certificate that ended
// earlier today counts as -1, not 0.
func wholeDays(notAfter time.Time) int {
	n := now()
	d := int(notAfter.Sub(n).Hours() / 24)
	if d == 0 && notAfter.Before(n) {
		return -1
	}
	return d
}

// authCertRotation applies MonitorExchangeAuthCertificate.ps1's rules to
// the current certificate's end and the staged next one's (nil: none).
func authCertRotation(cur time.Time, next *time.Time, nextEffective time.Time) (Status, string, string) {
	if cur.IsZero() {
		return StatusWarn, "the auth certificate's expiry date could not be read", ""
	}
	c := wholeDays(cur)
	nd, haveNext := -1, next != nil && !next.IsZero()
	if haveNext {
		nd = wholeDays(*next)
	}
	switch {
	case c < 0 && nd < 0:
		if haveNext {
			return StatusFail, fmt.Sprintf("the auth certificate expired on %s and the staged next one expired too", cur.UTC().Format("2006-01-02")), "exchange-auth-cert-expired"
		}
		return StatusFail, fmt.Sprintf("the auth certificate expired on %s and no next certificate is staged", cur.UTC().Format("2006-01-02")), "exchange-auth-cert-expired"
	case c >= 0 && c <= 60 && !haveNext:
		return StatusWarn, fmt.Sprintf("the auth certificate expires on %s (%s) and no next certificate is staged", cur.UTC().Format("2006-01-02"), days(cur)), "exchange-auth-cert-expired"
	case c >= 0 && c <= 60 && nd <= 120:
		return StatusWarn, fmt.Sprintf("the auth certificate expires on %s (%s) and the staged next certificate itself expires on %s (%s, within 120 days)",
			cur.UTC().Format("2006-01-02"), days(cur), next.UTC().Format("2006-01-02"), days(*next)), "exchange-next-auth-cert-expiring"
	case c <= 0 && nd >= 0:
		eff := "its effective date"
		if !nextEffective.IsZero() {
			eff = nextEffective.UTC().Format("2006-01-02")
		}
		return StatusFail, fmt.Sprintf("the auth certificate expired on %s and the next certificate is staged but not active yet (effective %s)",
			cur.UTC().Format("2006-01-02"), eff), "exchange-auth-cert-expired"
	}
	return StatusPass, "", ""
}
