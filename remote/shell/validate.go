package shell

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode/utf8"
)

// ValueError says a value given for a script is not acceptable, and why.
type ValueError struct {
	Kind   string // "hostname", "SIP URI", "URL", "GUID", "thumbprint"
	Value  string
	Reason string
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("%s %q is not valid: %s", e.Kind, e.Value, e.Reason)
}

func invalid(kind, value, format string, a ...any) error {
	return &ValueError{Kind: kind, Value: value, Reason: fmt.Sprintf(format, a...)}
}

// checkPlain rejects what never belongs in an identifier: invalid UTF-8, control
// characters (newline, NUL, …) and invisible format characters such as the
// left-to-right mark that Windows certificate dialogs prepend to copied thumbprints.
func checkPlain(kind, v string) error {
	if v == "" {
		return invalid(kind, v, "it is empty")
	}
	if !utf8.ValidString(v) {
		return invalid(kind, v, "it is not valid UTF-8")
	}
	for i, r := range v {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029':
			return invalid(kind, v, "it contains the control character U+%04X at byte %d", r, i)
		case (r >= '\u200b' && r <= '\u200f') || r == '\ufeff' || (r >= '\u202a' && r <= '\u202e'):
			return invalid(kind, v, "it contains the invisible character U+%04X at byte %d (often pasted "+
				"from a certificate dialog or a document); retype it", r, i)
		}
	}
	return nil
}

// ValidateHostname accepts a DNS name (RFC 1123 labels) or an IP address.
func ValidateHostname(h string) error {
	const kind = "hostname"
	if err := checkPlain(kind, h); err != nil {
		return err
	}
	if net.ParseIP(h) != nil {
		return nil
	}
	name := strings.TrimSuffix(h, ".")
	if len(name) > 253 {
		return invalid(kind, h, "it is %d characters long; DNS allows 253", len(name))
	}
	for _, label := range strings.Split(name, ".") {
		if err := checkLabel(label); err != nil {
			return invalid(kind, h, "%s", err)
		}
	}
	return nil
}

func checkLabel(label string) error {
	if label == "" {
		return fmt.Errorf("it has an empty label (two dots in a row, or a leading dot)")
	}
	if len(label) > 63 {
		return fmt.Errorf("label %q is longer than 63 characters", label)
	}
	if label[0] == '-' || label[len(label)-1] == '-' {
		return fmt.Errorf("label %q starts or ends with a hyphen", label)
	}
	for _, r := range label {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("label %q contains %q; only letters, digits and hyphens are allowed", label, r)
		}
	}
	return nil
}

// ValidateSIPURI accepts sip:user@domain (the form Test-CsExStorageConnectivity -SipUri wants).
func ValidateSIPURI(u string) error {
	const kind = "SIP URI"
	if err := checkPlain(kind, u); err != nil {
		return err
	}
	if len(u) < 4 || !strings.EqualFold(u[:4], "sip:") {
		return invalid(kind, u, `it must start with "sip:", as in sip:user@contoso.com`)
	}
	user, domain, ok := strings.Cut(u[4:], "@")
	if !ok || user == "" {
		return invalid(kind, u, "it needs a user part before @, as in sip:user@contoso.com")
	}
	if strings.ContainsAny(user, " \"'<>;,@") {
		return invalid(kind, u, "the user part %q contains a space, quote, angle bracket, comma or semicolon", user)
	}
	if err := ValidateHostname(domain); err != nil {
		return invalid(kind, u, "the domain part is not a valid hostname: %s", err.(*ValueError).Reason)
	}
	return nil
}

// ValidateURL accepts an absolute http(s) URL with a valid host and no whitespace.
func ValidateURL(raw string) error {
	const kind = "URL"
	if err := checkPlain(kind, raw); err != nil {
		return err
	}
	if strings.ContainsAny(raw, " \t") {
		return invalid(kind, raw, "it contains a space")
	}
	p, err := url.Parse(raw)
	if err != nil {
		return invalid(kind, raw, "it does not parse: %v", err)
	}
	if p.Scheme != "https" && p.Scheme != "http" {
		return invalid(kind, raw, "the scheme must be https (or http), not %q", p.Scheme)
	}
	if err := ValidateHostname(p.Hostname()); err != nil {
		return invalid(kind, raw, "the host is not valid: %s", err.(*ValueError).Reason)
	}
	return nil
}

// ValidateGUID accepts the 8-4-4-4-12 hex form without braces.
func ValidateGUID(g string) error {
	const kind = "GUID"
	if err := checkPlain(kind, g); err != nil {
		return err
	}
	groups := strings.Split(g, "-")
	want := []int{8, 4, 4, 4, 12}
	if len(groups) != len(want) {
		return invalid(kind, g, "it has %d groups separated by hyphens; a GUID has 5 (8-4-4-4-12 hex digits)", len(groups))
	}
	for i, grp := range groups {
		if len(grp) != want[i] {
			return invalid(kind, g, "group %d has %d characters; it must have %d hex digits "+
				"(a digit dropped or added while copying?)", i+1, len(grp), want[i])
		}
		if j := strings.IndexFunc(grp, notHex); j >= 0 {
			r, _ := utf8.DecodeRuneInString(grp[j:])
			return invalid(kind, g, "group %d contains %q, which is not a hex digit (a letter typed for a digit, "+
				"such as l for 1 or O for 0?)", i+1, r)
		}
	}
	return nil
}

// ValidateThumbprint accepts a certificate thumbprint: 40 hex digits (SHA-1).
func ValidateThumbprint(t string) error {
	const kind = "thumbprint"
	if err := checkPlain(kind, t); err != nil {
		return err
	}
	if strings.ContainsAny(t, " :") {
		return invalid(kind, t, "it contains spaces or colons; write the 40 hex digits together")
	}
	if j := strings.IndexFunc(t, notHex); j >= 0 {
		r, _ := utf8.DecodeRuneInString(t[j:])
		return invalid(kind, t, "it contains %q, which is not a hex digit", r)
	}
	if len(t) != 40 {
		return invalid(kind, t, "it has %d hex digits; a thumbprint has 40", len(t))
	}
	return nil
}

func notHex(r rune) bool {
	return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F')
}
