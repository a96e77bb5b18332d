package bearer

import (
	"bufio"
	"net/http"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixtureResponse reads the response part of a .http fixture: its status
// code and headers (the spec file starts with the request).
func fixtureResponse(t testing.TB, name string) (int, http.Header) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "HTTP/1.1 ")
	if i < 0 {
		t.Fatalf("%s: no response line", name)
	}
	r := textproto.NewReader(bufio.NewReader(strings.NewReader(s[i:] + "\r\n\r\n")))
	line, _ := r.ReadLine()
	code := 0
	for _, c := range strings.Fields(line)[1] {
		code = code*10 + int(c-'0')
	}
	h, err := r.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		t.Fatalf("%s: %v", name, err)
	}
	return code, http.Header(h)
}

// exoChallenge is the header value inside the EXO log line.
func exoChallenge(t testing.TB) string {
	b, err := os.ReadFile("testdata/exo-ews-401-bearer-challenge.real.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, v, ok := strings.Cut(strings.TrimSpace(string(b)), "received: ")
	if !ok {
		t.Fatal("EXO fixture: no 'received: '")
	}
	return v
}

const (
	exchangeApp = "00000002-0000-0ff1-ce00-000000000000"
	sfbApp      = "00000004-0000-0ff1-ce00-000000000000"
	acsApp      = "00000001-0000-0000-c000-000000000000"
)

func TestEXOSingleValueWithTwoSchemes(t *testing.T) {
	cs := ParseChallenges([]string{exoChallenge(t)})
	if len(cs) != 2 || !cs[0].Is("bearer") || cs[1].Scheme != "Basic" {
		t.Fatalf("challenges %+v", cs)
	}
	if v, ok := cs[1].Params["realm"]; !ok || v != "" {
		t.Fatalf("Basic Realm=\"\" lost: %+v", cs[1])
	}
	b := FindBearer(cs)
	if b.ClientID != exchangeApp || b.AuthorizationURI != "https://login.microsoftonline.com/common/oauth2/authorize" {
		t.Fatalf("%+v", b)
	}
	if len(b.TokenTypes) != 2 || b.TokenTypes[1] != "service_asserted_app_v1" {
		t.Fatalf("token types %v", b.TokenTypes)
	}
	if len(b.TrustedIssuers) != 1 || b.TrustedIssuers[0] != (Issuer{acsApp, "*"}) {
		t.Fatalf("issuers %v", b.TrustedIssuers)
	}
	if !b.TrustsIssuer(strings.ToUpper(acsApp), "any-tenant.onmicrosoft.com") || b.TrustsIssuer(sfbApp, "contoso.com") {
		t.Fatal("@* handling wrong")
	}
}

func TestFixtureHeaders(t *testing.T) {
	tests := []struct {
		file      string
		schemes   string
		issuers   int
		trustsSfB bool
		authURI   bool
		errParam  string
		diagCat   string
	}{
		{"exchange-onprem-eas-401-bearer-hma-with-sfb-issuer.real.http", "Bearer Basic", 2, true, true, "", ""},
		{"exchange-onprem-eas-401-bearer-no-authorization-uri.real.http", "Bearer Basic", 1, false, false, "invalid_token", "oauth_not_available"},
		{"ms-oauth2ex-4.6-autodiscover-401-example.spec.http", "Bearer Basic", 1, false, false, "", ""},
	}
	for _, tc := range tests {
		code, h := fixtureResponse(t, tc.file)
		if code != 401 {
			t.Fatalf("%s: status %d", tc.file, code)
		}
		cs := ParseChallenges(h.Values("WWW-Authenticate"))
		var names []string
		for _, c := range cs {
			names = append(names, c.Scheme)
		}
		b := FindBearer(cs)
		if strings.Join(names, " ") != tc.schemes || b == nil {
			t.Fatalf("%s: schemes %v", tc.file, names)
		}
		if len(b.TrustedIssuers) != tc.issuers || b.TrustsIssuer(sfbApp, "contoso.com") != tc.trustsSfB ||
			(b.AuthorizationURI != "") != tc.authURI || b.Error != tc.errParam || b.ClientID != exchangeApp {
			t.Errorf("%s: %+v", tc.file, b)
		}
		d := ParseDiagnostics(h.Values("X-Ms-Diagnostics"))
		if tc.diagCat != "" && (len(d) != 1 || d[0].ErrorCategory != tc.diagCat || d[0].Code != "4000000" ||
			d[0].Reason != "Flighting is not enabled for domain 'mail.dummy.uk'.") {
			t.Errorf("%s: diagnostics %+v", tc.file, d)
		}
	}
	_, h := fixtureResponse(t, "exchange-onprem-eas-401-bearer-hma-with-sfb-issuer.real.http")
	b := FindBearer(ParseChallenges(h.Values("WWW-Authenticate")))
	if got := b.RealmsFor(acsApp); len(got) != 1 || got[0] != "5de110f8-2e0f-4d45-891d-bcf2218e253d" {
		t.Fatalf("ACS realms %v", got)
	}
	if b.TrustsIssuer(sfbApp, "fabrikam.com") || !b.TrustsIssuer(sfbApp, "CONTOSO.COM") {
		t.Fatal("realm must match (any case) when not *")
	}
}

func TestParseChallengeShapes(t *testing.T) {
	tests := []struct {
		in   []string
		want string // scheme[token68]{k=v,…} …
	}{
		{[]string{"Negotiate", "NTLM"}, "Negotiate NTLM"},
		{[]string{"Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag==, NTLM"}, "Negotiate[YIIGhgYGKwYBBQUCoIIGejCCBnag==] NTLM"},
		{[]string{`Bearer trusted_issuers="", client_id="00000004-0000-0ff1-ce00-000000000000"`}, "Bearer{client_id=00000004-0000-0ff1-ce00-000000000000,trusted_issuers=}"},
		{[]string{`Basic realm="a \"quoted\" realm", charset=UTF-8`}, `Basic{charset=UTF-8,realm=a "quoted" realm}`},
		{[]string{`MsRtcOAuth href="https://pool01.contoso.com/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows"`}, "MsRtcOAuth{grant_type=urn:microsoft.rtc:windows,href=https://pool01.contoso.com/WebTicket/oauthtoken}"},
		{[]string{`Bearer realm="x", error="invalid_token", realm="dup"`}, "Bearer{error=invalid_token,realm=x}"},
		{[]string{`Bearer realm="unterminated`}, "Bearer{realm=unterminated}"},
		{[]string{`realm="orphan"`}, "{realm=orphan}"},
		{[]string{"", " , ,", "@@@ Basic"}, "Basic"},
	}
	for _, tc := range tests {
		if got := render(ParseChallenges(tc.in)); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func render(cs []Challenge) string {
	var parts []string
	for _, c := range cs {
		s := c.Scheme
		if c.Token68 != "" {
			s += "[" + c.Token68 + "]"
		}
		if len(c.Params) > 0 {
			var kv []string
			for k, v := range c.Params {
				kv = append(kv, k+"="+v)
			}
			slices.Sort(kv)
			s += "{" + strings.Join(kv, ",") + "}"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func FuzzParseChallenges(f *testing.F) {
	f.Add(exoChallenge(f))
	for _, name := range []string{"exchange-onprem-eas-401-bearer-hma-with-sfb-issuer.real.http",
		"exchange-onprem-eas-401-bearer-no-authorization-uri.real.http", "ms-oauth2ex-4.6-autodiscover-401-example.spec.http"} {
		_, h := fixtureResponse(f, name)
		f.Add(strings.Join(h.Values("WWW-Authenticate"), ", "))
	}
	f.Add(`Negotiate YIIG==, Basic realm="a\"b"`)
	f.Fuzz(func(t *testing.T, s string) {
		cs := ParseChallenges([]string{s})
		for _, c := range cs {
			if c.Scheme == "" && len(c.Params) == 0 {
				t.Fatalf("empty challenge from %q", s)
			}
			if c.Params == nil {
				t.Fatal("nil params map")
			}
			if b := ParseBearer(c); b != nil {
				b.TrustsIssuer("a", "b")
			}
		}
		ParseDiagnostics([]string{s})
	})
}
