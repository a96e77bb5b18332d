package knowledge

import (
	"slices"
	"strings"
	"testing"
)

// searchCase is one real-looking query and the entry it must find. top1
// demands first place (pasted lines whose text is distinctive); otherwise
// the entry must be in the first three.
type searchCase struct {
	query string
	want  string
	top1  bool
}

var searchCases = []searchCase{
	// Fragments people type.
	{"code=5", "exstorage-code5-rtcuniversaluseradmins", true},
	{"jason", "metadata-url-jason", true},
	{"/metadata/jason/1", "metadata-url-jason", true},
	{"401 storage", "exstorage-401-oauth-not-accepted", false},
	{"der", "cert-der-not-base64", true},
	{"realm", "realm-mismatch", true},
	{"iisreset", "iisreset-missing", false},
	{"iisrest", "iisreset-missing", false},
	{"574", "exstorage-574-content-type", true},
	{"HCW8064", "hcw8064-oauth-portion-failed", true},
	{"rtcuniversaluseradmins", "exstorage-code5-rtcuniversaluseradmins", false},
	{"autodiscover.xml", "autodiscover-url-xml-not-svc", true},
	{"AutoDiscoverServiceInternalUri", "autodiscover-internal-uri-blank", true},
	{"ApplicationTrustLevel", "sfb-partnerapp-trust-level-not-full", false},
	{"OAuthTokenIssuer 2048", "sfb-oauth-cert-weak-or-subject", false},
	{"clock skew", "clock-skew", true},
	{"redirect loop owa", "exchange-auth-cert-expired", false},
	{"windowsazureacs other tenant", "hcw-overwrote-windowsazureacs", false},
	{"sfb 2015 rtm autodiscover", "sfb2015-rtm-autodiscover-hardcoded", false},
	{"out of office voicemail greeting", "teams-legacy-app-removed-early", false},
	{"ucs contacts lost", "ucs-rollback-before-move", false},
	{"netsh winhttp proxy", "proxy-blocks-acs-metadata", true},
	{"UploadAuthCert duplicate", "graph-upload-duplicate-keys", true},
	{"ServicePrincipalNames wiped", "spn-list-replaced", false},
	{"serialization hmac valid certificate", "auth-cert-renew-fixes-serialization", false},
	{"delegate teams meeting", "teams-delegate-cannot-schedule", false},
	{"32053", "stale-client-authorization-oauth-server-identity", true},
	{"evosts exchange 2010", "exchange2010-evosts-default", false},
	{"cert-der", "cert-der-not-base64", true},
	{"authorization_uri", "hma-not-effective-no-authorization-uri", true},
	// Whole pasted lines with dates, servers, thumbprints and punctuation.
	{"Test-CsExStorageConnectivity : ExCreateItem exchange operations failed, code=5 at 11/3/2025 10:04:33 AM", "exstorage-code5-rtcuniversaluseradmins", true},
	{`WWW-Authenticate: Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*"`, "hma-not-effective-no-authorization-uri", false},
	{`x-ms-diagnostics: 4000000;reason="Flighting is not enabled for domain 'mail.fabrikam.com'.";error_category="oauth_not_available"`, "hma-not-effective-no-authorization-uri", true},
	{"Test-CsExStorageConnectivity : Client found response content type of '', but expected 'text/xml'. 2025-11-03T10:04:33Z", "exstorage-574-content-type", true},
	{`New-CsPartnerApplication : Cannot bind parameter 'MetadataUrl' to the target. Exception setting "MetadataUrl": "The metadata document could not be downloaded from the URL in the MetadataUrl parameter or downloaded data is not a valid metadata document."`, "new-cspartnerapp-metadata-download-failed", false},
	{"ASSERT: HMACProvider.GetCertificates:protectionCertificates.Length<1", "hmac-provider-assert", true},
	{"A special Rpc error occurs on server EXCH02: The certificate with thumbprint 3F2A9C0B1D4E5F60718293A4B5C6D7E8F9012345 was not found.", "exchange-auth-cert-missing-on-server", true},
	{"Log Name: Application Source: MSExchange Web Services Date: 5/2/2018 8:12:01 AM Event ID: 24 The Exchange certificate [Subject] CN=Microsoft Exchange Server Auth Certificate [Thumbprint] 1B2C3D4E5F60718293A4B5C6D7E8F90123456789 expired on 4/30/2018 9:00:00 PM", "exchange-auth-cert-expired-ews-event24", true},
	{"Event ID: 1003 Source: MSExchange Front End HTTPS Proxy System.NullReferenceException at Microsoft.Exchange.HttpProxy.FbaModule.ParseCadataCookies(HttpApplication httpApplication)", "exchange-auth-cert-expired", true},
	{"Event 32053 LS Storage Service: Storage Service had an EWS Autodiscovery failure. ExchangeAutodiscoverException: code=ErrorEwsAutodiscover, reason=GetUserSettings failed", "stale-client-authorization-oauth-server-identity", true},
	{"HCW8064 - The HCW has completed, but was not able to perform the OAuth portion of your Hybrid configuration.", "hcw8064-oauth-portion-failed", true},
	{"New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-00000000000 -Type asymmetric -Usage Verify -Value $credValue", "appid-missing-zero", true},
	{"00000004-0000-0ffl-ce00-000000000000", "appid-letter-for-digit", false},
	{"The term 'Configure-EnterpriseApplication.ps1' is not recognized as the name of a cmdlet, function, script file, or operable program.", "configure-enterpriseapplication-name", true},
	{"A positional parameter cannot be found that accepts argument 'â€“AuthMetadataURL'.", "smart-quotes-dashes", true},
	{"Unexpected token '-AuthMetadataUrl' in expression or statement.", "script-path-in-quotes", true},
	{"Overwrite the existing default SMTP certificate?", "new-exchangecertificate-smtp-prompt", true},
	{"Legacy Skype for Business Online Partner Application detected", "legacy-sfb-partnerapp-only", true},
	{"Unable to connect to the server, please try again later", "teams-delegate-cannot-schedule", true},
	{"Your Skype meeting has been created. We'll add joining details after the invitation has been sent.", "owa-skype-meeting-join-details-missing", true},
	{"Credential lifetime exceeds the max value allowed as per assigned policy", "tenant-keycred-lifetime-policy", true},
	{"The term 'Connect-MsolService' is not recognized as the name of a cmdlet", "msonline-retired", true},
	{"The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.", "metadata-tls-untrusted", true},
	{"The request was aborted: Could not create SSL/TLS secure channel.", "tls12-strong-crypto", true},
	{"Get-CsOAuthServer MetadataUrl : https://sts.office365.microsoft.com/metadata/json/1", "oauth-server-sts-wrong-url", true},
	{"nslookup autodiscover.contoso.com returns autodiscover.outlook.com", "autodiscover-external-points-o365", true},
	{"ExchangeAutodiscoverUrl : https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml", "autodiscover-url-xml-not-svc", true},
}

// negativeQueries are about something else entirely, or only noise: they
// must return nothing rather than the least bad entry.
var negativeQueries = []string{
	"banana smoothie recipe",
	"kubernetes pod crashloop",
	"how do I bake sourdough bread",
	"docker compose volume permissions",
	"the error is that it failed",
	"11/3/2025 10:04:33 AM",
	"3F2A9C0B1D4E5F60718293A4B5C6D7E8F9012345",
	"5d1c0f2e-8f7a-4b3c-9d2e-1a2b3c4d5e6f",
	"",
	"   ",
	"!!! ??? ...",
}

func loadBase(t testing.TB) *Base {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

func hitIDs(hits []Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

func TestSearchQuality(t *testing.T) {
	b := loadBase(t)
	if len(searchCases) < 35 {
		t.Fatalf("only %d search cases; keep at least 35", len(searchCases))
	}
	for _, c := range searchCases {
		hits := b.Search(c.query, 3)
		ids := hitIDs(hits)
		if b.Pitfall(c.want) == nil {
			t.Errorf("query %q expects pitfall %s, which is not in the knowledge base yet", c.query, c.want)
			continue
		}
		switch {
		case c.top1 && (len(ids) == 0 || ids[0] != c.want):
			t.Errorf("query %q: want %s first, got %v", c.query, c.want, ids)
		case !slices.Contains(ids, c.want):
			t.Errorf("query %q: want %s in the top 3, got %v", c.query, c.want, ids)
		}
	}
}

func TestSearchNegative(t *testing.T) {
	b := loadBase(t)
	for _, q := range negativeQueries {
		if hits := b.Search(q, 5); len(hits) > 0 {
			t.Errorf("query %q should find nothing, got %v (top score %.2f)", q, hitIDs(hits), hits[0].Score)
		}
	}
}

func TestSearchHitShape(t *testing.T) {
	b := loadBase(t)
	hits := b.Search("partner application exchange", 0)
	if len(hits) < 5 {
		t.Fatalf("a broad query found only %d hits", len(hits))
	}
	kinds := map[Kind]bool{}
	for i, h := range hits {
		kinds[h.Kind] = true
		if h.Score <= 0 || h.Score > 1 {
			t.Errorf("hit %s score %v outside (0,1]", h.ID, h.Score)
		}
		if i > 0 && hits[i-1].Score < h.Score {
			t.Errorf("hits not sorted: %s %.3f before %s %.3f", hits[i-1].ID, hits[i-1].Score, h.ID, h.Score)
		}
		set := 0
		for _, p := range []bool{h.Pitfall != nil, h.Step != nil, h.Identifier != nil, h.Cmdlet != nil} {
			if p {
				set++
			}
		}
		if set != 1 {
			t.Errorf("hit %s (%s) has %d entry pointers set, want 1", h.ID, h.Kind, set)
		}
		if h.Kind == KindStep && h.Topology == nil {
			t.Errorf("step hit %s has no topology", h.ID)
		}
	}
	if !kinds[KindPitfall] || !kinds[KindStep] {
		t.Errorf("broad query should reach pitfalls and steps, got kinds %v", kinds)
	}
	if got := b.Search("partner application exchange", 2); len(got) != 2 {
		t.Errorf("limit 2 returned %d hits", len(got))
	}
}

func TestSearchIdentifiersAndSteps(t *testing.T) {
	b := loadBase(t)
	cases := []struct {
		query string
		kind  Kind
		id    string
	}{
		{"00000004-0000-0ff1-ce00-000000000000", KindIdentifier, "appid-lync"},
		{"7557eb47-c689-4224-abcf-aef9bd7573df", KindIdentifier, "appid-teamsscheduler"},
		{"00000001", KindIdentifier, "appid-acs"},
	}
	for _, c := range cases {
		hits := b.Search(c.query, 5)
		if !slices.ContainsFunc(hits, func(h Hit) bool { return h.Kind == c.kind && h.ID == c.id }) {
			t.Errorf("query %q: want %s %s in the top 5, got %v", c.query, c.kind, c.id, hitIDs(hits))
		}
	}
	// Every step must be findable by its own title.
	for _, tp := range b.Topologies {
		for _, s := range tp.Steps {
			hits := b.Search(s.Title, 5)
			if !slices.ContainsFunc(hits, func(h Hit) bool { return h.ID == s.ID }) {
				t.Errorf("step %s not in the top 5 for its title %q: %v", s.ID, s.Title, hitIDs(hits))
			}
		}
	}
}

// TestSearchNoiseInvariance: noise added around a query must not change
// the top hit.
func TestSearchNoiseInvariance(t *testing.T) {
	b := loadBase(t)
	noise := []string{"at 11/3/2025 10:04:33 AM", "from 10.1.2.3", "9F8E7D6C5B4A39281706F5E4D3C2B1A098765432", "{5d1c0f2e-8f7a-4b3c-9d2e-1a2b3c4d5e6f}"}
	for _, c := range searchCases {
		if !c.top1 {
			continue
		}
		for _, n := range noise {
			q := c.query + " " + n
			hits := b.Search(q, 1)
			if len(hits) == 0 || hits[0].ID != c.want {
				t.Errorf("query %q: noise changed the top hit to %v", q, hitIDs(hits))
			}
		}
	}
}

func TestLexNoise(t *testing.T) {
	var got []string
	lex(`Test-CsExStorageConnectivity : ExCreateItem exchange operations failed, code=5 at 11/3/2025 10:04:33 AM on 10.0.0.1 ver 15.2.1118.7 thumb 3F2A9C0B1D4E5F60718293A4B5C6D7E8F9012345 id 00000004-0000-0ff1-ce00-00000000000`, func(t lexTok) {
		if !t.extra {
			got = append(got, t.text)
		}
	})
	joined := strings.Join(got, " ")
	for _, noise := range []string{"2025", "10:04", "04", "10.0.0.1", "1118", "3f2a9c0b1d4e5f60718293a4b5c6d7e8f9012345"} {
		if slices.Contains(got, noise) {
			t.Errorf("noise %q kept in %q", noise, joined)
		}
	}
	for _, keep := range []string{"test", stem("csexstorageconnectivity"), "excreateitem", "code", "5", "00000004-0000-0ff1-ce00-00000000000"} {
		if !slices.Contains(got, keep) {
			t.Errorf("token %q lost from %q", keep, joined)
		}
	}
}
