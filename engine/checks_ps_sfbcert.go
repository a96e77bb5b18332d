package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/ucpilot/ucpilot/remote/psout"
	"github.com/ucpilot/ucpilot/remote/shell"
)

const (
	csCertQuery = "Get-CsCertificate -Type OAuthTokenIssuer | Select-Object Use,Thumbprint,Subject,Issuer,NotBefore,NotAfter,EffectiveDate,KeySize"
	// The pool's Front Ends; the replication status is the fallback when
	// Get-CsPool is missing (it lists every replica, not only Front Ends).
	poolComputersQuery = "Get-CsPool -Identity $pool | Select-Object -ExpandProperty Computers"
	replicasQuery      = "Get-CsManagementStoreReplicationStatus | Select-Object -ExpandProperty ReplicaFqdn"
	// Get-CsCertificate reads the local computer's assignment, so each
	// Front End is asked itself.
	feCertQuery = "Invoke-Command -ComputerName $fe -ScriptBlock { Get-CsCertificate -Type OAuthTokenIssuer | Select-Object Thumbprint,NotAfter }"
	minKeyBits  = 2048
)

// checkSfBOAuthCert: the OAuthTokenIssuer certificate is present, strong
// enough, not close to expiry, and the same on every Front End.
//
// How the Front Ends are compared: the pool's computers come from Get-CsPool
// (or the CMS replicas). Each is asked for its own Get-CsCertificate, with
// Env.HostShell when the caller can open a shell there with the same
// credentials, else through Invoke-Command from the configured Front End
// (which needs a logon with network credentials: SSH with a password, or
// WinRM with CredSSP / Kerberos delegation).
func checkSfBOAuthCert(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideSfB)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	objs, err := psQuery(ctx, sh, SideSfB, csCertQuery, nil)
	if err != nil {
		return psFailure(sh, "Get-CsCertificate -Type OAuthTokenIssuer", err)
	}
	var r Result
	r.Add("ran on", sh.Target())
	var f finding
	if len(objs) == 0 {
		f.add(StatusFail, "no OAuthTokenIssuer certificate is assigned", "sfb-oauth-cert-weak-or-subject")
		f.apply(&r, "")
		return r
	}
	c := psout.CsCertificateFrom(objs[0])
	thumb := strings.ToUpper(c.Thumbprint)
	r.Add("thumbprint", thumb)
	r.Add("subject", c.Subject)
	r.Add("not after", dateEvidence(c.NotAfter))
	if !c.NotAfter.IsZero() {
		r.SetMetric(MetricOAuthCertDays, daysLeft(c.NotAfter))
	}
	r.SetFact(FactThumbprint, thumb)
	bits := objs[0].Str("KeySize")
	switch {
	case bits == "":
		r.Add("key size", "(not reported by Get-CsCertificate; check it in the certificate store)")
	case atoi(bits) < minKeyBits:
		r.Add("key size", bits)
		f.add(StatusFail, fmt.Sprintf("the key has %s bits; at least %d are needed", bits, minKeyBits), "sfb-oauth-cert-weak-or-subject")
	default:
		r.Add("key size", bits)
	}
	if st, msg := certDates(c.NotAfter, signingWarnWithin, false); st != StatusPass {
		f.add(st, "the OAuthTokenIssuer certificate "+msg, "sfb-oauth-cert-expired")
	}
	compareFrontEnds(ctx, env, sh, thumb, &r, &f)
	f.apply(&r, fmt.Sprintf("OAuthTokenIssuer %s is valid until %s and the same on every Front End", thumb, c.NotAfter.UTC().Format("2006-01-02")))
	return r
}

func atoi(s string) int {
	n := 0
	for _, c := range strings.TrimSpace(s) {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// compareFrontEnds adds one evidence line per Front End and a finding
// when their thumbprints differ. Front Ends that cannot be asked make the
// comparison incomplete (warn), not failed.
func compareFrontEnds(ctx context.Context, env *Env, sh shell.Shell, local string, r *Result, f *finding) {
	fes, err := psStrings(ctx, sh, SideSfB, poolComputersQuery, map[string]string{"pool": env.Profile.SfB.Pool})
	if err != nil || len(fes) == 0 {
		fes, err = psStrings(ctx, sh, SideSfB, replicasQuery, nil)
	}
	if err != nil || len(fes) == 0 {
		r.Add("front ends", fmt.Sprintf("could not list the pool's Front Ends (%v); only this one was checked", err))
		return
	}
	sort.Strings(fes)
	seen := map[string][]string{}
	unread := 0
	for _, fe := range fes {
		if shell.ValidateHostname(fe) != nil {
			continue
		}
		tp, err := feThumbprint(ctx, env, sh, fe)
		if err != nil {
			unread++
			r.Add("front end "+fe, "could not read: "+err.Error())
			continue
		}
		r.Add("front end "+fe, orNone(tp))
		seen[tp] = append(seen[tp], fe)
	}
	if len(seen) > 1 || (len(seen) == 1 && seen[local] == nil) {
		var parts []string
		for tp, names := range seen {
			parts = append(parts, fmt.Sprintf("%s on %s", orNone(tp), strings.Join(names, ", ")))
		}
		sort.Strings(parts)
		f.add(StatusFail, "the Front Ends sign with different OAuthTokenIssuer certificates: "+strings.Join(parts, "; "), "sfb-oauth-cert-mismatch-frontends")
	}
	if unread > 0 {
		f.add(StatusWarn, fmt.Sprintf("%d of %d Front Ends could not be asked, so the comparison is incomplete", unread, len(fes)))
	}
}

func feThumbprint(ctx context.Context, env *Env, sh shell.Shell, fe string) (string, error) {
	var objs []psout.Object
	var err error
	if env.HostShell != nil {
		var other shell.Shell
		if other, err = env.HostShell(ctx, SideSfB, fe); err != nil {
			return "", err
		}
		defer other.Close()
		objs, err = psQuery(ctx, other, SideSfB, csCertQuery, nil)
	} else {
		objs, err = psQuery(ctx, sh, SideSfB, feCertQuery, map[string]string{"fe": fe})
	}
	if err != nil {
		return "", err
	}
	if len(objs) == 0 {
		return "", nil
	}
	return strings.ToUpper(objs[0].Str("Thumbprint")), nil
}
