package paste

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Token is a decoded JSON Web Token: the claims this trust turns on, read
// from the header and payload. The signature is neither kept nor checked
// (pasting a token proves nothing about who signed it) and the raw token
// is never kept, so a Token can be shown and written out.
type Token struct {
	Algorithm string // header alg ("RS256", "none" for an unsigned outer token)
	KeyID     string // header x5t or kid: which certificate signed it
	Issuer    string // iss, e.g. 00000004-0000-0ff1-ce00-000000000000@<realm>
	Audience  string // aud, e.g. 00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@<realm>
	NameID    string // nameid: the principal acting (app@realm or a user)
	AppID     string // appid (or azp)
	AppIDACR  string // appidacr: how the app authenticated (0 none, 1 secret, 2 certificate)
	Realm     string // the realm after "@" in aud, iss or nameid
	NotBefore time.Time
	Expires   time.Time
	Signed    bool    // the token carried a signature part
	Claims    []Field // every claim, by name, values bounded (at most maxClaims)
	// ActorToken is the decoded actortoken claim: in an S2S token the
	// outer token is unsigned and names the user; the actor token is the
	// signed one that names the application.
	ActorToken *Token
}

const (
	maxTokenLen = 16 << 10
	maxClaims   = 40
)

// reJWT finds a token: two base64url segments that decode to JSON objects
// (a JSON object's base64url starts with "eyJ"), and an optional signature.
var reJWT = regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{4,}={0,2}\.eyJ[A-Za-z0-9_-]{4,}={0,2}(?:\.[A-Za-z0-9_-]*)?`)

func (p *parse) jwt() {
	if !strings.Contains(p.text, "eyJ") {
		return
	}
	for _, m := range reJWT.FindAllStringIndex(p.text, 4) {
		p.remove(m[0], m[1])
		if p.token != nil {
			continue
		}
		tok, err := DecodeJWT(p.text[m[0]:m[1]])
		if err != nil {
			continue
		}
		p.token = tok
		p.form(FormJWT)
		p.field("token issuer", tok.Issuer)
		p.field("token audience", tok.Audience)
		p.field("token realm", tok.Realm)
	}
}

// TokenMark stands in for a token in text that is shown or echoed.
const TokenMark = "‹token›"

// RedactTokens replaces every JWT in s with TokenMark: a token is a
// credential, so the query a screen or a report echoes never holds one.
func RedactTokens(s string) string {
	if !strings.Contains(s, "eyJ") {
		return s
	}
	return reJWT.ReplaceAllLiteralString(s, TokenMark)
}

// DecodeJWT decodes the header and payload of a compact JWT
// (header.payload[.signature]). It does not verify the signature.
func DecodeJWT(s string) (*Token, error) { return decodeJWT(strings.TrimSpace(s), 0) }

func decodeJWT(s string, depth int) (*Token, error) {
	if len(s) > maxTokenLen {
		return nil, errors.New("token too long")
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return nil, errors.New("not a JWT: expected header.payload[.signature]")
	}
	header, err := decodeSegment(parts[0])
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	payload, err := decodeSegment(parts[1])
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	t := &Token{
		Algorithm: claimString(header["alg"]),
		KeyID:     firstNonEmpty(claimString(header["x5t"]), claimString(header["kid"])),
		Issuer:    claimString(payload["iss"]),
		Audience:  claimString(payload["aud"]),
		NameID:    claimString(payload["nameid"]),
		AppID:     firstNonEmpty(claimString(payload["appid"]), claimString(payload["azp"])),
		AppIDACR:  claimString(payload["appidacr"]),
		Signed:    len(parts) == 3 && parts[2] != "",
	}
	t.NotBefore = claimTime(payload["nbf"])
	t.Expires = claimTime(payload["exp"])
	t.Realm = firstNonEmpty(realmOf(t.Audience), realmOf(t.Issuer), realmOf(t.NameID))
	if depth == 0 {
		if a, ok := payload["actortoken"].(string); ok && a != "" {
			if at, err := decodeJWT(a, depth+1); err == nil {
				t.ActorToken = at
			}
		}
	}
	names := make([]string, 0, len(payload))
	for k := range payload {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if len(t.Claims) >= maxClaims {
			break
		}
		v := claimString(payload[k])
		if k == "actortoken" {
			v = "(decoded below)"
		}
		t.Claims = append(t.Claims, Field{Name: clean(k), Value: clean(v)})
	}
	return t, nil
}

func decodeSegment(seg string) (map[string]any, error) {
	seg = strings.TrimRight(seg, "=")
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		// Some tools emit standard base64.
		raw, err = base64.RawStdEncoding.DecodeString(seg)
		if err != nil {
			return nil, errors.New("not base64url")
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, errors.New("not a JSON object")
	}
	if m == nil {
		return nil, errors.New("not a JSON object")
	}
	return m, nil
}

// claimString shows a claim value as text: strings as they are, numbers
// as written, lists joined with ", ", anything else as compact JSON.
func claimString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return clean(x)
	case json.Number:
		return x.String()
	case bool:
		return fmt.Sprint(x)
	case []any:
		parts := make([]string, 0, len(x))
		for i, e := range x {
			if i >= 8 {
				parts = append(parts, "…")
				break
			}
			parts = append(parts, claimString(e))
		}
		return clean(strings.Join(parts, ", "))
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return ""
		}
		return clean(string(b))
	}
}

func claimTime(v any) time.Time {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}
	}
	f, err := n.Float64()
	// Seconds since 1970, within years 1970..9999.
	if err != nil || f <= 0 || f > 253402300799 {
		return time.Time{}
	}
	return time.Unix(int64(f), 0).UTC()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// realmOf returns what follows the last "@" of a principal name
// (00000004-0000-0ff1-ce00-000000000000@<realm>), or "".
func realmOf(s string) string {
	// A list of audiences: the first one speaks for the token.
	if i := strings.Index(s, ", "); i >= 0 {
		s = s[:i]
	}
	i := strings.LastIndexByte(s, '@')
	if i < 0 || i == len(s)-1 {
		return ""
	}
	return s[i+1:]
}

// AudienceHost is the host the token was issued for: the part after "/"
// in 00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@<realm>, or the
// host of a URL audience.
func (t *Token) AudienceHost() string {
	aud := t.Audience
	if i := strings.Index(aud, ", "); i >= 0 {
		aud = aud[:i]
	}
	if strings.Contains(aud, "://") {
		if u, err := url.Parse(aud); err == nil {
			return strings.ToLower(u.Hostname())
		}
		return ""
	}
	if i := strings.LastIndexByte(aud, '@'); i >= 0 {
		aud = aud[:i]
	}
	i := strings.IndexByte(aud, '/')
	if i < 0 {
		return ""
	}
	host := aud[i+1:]
	if j := strings.IndexAny(host, "/:"); j >= 0 {
		host = host[:j]
	}
	return strings.ToLower(host)
}

// Expect holds what the profile says a token for this trust must carry.
// An empty value is not compared; a zero Now skips the validity check.
type Expect struct {
	Realm        string // the on-premises realm (Get-AuthConfig Realm) or the tenant id
	AudienceHost string // the Exchange host the token is for
	Now          time.Time
}

// Finding is one row of a token held against the profile.
type Finding struct {
	What     string // "realm", "audience host", "validity", "actor token realm"...
	Token    string // what the token says
	Expected string // what the profile says ("" when the profile says nothing)
	OK       bool
	Problem  string // why it is wrong, when !OK
}

// Check returns what differs between the token and the profile: a realm
// mismatch, an audience host that is not the expected one, a token
// expired or not yet valid. No findings: nothing to object to.
func (t *Token) Check(e Expect) []Finding {
	var out []Finding
	for _, f := range t.Compare(e) {
		if !f.OK {
			out = append(out, f)
		}
	}
	return out
}

// Compare holds the token against the profile value by value, for a view
// that shows them side by side; rows without a problem have OK set.
func (t *Token) Compare(e Expect) []Finding {
	if t == nil {
		return nil
	}
	out := t.compare(e, "")
	if t.ActorToken != nil {
		out = append(out, t.ActorToken.compare(Expect{Realm: e.Realm, Now: e.Now}, "actor token ")...)
	}
	return out
}

func (t *Token) compare(e Expect, prefix string) []Finding {
	var out []Finding
	realm := Finding{What: prefix + "realm", Token: t.Realm, Expected: e.Realm, OK: true}
	switch {
	case e.Realm != "" && t.Realm == "":
		realm.OK, realm.Problem = false, "the token names no realm (no @realm in aud, iss or nameid)"
	case e.Realm != "" && !strings.EqualFold(t.Realm, e.Realm):
		realm.OK, realm.Problem = false, fmt.Sprintf("realm %q in the token, the profile expects %q", t.Realm, e.Realm)
	}
	out = append(out, realm)
	if ir, ar := realmOf(t.Issuer), realmOf(t.Audience); ir != "" && ar != "" && !strings.EqualFold(ir, ar) {
		out = append(out, Finding{What: prefix + "issuer realm", Token: ir, Expected: ar,
			Problem: fmt.Sprintf("the issuer's realm %q differs from the audience's realm %q", ir, ar)})
	}
	if prefix == "" {
		host := Finding{What: "audience host", Token: t.AudienceHost(), Expected: strings.ToLower(e.AudienceHost), OK: true}
		switch {
		case e.AudienceHost != "" && host.Token == "":
			host.OK, host.Problem = false, "the audience names no host"
		case e.AudienceHost != "" && !strings.EqualFold(host.Token, e.AudienceHost):
			host.OK, host.Problem = false, fmt.Sprintf("the token is for %q, not the expected host %q", host.Token, e.AudienceHost)
		}
		out = append(out, host)
	}
	if !e.Now.IsZero() {
		v := Finding{What: prefix + "validity", Token: validity(t.NotBefore, t.Expires), Expected: "now " + e.Now.UTC().Format(stamp), OK: true}
		switch {
		case !t.Expires.IsZero() && !e.Now.Before(t.Expires):
			v.OK, v.Problem = false, fmt.Sprintf("expired %s ago", roundAgo(e.Now.Sub(t.Expires)))
		case !t.NotBefore.IsZero() && e.Now.Before(t.NotBefore):
			v.OK, v.Problem = false, fmt.Sprintf("not valid for another %s (a clock ahead on the issuing server?)", roundAgo(t.NotBefore.Sub(e.Now)))
		}
		out = append(out, v)
	}
	return out
}

// stamp is how a time is shown: short, and without a "T" or a hyphen run
// that a narrow view would break inside.
const stamp = "2006-01-02 15:04 UTC"

func validity(nbf, exp time.Time) string {
	switch {
	case nbf.IsZero() && exp.IsZero():
		return "no nbf or exp"
	case nbf.IsZero():
		return "until " + exp.UTC().Format(stamp)
	case exp.IsZero():
		return "from " + nbf.UTC().Format(stamp)
	}
	nbf, exp = nbf.UTC(), exp.UTC()
	if nbf.Format("2006-01-02") == exp.Format("2006-01-02") {
		return nbf.Format("2006-01-02 15:04") + " to " + exp.Format("15:04 UTC")
	}
	return nbf.Format(stamp) + " to " + exp.Format(stamp)
}

func roundAgo(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < 48*time.Hour:
		return d.Round(time.Minute).String()
	default:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
}
