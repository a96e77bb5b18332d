package engine

import (
	"context"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/psout"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// tenantPrelude makes sure a tenant cmdlet set is loaded. ucpilot never
// signs in to the tenant itself: the session must already be connected
// (Connect-MgGraph; MSOnline, retired since 30 March 2025, is still read
// when an old session has it loaded).
const tenantPrelude = `if (-not (Get-Command Get-MsolServicePrincipalCredential -ErrorAction SilentlyContinue) -and -not (Get-Command Get-MgServicePrincipal -ErrorAction SilentlyContinue)) {
  throw 'Neither MSOnline nor Microsoft Graph PowerShell is loaded in this session. Connect first: Connect-MgGraph -Scopes Application.Read.All'
}`

const (
	// MSOnline returns the uploaded Base64 value itself, so a value that is
	// no certificate (a DER file read as text) can be told apart.
	msolKeysQuery = "Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $true | Select-Object KeyId,Type,Usage,StartDate,EndDate,Value"
	// Graph lists keys without their value; CustomKeyIdentifier carries the
	// certificate's SHA-1 hash when the uploader set it.
	mgKeysQuery = "Get-MgServicePrincipal -Filter $filter -Property Id,AppId,KeyCredentials | Select-Object -ExpandProperty KeyCredentials | Select-Object KeyId,CustomKeyIdentifier,StartDateTime,EndDateTime,Type,Usage,Key"
)

// tenantPrincipal is a service principal that must hold a key.
type tenantPrincipal struct{ appID, name string }

// tenantKey is one key credential as the tenant lists it.
type tenantKey struct {
	id         string
	thumb      string // SHA-1 of the certificate, upper-case hex; "" when unknown
	notCert    bool   // the value decodes as Base64 but is no certificate
	notBase64  bool   // the value is not Base64 at all
	start, end time.Time
}

// tenantTarget says, per topology, which certificate the principals must
// hold and where its thumbprint comes from.
func tenantTarget(topology string) (principals []tenantPrincipal, factFrom, what string) {
	if topology == profile.TopologySfBOnline {
		return []tenantPrincipal{{AppIDSfB, "Skype for Business Online"}, {AppIDTeamsScheduler, "TeamsScheduler"},
			{AppIDCloudVoicemail, "CloudVoicemail"}}, "metadata.exchange", "Exchange's auth certificate"
	}
	return []tenantPrincipal{{AppIDSfB, "Skype for Business Online"}, {AppIDExchange, "Exchange Online"}},
		"metadata.sfb", "the pool's OAuthTokenIssuer certificate"
}

// checkTenantKeyCredentials: the tenant's first-party principals hold a
// valid copy of the certificate the on-premises side signs with.
func checkTenantKeyCredentials(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideTenant)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	principals, factFrom, what := tenantTarget(env.Profile.Topology)
	want := strings.ToUpper(env.Fact(factFrom, FactThumbprint))
	var r Result
	r.Add("ran on", sh.Target())
	r.Add("expected key", what+" "+orNone(want)+" (from "+factFrom+")")
	var f finding
	if want == "" {
		f.add(StatusWarn, "no thumbprint to compare with: "+factFrom+" did not run or published none")
	}
	for _, p := range principals {
		keys, err := tenantKeys(ctx, sh, p.appID)
		if err != nil {
			if isNotFound(err) {
				f.add(StatusFail, fmt.Sprintf("the tenant has no service principal %s (%s)", p.appID, p.name))
				continue
			}
			return psFailure(sh, "reading the key credentials of "+p.appID, err)
		}
		for _, k := range keys {
			r.Add(p.name+" key "+k.id, k.describe())
		}
		if len(keys) == 0 {
			r.Add(p.name+" keys", "(none)")
		}
		judgePrincipal(&f, p, keys, want, env.Profile.Topology)
	}
	f.apply(&r, fmt.Sprintf("every principal holds a valid key for %s %s", what, want))
	return r
}

// judgePrincipal adds what is wrong with one principal's keys and reports
// whether it holds a valid copy of the wanted certificate.
func judgePrincipal(f *finding, p tenantPrincipal, keys []tenantKey, want, topology string) bool {
	now := now()
	var expired *tenantKey
	broken, others := 0, 0
	for i, k := range keys {
		switch {
		case k.notCert || k.notBase64:
			broken++
		case want != "" && k.thumb == want && k.end.After(now):
			return true
		case want != "" && k.thumb == want:
			expired = &keys[i]
		case k.thumb != "":
			others++
		}
	}
	if want == "" {
		if broken > 0 {
			f.add(StatusFail, fmt.Sprintf("%s (%s) holds a key that is no certificate", p.name, p.appID), brokenKeyPitfall(topology))
		}
		return false
	}
	hybrid := topology != profile.TopologySfBOnline
	who := fmt.Sprintf("%s (%s)", p.name, p.appID)
	switch {
	case expired != nil:
		pit := "exchange-auth-cert-expired"
		if hybrid {
			pit = "sfb-oauth-cert-expired"
		}
		f.add(StatusFail, fmt.Sprintf("%s holds the certificate's key, but it expired on %s", who, expired.end.UTC().Format("2006-01-02")), pit)
	case broken > 0:
		f.add(StatusFail, fmt.Sprintf("%s holds %d key(s) whose value is no certificate (binary DER bytes uploaded as if they were Base64 text) and no valid key for %s", who, broken, want),
			brokenKeyPitfall(topology))
	case !hybrid:
		f.add(StatusFail, fmt.Sprintf("%s holds no key for Exchange's current auth certificate %s%s", who, want, otherKeys(others)), "auth-cert-renewed-hybrid-not-republished")
	case p.appID == AppIDExchange:
		f.add(StatusFail, fmt.Sprintf("%s holds no key for the pool's certificate %s%s: the second upload, to the Exchange principal, was not done; add it with Microsoft Graph (Update-MgServicePrincipal -KeyCredentials, keeping the keys read by id), as in step hybrid-tenant-upload-cert", who, want, otherKeys(others)), "spn-credential-exchange-missing")
	default:
		f.add(StatusFail, fmt.Sprintf("%s holds no key for the pool's certificate %s%s: upload it with Microsoft Graph (Update-MgServicePrincipal -KeyCredentials, keeping the keys read by id), as in step hybrid-tenant-upload-cert; the MSOnline cmdlets are retired", who, want, otherKeys(others)))
	}
	return false
}

func brokenKeyPitfall(topology string) string {
	if topology == profile.TopologySfBOnline {
		return "auth-cert-renewed-hybrid-not-republished"
	}
	return "cert-der-not-base64"
}

func otherKeys(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (it holds %d key(s) of other certificates: renewed and not uploaded again?)", n)
}

func (k tenantKey) describe() string {
	var what string
	switch {
	case k.notBase64:
		what = "value is not Base64"
	case k.notCert:
		what = "value is no certificate"
	case k.thumb != "":
		what = "certificate " + k.thumb
	default:
		what = "certificate not identified"
	}
	return fmt.Sprintf("%s, valid %s to %s", what, dateOnly(k.start), dateEvidence(k.end))
}

func dateOnly(t time.Time) string {
	if t.IsZero() {
		return "(not reported)"
	}
	return t.UTC().Format("2006-01-02")
}

// tenantKeys lists a principal's keys through MSOnline, or through Graph
// when the session has no MSOnline (the module is retired).
func tenantKeys(ctx context.Context, sh shell.Shell, appID string) ([]tenantKey, error) {
	objs, err := psQuery(ctx, sh, SideTenant, msolKeysQuery, map[string]string{"appId": appID})
	if err == nil {
		out := make([]tenantKey, 0, len(objs))
		for _, o := range objs {
			k := keyFromValue(o.Str("Value"))
			k.id, k.start, k.end = o.Str("KeyId"), o.Time("StartDate"), o.Time("EndDate")
			out = append(out, k)
		}
		return out, nil
	}
	if !notRecognized(err) {
		return nil, err
	}
	objs, err = psQuery(ctx, sh, SideTenant, mgKeysQuery, map[string]string{"filter": "appId eq '" + appID + "'"})
	if err != nil {
		return nil, err
	}
	out := make([]tenantKey, 0, len(objs))
	for _, o := range objs {
		var k tenantKey
		if v, _ := o.Get("Key"); v != nil { // returned only when one principal is read with -Property
			if raw, ok := psBytes(v); ok {
				k = keyFromDER(raw)
			}
		}
		if k.thumb == "" && !k.notCert {
			v, _ := o.Get("CustomKeyIdentifier")
			if raw, ok := psBytes(v); ok && len(raw) == sha1.Size {
				k.thumb = strings.ToUpper(hex.EncodeToString(raw))
			} else if s, ok := v.(string); ok && len(s) == 2*sha1.Size {
				if _, err := hex.DecodeString(s); err == nil {
					k.thumb = strings.ToUpper(s)
				}
			}
		}
		k.id, k.start, k.end = o.Str("KeyId"), o.Time("StartDateTime"), o.Time("EndDateTime")
		out = append(out, k)
	}
	return out, nil
}

// keyFromValue reads an uploaded value: Base64 of a DER certificate. An
// empty value (not returned) identifies nothing.
func keyFromValue(v string) tenantKey {
	v = strings.Join(strings.Fields(v), "")
	if v == "" {
		return tenantKey{}
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return tenantKey{notBase64: true}
	}
	return keyFromDER(raw)
}

// keyFromDER identifies a certificate by its SHA-1 thumbprint; bytes that
// are no certificate (a DER file read as text, then encoded) are marked.
func keyFromDER(raw []byte) tenantKey {
	if _, err := x509.ParseCertificate(raw); err != nil {
		return tenantKey{notCert: true}
	}
	sum := sha1.Sum(raw)
	return tenantKey{thumb: strings.ToUpper(hex.EncodeToString(sum[:]))}
}

// psBytes reads a byte array as ConvertTo-Json writes it: Base64 text
// (PowerShell 7) or a list of numbers (Windows PowerShell 5.1).
func psBytes(v any) ([]byte, bool) {
	switch x := v.(type) {
	case string:
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(x))
		return b, err == nil && len(b) > 0
	case []any:
		raw := make([]byte, 0, len(x))
		for _, e := range x {
			t := psout.Text(e)
			if t == "" || strings.Trim(t, "0123456789") != "" || len(t) > 3 || atoi(t) > 255 {
				return nil, false
			}
			raw = append(raw, byte(atoi(t)))
		}
		return raw, len(raw) > 0
	}
	return nil, false
}

// isNotFound reports whether the tenant said the principal does not exist.
func isNotFound(err error) bool {
	var re *shell.RemoteError
	return errors.As(err, &re) && (strings.Contains(re.ErrorID, "NotFound") || strings.Contains(re.Message, "was not found"))
}
