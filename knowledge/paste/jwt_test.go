package paste

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func testJWT(tb testing.TB, payload map[string]any, signed bool) string {
	tb.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	alg, sig := "none", ""
	if signed {
		alg, sig = "RS256", "c2lnbmF0dXJl"
	}
	return enc(map[string]any{"alg": alg, "typ": "JWT", "x5t": "XYZ"}) + "." + enc(payload) + "." + sig
}

const (
	realm   = "5de110f8-2e0f-4d45-891d-bcf2218e253d"
	lync    = "00000004-0000-0ff1-ce00-000000000000"
	exch    = "00000002-0000-0ff1-ce00-000000000000"
	nbfUnix = 1796400000 // 2026-12-04 ... UTC
)

// s2sToken is an outer (unsigned) token naming the user and carrying the
// signed actor token that names the Lync application, as Lync sends it.
func s2sToken(tb testing.TB) string {
	actor := testJWT(tb, map[string]any{
		"aud": exch + "/mail.contoso.com@" + realm, "iss": lync + "@" + realm,
		"nameid": lync + "@" + realm, "nbf": nbfUnix, "exp": nbfUnix + 43200,
		"identityprovider": lync + "@" + realm,
	}, true)
	return testJWT(tb, map[string]any{
		"aud": exch + "/mail.contoso.com@" + realm, "iss": lync + "@" + realm,
		"nameid": "S-1-5-21-1-2-3-1104", "nii": "urn:office:idp:activedirectory",
		"nbf": nbfUnix, "exp": nbfUnix + 3600, "actortoken": actor,
	}, false)
}

func TestDecodeS2SToken(t *testing.T) {
	tok, err := DecodeJWT(s2sToken(t))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Issuer != lync+"@"+realm || tok.Realm != realm || tok.AudienceHost() != "mail.contoso.com" || tok.Signed || tok.Algorithm != "none" {
		t.Errorf("outer token: %+v", tok)
	}
	if tok.NotBefore.Unix() != nbfUnix || tok.Expires.Unix() != nbfUnix+3600 {
		t.Errorf("validity %v - %v", tok.NotBefore, tok.Expires)
	}
	a := tok.ActorToken
	if a == nil || !a.Signed || a.KeyID != "XYZ" || a.NameID != lync+"@"+realm || a.Realm != realm {
		t.Fatalf("actor token: %+v", a)
	}
	for _, c := range tok.Claims {
		if c.Name == "actortoken" && strings.Contains(c.Value, "eyJ") {
			t.Errorf("the raw actor token is kept: %q", c.Value)
		}
	}
}

func TestRecognizeToken(t *testing.T) {
	r := Recognize("Authorization: Bearer " + s2sToken(t) + "\n")
	if r.Token == nil || !r.has(FormJWT) {
		t.Fatalf("no token: %+v", r)
	}
	if strings.Contains(r.Signal, "eyJ") {
		t.Errorf("the token reached the signal: %q", r.Signal)
	}
	if got, want := r.Summary(), "recognized: a JSON Web Token · token issuer, audience, realm and actor token"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

func TestTokenCheck(t *testing.T) {
	tok, err := DecodeJWT(s2sToken(t))
	if err != nil {
		t.Fatal(err)
	}
	valid := time.Unix(nbfUnix+60, 0)
	if f := tok.Check(Expect{Realm: strings.ToUpper(realm), AudienceHost: "MAIL.contoso.com", Now: valid}); len(f) != 0 {
		t.Errorf("a matching token has findings: %+v", f)
	}
	cases := []struct {
		name string
		e    Expect
		want []string // What of each finding
	}{
		{"realm", Expect{Realm: "contoso.com", Now: valid}, []string{"realm", "actor token realm"}},
		{"host", Expect{AudienceHost: "exchange.contoso.com"}, []string{"audience host"}},
		{"expired", Expect{Now: time.Unix(nbfUnix+7200, 0)}, []string{"validity"}},
		{"both expired", Expect{Now: time.Unix(nbfUnix+86400, 0)}, []string{"validity", "actor token validity"}},
		{"not yet", Expect{Now: time.Unix(nbfUnix-600, 0)}, []string{"validity", "actor token validity"}},
	}
	for _, c := range cases {
		got := tok.Check(c.e)
		var whats []string
		for _, f := range got {
			whats = append(whats, f.What)
			if f.Problem == "" || f.OK {
				t.Errorf("%s: finding without a problem: %+v", c.name, f)
			}
		}
		if strings.Join(whats, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: findings %v, want %v (%+v)", c.name, whats, c.want, got)
		}
	}
	if f := tok.Check(Expect{Now: time.Unix(nbfUnix+7200, 0)}); len(f) == 1 && !strings.Contains(f[0].Problem, "expired 1h0m0s ago") {
		t.Errorf("expiry problem %q", f[0].Problem)
	}
	// Issuer and audience in different realms.
	odd, err := DecodeJWT(testJWT(t, map[string]any{"aud": exch + "/mail.contoso.com@" + realm, "iss": lync + "@contoso.com"}, true))
	if err != nil {
		t.Fatal(err)
	}
	if f := odd.Check(Expect{}); len(f) != 1 || f[0].What != "issuer realm" {
		t.Errorf("realm inconsistency: %+v", f)
	}
	// A URL audience (Entra token).
	url, err := DecodeJWT(testJWT(t, map[string]any{"aud": "https://Mail.Contoso.com/", "iss": "https://sts.windows.net/" + realm + "/"}, true))
	if err != nil || url.AudienceHost() != "mail.contoso.com" {
		t.Errorf("url audience: %v %q", err, url.AudienceHost())
	}
}

func TestRedactTokens(t *testing.T) {
	tok := s2sToken(t)
	got := RedactTokens("Authorization: Bearer " + tok + " and again " + tok)
	if got != "Authorization: Bearer "+TokenMark+" and again "+TokenMark {
		t.Errorf("redacted: %q", got)
	}
	if RedactTokens("no token here") != "no token here" {
		t.Error("plain text changed")
	}
}

func TestDecodeJWTRejects(t *testing.T) {
	for _, s := range []string{"", "a.b", "eyJhbGciOiJub25lIn0", "eyJhbGciOiJub25lIn0.!!!.x", "bnVsbA.bnVsbA", strings.Repeat("a", maxTokenLen+1)} {
		if _, err := DecodeJWT(s); err == nil {
			t.Errorf("%q decoded", s)
		}
	}
}

func FuzzDecodeJWT(f *testing.F) {
	f.Add(s2sToken(f))
	f.Add(testJWT(f, map[string]any{"aud": []any{"a", "b@c"}, "exp": "x", "nbf": 1e300}, true))
	f.Add("eyJhbGciOiJub25lIn0.eyJ9.")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := DecodeJWT(s)
		if err != nil {
			return
		}
		if len(tok.Claims) > maxClaims {
			t.Fatalf("%d claims", len(tok.Claims))
		}
		for _, c := range tok.Claims {
			if strings.ContainsAny(c.Value, "\n\x1b") || strings.ContainsAny(c.Name, "\n\x1b") {
				t.Fatalf("claim %q shows %q", c.Name, c.Value)
			}
		}
		_ = tok.Compare(Expect{Realm: "r", AudienceHost: "h", Now: time.Unix(1, 0)})
		_ = tok.AudienceHost()
	})
}
