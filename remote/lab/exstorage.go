package lab

import (
	"fmt"
	"strings"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// exStorageVerdict decides what Test-CsExStorageConnectivity run on the
// Front End fe sees, from the state: "" when the item is written, else the
// failure text the Storage Service reports. The caller holds s.mu.
func (s *State) exStorageVerdict(fe string) string {
	ad := s.sfbAutodiscoverURL()
	if h := hostOf(ad); !s.resolves(h) {
		return fmt.Sprintf("ExCreateItem exchange operations failed, code=ErrorEwsAutodiscover, reason=GetUserSettings failed, "+
			"errorCode=, errorMessage=The remote name could not be resolved: '%s' (autodiscover URL %s)", h, ad)
	}
	if s.Topology == "hybrid" {
		return s.hybridVerdict()
	}
	unauthorized := func(why string) string {
		return "ExCreateItem exchange operations failed, code=ErrorEwsServerError, reason=EWS request failed, " +
			"errorMessage=The request failed with HTTP status 401: Unauthorized. (" + why + ")"
	}
	sv := s.Exchange.Servers[0]
	if !sv.EWS.EffectiveOAuth {
		return unauthorized("EWS does not accept OAuth tokens: OAuthAuthentication is off on the EWS virtual directory")
	}
	issuer := s.SfB.OAuth.ServiceName + "@" + s.SfB.OAuth.Realm
	trusted := false
	for _, t := range s.trustedIssuers() {
		if strings.EqualFold(t, issuer) {
			trusted = true
		}
	}
	if !trusted {
		return unauthorized("Exchange does not trust the issuer " + issuer)
	}
	exRealm := s.Exchange.AuthConfig.Realm
	if exRealm == "" {
		exRealm = s.Domain
	}
	if !strings.EqualFold(s.SfB.OAuth.Realm, exRealm) {
		return unauthorized("the token's realm " + s.SfB.OAuth.Realm + " is not Exchange's realm " + exRealm)
	}
	if c := s.exchangeCert(s.Exchange.AuthConfig.Current); c == nil || c.NotAfter.Before(s.Now()) {
		return unauthorized("Exchange cannot validate the token: its auth certificate is missing or expired")
	}
	poolCert := s.SfB.FrontEnds[0].OAuthThumb
	for _, f := range s.SfB.FrontEnds {
		if f.OAuthThumb != poolCert {
			return unauthorized("the token from " + f.FQDN + " is signed with certificate " + f.OAuthThumb +
				", not the one the pool publishes (" + poolCert + ")")
		}
	}
	if a := s.csPartnerApp("microsoft.exchange"); a == nil {
		a2 := s.csPartnerApp("exchange")
		if a2 == nil {
			return "ExCreateItem exchange operations failed, code=ErrorNoPartnerApplication, reason=No partner application for Exchange is configured (Get-CsPartnerApplication)"
		}
	}
	_ = fe
	return ""
}

func (s *State) hybridVerdict() string {
	if !s.spTrustsPool(AppExchange) {
		return "ExCreateItem exchange operations failed, code=ErrorEwsServerError, reason=EWS request failed, " +
			"errorMessage=The request failed with HTTP status 401: Unauthorized. (Exchange Online holds no valid key for the pool's OAuthTokenIssuer certificate)"
	}
	if len(s.SfB.OAuthServers) == 0 || s.SfB.OAuth.ClientAuthorizationOAuthServerIdentity == "" {
		return "ExCreateItem exchange operations failed, code=ErrorAcsTokenRequest, reason=No OAuth server (microsoft.sts) is configured to request a token from"
	}
	return ""
}

func testExStorage(c *call) ([]ps.Value, error) {
	sip := c.Str("SipUri")
	if !strings.HasPrefix(strings.ToLower(sip), "sip:") {
		return nil, c.Fail("InvalidArgument", "InvalidSipUri", "SipUri \"%s\" is not valid: it must start with sip:, e.g. sip:alice@%s.", sip, c.ip.st.Domain)
	}
	if !strings.HasSuffix(strings.ToLower(sip), "@"+c.ip.st.Domain) {
		return nil, c.Fail("InvalidArgument", "UserNotFound", "User \"%s\" is not a user with both a mailbox and Skype for Business in this organization.", sip)
	}
	verbose := c.Sw("Verbose")
	w := func(line string) {
		if verbose {
			c.ip.out.WriteString("VERBOSE: " + line + "\n")
		}
	}
	w("Successfully opened a connection to storage service at localhost using binding: NetNamedPipe.")
	w("Create message.")
	w("Execute Exchange Storage Command.")
	verdict := c.ip.st.exStorageVerdict(c.ip.host)
	if verdict == "" {
		w("Processing web storage response for ExCreateItem Success., result=ErrorSuccess, activityId=5a2c9e1f-7b3d-4e6a-9c8b-1d2f3a4b5c6d, reason=.")
		w("Is command successful: True")
		c.ip.out.WriteString("Test passed.\n")
		return nil, nil
	}
	w("Processing web storage response for ExCreateItem Failed., result=ErrorCode, activityId=5a2c9e1f-7b3d-4e6a-9c8b-1d2f3a4b5c6d, reason=" + verdict + ".")
	w("Is command successful: False")
	c.ip.out.WriteString("Test failed.\n")
	return nil, c.Fail("InvalidOperation", "ExStorageConnectivityFailed,Microsoft.Rtc.Management.Internal.StorageService.TestCsExStorageConnectivityCmdlet",
		"Test-CsExStorageConnectivity failed: %s", verdict)
}
