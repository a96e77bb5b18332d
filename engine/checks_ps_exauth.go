package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ucpilot/ucpilot/remote/psout"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// Facts ps.exchange.authconfig publishes besides FactThumbprint (the
// current certificate) and FactRealm (Get-AuthConfig's realm; "" = the
// organization's default).
const FactNextThumbprint = "next_thumbprint"

const exCertQuery = "Get-ExchangeCertificate -Thumbprint $thumbprint | Select-Object Thumbprint,Subject,Issuer,NotBefore,NotAfter,HasPrivateKey"

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
	cur := strings.ToUpper(strings.TrimSpace(ac.CurrentCertificateThumbprint))
	next := strings.ToUpper(strings.TrimSpace(ac.NextCertificateThumbprint))
	r.SetFact(FactNextThumbprint, next)
	var f finding
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
	if next != "" {
		nc, _, ok := exCert(ctx, sh, next)
		if ok && nc == nil {
			f.add(StatusWarn, fmt.Sprintf("the staged next certificate %s is not on %s", next, sh.Target()), "exchange-auth-cert-missing-on-server")
		}
	}
	if st, msg := certDates(cert.NotAfter, signingWarnWithin, next != ""); st != StatusPass {
		f.add(st, "the auth certificate "+msg, "exchange-auth-cert-expired")
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
