package engine

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/ucpilot/ucpilot/remote/psout"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// checkCrossTrust compares what each side publishes with what it is
// configured with: the thumbprint in Exchange's metadata with Get-AuthConfig,
// the thumbprint in the pool's metadata with the OAuthTokenIssuer
// certificate, and the two published realms. It reads only the facts of
// its dependencies (metadata.exchange, metadata.sfb, ps.exchange.authconfig,
// ps.sfb.oauthcert), so it runs no PowerShell itself.
func checkCrossTrust(_ context.Context, env *Env) Result {
	need := []string{"metadata.exchange", "metadata.sfb", "ps.exchange.authconfig", "ps.sfb.oauthcert"}
	var missing []string
	for _, id := range need {
		if _, ok := env.Dependency(id); !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return Result{Status: StatusSkipped, Summary: "needs the results of " + strings.Join(missing, ", ") + " (run the metadata and powershell groups together)"}
	}
	var r Result
	var f finding
	exMeta := env.Fact("metadata.exchange", FactThumbprint)
	exCur := env.Fact("ps.exchange.authconfig", FactThumbprint)
	exNext := env.Fact("ps.exchange.authconfig", FactNextThumbprint)
	r.Add("exchange metadata signing thumbprint", orNone(exMeta))
	r.Add("exchange Get-AuthConfig current", orNone(exCur))
	if exNext != "" {
		r.Add("exchange Get-AuthConfig next", exNext)
	}
	if !strings.EqualFold(exMeta, exCur) && !strings.EqualFold(exMeta, exNext) {
		f.add(StatusFail, fmt.Sprintf("Exchange publishes certificate %s but Get-AuthConfig uses %s: the partner checks tokens against the wrong key "+
			"(restart MSExchangeServiceHost and reset IIS after Set-AuthConfig -PublishCertificate)", orNone(exMeta), orNone(exCur)))
	}
	sfbMeta := env.Fact("metadata.sfb", FactThumbprint)
	sfbCert := env.Fact("ps.sfb.oauthcert", FactThumbprint)
	r.Add("pool metadata signing thumbprint", orNone(sfbMeta))
	r.Add("OAuthTokenIssuer thumbprint", orNone(sfbCert))
	if !strings.EqualFold(sfbMeta, sfbCert) {
		f.add(StatusFail, fmt.Sprintf("the pool publishes certificate %s but the Front End signs with %s", orNone(sfbMeta), orNone(sfbCert)), "sfb-oauth-cert-mismatch-frontends")
	}
	exRealm, sfbRealm := env.Fact("metadata.exchange", FactRealm), env.Fact("metadata.sfb", FactRealm)
	cfgRealm := env.Fact("ps.exchange.authconfig", FactRealm)
	r.Add("exchange realm (metadata)", orNone(exRealm))
	r.Add("exchange realm (Get-AuthConfig)", orNone(cfgRealm)+realmNote(cfgRealm))
	r.Add("skype for business realm (metadata)", orNone(sfbRealm))
	switch {
	case exRealm != "" && sfbRealm != "" && !strings.EqualFold(exRealm, sfbRealm):
		f.add(StatusFail, fmt.Sprintf("Exchange's realm is %s but the pool's is %s", exRealm, sfbRealm), "realm-mismatch")
	case cfgRealm != "" && sfbRealm != "" && !strings.EqualFold(cfgRealm, sfbRealm):
		f.add(StatusFail, fmt.Sprintf("Get-AuthConfig sets realm %s but the pool's is %s", cfgRealm, sfbRealm), "realm-mismatch")
	}
	f.apply(&r, "both sides publish the certificates they sign with, in the same realm "+exRealm)
	return r
}

// ExStorage failures that are not OAuth problems at all.
var exStorageUserRE = regexp.MustCompile(`(?i)UserNotFound|is not a user|user .{0,80}(was not found|not found|does not exist)|not (a )?valid sip ?uri`)

// exStoragePitfalls maps psout.ParseExStorage codes to knowledge base
// pitfalls; codes without a precise fix map to none (the line is shown).
var exStoragePitfalls = map[string]string{
	psout.ExStorageCode5:        "exstorage-code5-rtcuniversaluseradmins",
	psout.ExStorage401:          "exstorage-401-oauth-not-accepted",
	psout.ExStorage574:          "exstorage-574-content-type",
	psout.ExStorageTLSUntrusted: "metadata-tls-untrusted",
}

// checkExStorage runs Test-CsExStorageConnectivity for the profile's test
// user and reads its verbose output.
func checkExStorage(ctx context.Context, env *Env) Result {
	sh, err := env.shellFor(SideSfB)
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	sip := env.Profile.TestSipURI
	if sip == "" {
		return Result{Status: StatusSkipped, Summary: "set test_sip_uri in the profile (a user with a mailbox who is enabled for Skype for Business) to run the storage test"}
	}
	if err := shell.ValidateSIPURI(sip); err != nil {
		return Result{Status: StatusError, Summary: "test_sip_uri: " + err.Error()}
	}
	script, err := shell.Script{Prelude: shell.SfBPrelude(), Body: "Test-CsExStorageConnectivity -SipUri $sipUri -Verbose",
		Args: map[string]string{"sipUri": sip}}.Render()
	if err != nil {
		return Result{Status: StatusError, Summary: err.Error()}
	}
	res, err := sh.Run(ctx, script)
	if err != nil {
		return Result{Status: StatusError, Summary: fmt.Sprintf("running Test-CsExStorageConnectivity on %s: %v", sh.Target(), err)}
	}
	text := res.Stdout + "\n" + res.Stderr
	parsed := psout.ParseExStorage(text)
	var r Result
	r.Add("ran on", sh.Target())
	r.Add("test user", sip)
	r.Add("exit code", fmt.Sprint(res.ExitCode))
	for _, m := range parsed.Markers {
		r.Add(fmt.Sprintf("line %d (%s)", m.Line, m.Code), m.Text)
	}
	if parsed.Success() && res.ExitCode == 0 {
		r.Status, r.Summary = StatusPass, "the Storage Service wrote a test item to "+sip+"'s mailbox over EWS with OAuth"
		return r
	}
	r.Status = StatusFail
	for _, m := range parsed.Markers {
		if p := exStoragePitfalls[m.Code]; p != "" {
			r.Pitfalls = append(r.Pitfalls, p)
		}
	}
	switch {
	case exStorageUserRE.MatchString(text) && len(parsed.Markers) == 0:
		r.Summary = sip + " cannot be used for the test: it needs a mailbox and must be enabled for Skype for Business"
		r.Pitfalls = []string{"test-user-not-valid"}
	case len(parsed.Markers) > 0:
		r.Summary = "Test-CsExStorageConnectivity failed: " + parsed.Markers[0].Text
	case parsed.Outcome == psout.Unknown && res.ExitCode == 0:
		r.Status, r.Summary = StatusError, "Test-CsExStorageConnectivity printed no verdict (was -Verbose output captured?)"
	default:
		r.Summary = "Test-CsExStorageConnectivity failed: " + lastLine(text)
	}
	return r
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return "(no output)"
}
