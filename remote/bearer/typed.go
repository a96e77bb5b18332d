package bearer

import (
	"strings"
)

// Issuer is one trusted_issuers entry: "<appId>@<realm>", where realm may
// be "*" (any realm, as Exchange Online sends for ACS).
type Issuer struct {
	AppID string
	Realm string
}

func (i Issuer) String() string { return i.AppID + "@" + i.Realm }

// BearerChallenge is the typed form of a Bearer challenge.
type BearerChallenge struct {
	ClientID          string   // the server's own application id
	Realm             string   // the realm parameter, when sent
	TrustedIssuers    []Issuer // issuers whose tokens the server accepts
	HasTrustedIssuers bool     // the parameter was present (possibly empty)
	TokenTypes        []string
	AuthorizationURI  string // set when modern auth (e.g. HMA) is effective
	Error             string // e.g. "invalid_token"
	ErrorDescription  string
	Params            map[string]string // every parameter as sent
}

// ParseBearer types a challenge; it returns nil unless the scheme is Bearer.
func ParseBearer(c Challenge) *BearerChallenge {
	if !c.Is("Bearer") {
		return nil
	}
	b := &BearerChallenge{
		ClientID: c.Params["client_id"], Realm: c.Params["realm"],
		AuthorizationURI: c.Params["authorization_uri"], Error: c.Params["error"],
		ErrorDescription: c.Params["error_description"], Params: c.Params,
		TokenTypes: strings.Fields(c.Params["token_types"]),
	}
	ti, ok := c.Params["trusted_issuers"]
	b.HasTrustedIssuers = ok
	for _, part := range strings.Split(ti, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		app, realm, _ := strings.Cut(part, "@")
		b.TrustedIssuers = append(b.TrustedIssuers, Issuer{AppID: strings.TrimSpace(app), Realm: strings.TrimSpace(realm)})
	}
	return b
}

// FindBearer returns the first Bearer challenge among cs, typed, or nil.
func FindBearer(cs []Challenge) *BearerChallenge {
	for _, c := range cs {
		if b := ParseBearer(c); b != nil {
			return b
		}
	}
	return nil
}

// TrustsIssuer reports whether tokens from appID in realm are accepted:
// an entry must name appID (any case) and either realm or "*".
func (b *BearerChallenge) TrustsIssuer(appID, realm string) bool {
	for _, i := range b.TrustedIssuers {
		if strings.EqualFold(i.AppID, appID) && (i.Realm == "*" || strings.EqualFold(i.Realm, realm)) {
			return true
		}
	}
	return false
}

// RealmsFor lists the realms trusted for appID ("*" included as sent).
// An empty list with a known appID elsewhere hints at a realm typo.
func (b *BearerChallenge) RealmsFor(appID string) []string {
	var out []string
	for _, i := range b.TrustedIssuers {
		if strings.EqualFold(i.AppID, appID) {
			out = append(out, i.Realm)
		}
	}
	return out
}

// Diagnostic is one x-ms-diagnostics header value, e.g.
// 4000000;reason="Flighting is not enabled…";error_category="oauth_not_available".
type Diagnostic struct {
	Code          string
	Reason        string
	ErrorCategory string
	Params        map[string]string // names lowercased
	Raw           string
}

// ParseDiagnostics reads x-ms-diagnostics (or ms-diagnostics) values.
func ParseDiagnostics(values []string) []Diagnostic {
	var out []Diagnostic
	for _, v := range values {
		parts := splitOutsideQuotes(v, ';')
		if len(parts) == 0 {
			continue
		}
		d := Diagnostic{Code: strings.TrimSpace(parts[0]), Params: map[string]string{}, Raw: v}
		for _, p := range parts[1:] {
			name, val, _ := strings.Cut(p, "=")
			name = strings.ToLower(strings.TrimSpace(name))
			val = strings.TrimSpace(val)
			if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
				val = strings.ReplaceAll(val[1:len(val)-1], `\"`, `"`)
			}
			if name != "" {
				d.Params[name] = val
			}
		}
		d.Reason, d.ErrorCategory = d.Params["reason"], d.Params["error_category"]
		out = append(out, d)
	}
	return out
}

func splitOutsideQuotes(s string, sep byte) []string {
	var parts []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && quoted:
			i++
		case s[i] == '"':
			quoted = !quoted
		case s[i] == sep && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	if strings.TrimSpace(s[start:]) != "" || len(parts) == 0 {
		parts = append(parts, s[start:])
	}
	return parts
}
