package knowledge

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"sync"

	"github.com/ucpilot/ucpilot/assets"
)

// Identifier verdicts.
const (
	IDKnown   = "known"
	IDTypo    = "typo"
	IDUnknown = "unknown"
)

// IDVerdict is what CheckIdentifier says about one value.
type IDVerdict struct {
	Input       string
	Status      string // "known" | "typo" | "unknown"
	Identifier  *Identifier
	Correction  string // set with "typo": the value as it should read
	Explanation string
}

// maxIDInput bounds the work on pasted junk; no identifier is this long.
const maxIDInput = 400

// CheckIdentifier names a known identifier (application id, issuer, metadata
// or autodiscover URL shape, default object name), or explains a near miss
// with its exact correction. A "typo" verdict's Correction always checks as
// "known".
func (b *Base) CheckIdentifier(value string) IDVerdict {
	v := IDVerdict{Input: value, Status: IDUnknown}
	s := cleanIDInput(value)
	// A URL copied from a browser's address bar often ends in a slash; the
	// servers answer the same document with or without it.
	slash := ""
	if t := trimURLSlash(s); t != s {
		if id, _ := b.knownID(t); id != nil || len(b.matchTypos(t)) > 0 {
			s, slash = t, "; the trailing slash is harmless"
		}
	}
	switch {
	case s == "":
		v.Explanation = "the value is empty: paste an application id, an issuer or a metadata URL"
		return v
	case len(s) > maxIDInput:
		v.Explanation = "the value is too long to be an identifier"
		return v
	}
	// A literal documented misprint outranks a URL shape it happens to fit
	// (the help example sts.office365.microsoft.com looks like a pool URL).
	if b.isLiteralTypo(s) {
		if corr, why := b.documentedTypo(s); corr != "" {
			if id, _ := b.knownID(corr); id != nil {
				v.Status, v.Identifier, v.Correction, v.Explanation = IDTypo, id, corr, why
				return v
			}
		}
		v.Explanation = b.unknownWhy(s)
		return v
	}
	if id, why := b.knownID(s); id != nil {
		if hint := b.typoHints(s, id); hint != "" {
			why += "; " + hint
		}
		v.Status, v.Identifier, v.Explanation = IDKnown, id, why+slash
		return v
	}
	for _, try := range []func(string) (string, string){b.documentedTypo, b.guidTypo, b.issuerTypo, b.urlTypo} {
		corr, why := try(s)
		if corr == "" {
			continue
		}
		if id, _ := b.knownID(corr); id != nil {
			v.Status, v.Identifier, v.Correction, v.Explanation = IDTypo, id, corr, why
			return v
		}
	}
	v.Explanation = b.unknownWhy(s)
	return v
}

// trimURLSlash drops the trailing slashes of a URL that has a path; other
// values come back unchanged.
func trimURLSlash(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || scheme == "" || !strings.HasSuffix(rest, "/") {
		return s
	}
	host, path, _ := strings.Cut(rest, "/")
	if host == "" || strings.Trim(path, "/") == "" {
		return s
	}
	return scheme + "://" + host + "/" + strings.TrimRight(path, "/")
}

// embeddedIDs is the shipped identifier list, read once on first use.
var embeddedIDs = sync.OnceValues(func() (*Base, error) { return loadIdentifiers(assets.FS) })

func loadIdentifiers(fsys fs.FS) (*Base, error) {
	var ids struct {
		Identifiers []Identifier `yaml:"identifiers"`
	}
	if err := decodeFile(fsys, "identifiers.yaml", &ids); err != nil {
		return nil, err
	}
	return &Base{Identifiers: ids.Identifiers}, nil
}

// CheckIdentifierValue is CheckIdentifier against the shipped identifiers,
// for callers that hold no loaded Base (the profile validator): it reads
// only identifiers.yaml, once. An unreadable list (never, for the embedded
// one) gives an "unknown" verdict.
func CheckIdentifierValue(value string) IDVerdict {
	b, err := embeddedIDs()
	if err != nil {
		return IDVerdict{Input: value, Status: IDUnknown, Explanation: err.Error()}
	}
	return b.CheckIdentifier(value)
}

// cleanIDInput trims blanks, quotes and GUID braces a paste brings along.
func cleanIDInput(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, "\"'`“”‘’")
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = s[1 : len(s)-1]
	}
	return strings.TrimSpace(s)
}

// knownID finds the identifier s is, exactly (case-insensitively), as an
// issuer <app id>@<realm>, or as an instance of a URL shape.
func (b *Base) knownID(s string) (*Identifier, string) {
	low := strings.ToLower(s)
	for i := range b.Identifiers {
		id := &b.Identifiers[i]
		if id.Value != "" && strings.ToLower(id.Value) == low {
			return id, fmt.Sprintf("%s (%s): %s", id.Name, id.Product, strings.TrimSuffix(id.Where, "."))
		}
	}
	if app, realm, ok := strings.Cut(low, "@"); ok && reGUIDFull.MatchString(app) && validRealm(realm) {
		if id := b.issuerFor(app); id != nil {
			return id, fmt.Sprintf("the issuer of %s (application id %s) in realm %s", id.Name, app, realm)
		}
	}
	for i := range b.Identifiers {
		id := &b.Identifiers[i]
		if re := shapeRegexp(id.Value); re != nil && re.MatchString(s) {
			return id, fmt.Sprintf("%s: %s", id.Name, strings.TrimSuffix(id.Where, "."))
		}
	}
	return nil, ""
}

// issuerFor returns the issuer-kind identifier for app id g, or else the
// application id itself.
func (b *Base) issuerFor(g string) *Identifier {
	var app *Identifier
	for i := range b.Identifiers {
		id := &b.Identifiers[i]
		v := strings.ToLower(id.Value)
		if id.Kind == "issuer" && strings.HasPrefix(v, g+"@") {
			return id
		}
		if v == g && app == nil {
			app = id
		}
	}
	return app
}

var reRealm = regexp.MustCompile(`^(\*|[a-z0-9]([a-z0-9\-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]*[a-z0-9])?)*)$`)

// validRealm accepts a domain name, a tenant GUID or the * wildcard.
func validRealm(r string) bool {
	return len(r) <= 253 && (reGUIDFull.MatchString(r) || reRealm.MatchString(r))
}

// shapeRegexp turns a URL value with <placeholders> into a pattern; values
// without a placeholder or not URLs give nil.
func shapeRegexp(value string) *regexp.Regexp {
	low := strings.ToLower(value)
	if !strings.Contains(low, "<") || !strings.HasPrefix(low, "http") {
		return nil
	}
	var b strings.Builder
	b.WriteString("(?i)^")
	rest := value
	for {
		i := strings.Index(rest, "<")
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		j := strings.Index(rest[i:], ">")
		if j < 0 {
			return nil
		}
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		b.WriteString(`([A-Za-z0-9][A-Za-z0-9.\-]*)`)
		rest = rest[i+j+1:]
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil
	}
	return re
}

// typoMatch is a documented misprint (an identifier's typos) that a value
// matches, with the value corrected when the correction can be derived.
type typoMatch struct {
	id   *Identifier
	note string
	corr string
}

// matchTypos finds the documented typos s matches: literally, or as a shape
// whose <placeholders> carry over into the identifier's value.
func (b *Base) matchTypos(s string) []typoMatch {
	var out []typoMatch
	for i := range b.Identifiers {
		id := &b.Identifiers[i]
		for _, t := range id.Typos {
			m := typoMatch{id: id, note: t.Note}
			if strings.EqualFold(t.Value, s) {
				if !strings.Contains(id.Value, "<") {
					m.corr = id.Value
				}
				out = append(out, m)
				continue
			}
			re := shapeRegexp(t.Value)
			if re == nil {
				continue
			}
			if sub := re.FindStringSubmatch(s); sub != nil {
				m.corr = fillPlaceholders(id.Value, sub[1:])
				out = append(out, m)
			}
		}
	}
	return out
}

// fillPlaceholders puts vals into the <placeholders> of shape, in order; it
// returns "" when the counts differ.
func fillPlaceholders(shape string, vals []string) string {
	var b strings.Builder
	rest := shape
	for _, v := range vals {
		i := strings.Index(rest, "<")
		j := strings.Index(rest, ">")
		if i < 0 || j < i {
			return ""
		}
		b.WriteString(rest[:i] + v)
		rest = rest[j+1:]
	}
	if strings.Contains(rest, "<") {
		return ""
	}
	b.WriteString(rest)
	return b.String()
}

// isLiteralTypo reports whether s is, word for word, a documented typo.
func (b *Base) isLiteralTypo(s string) bool {
	for _, id := range b.Identifiers {
		for _, t := range id.Typos {
			if strings.EqualFold(t.Value, s) {
				return true
			}
		}
	}
	return false
}

// documentedTypo corrects a value listed in an identifier's typos.
func (b *Base) documentedTypo(s string) (string, string) {
	for _, m := range b.matchTypos(s) {
		if m.corr == "" {
			continue
		}
		why := fmt.Sprintf("a misprint seen in published material of %s (%s)", m.id.Name, m.corr)
		if d := describeGUIDFix(strings.ToLower(s), strings.ToLower(m.corr)); reGUIDFull.MatchString(strings.ToLower(m.corr)) && d != "" {
			why += ": " + d
		} else if m.note != "" {
			why += ": " + strings.TrimSuffix(m.note, ".")
		}
		return m.corr, why
	}
	return "", ""
}

// typoHints warns that a value known as one identifier is a documented slip
// for another (autodiscover.xml is right for the SCP, wrong for
// ExchangeAutodiscoverUrl).
func (b *Base) typoHints(s string, known *Identifier) string {
	var hints []string
	for _, m := range b.matchTypos(s) {
		if m.id == known || m.corr == "" {
			continue
		}
		hints = append(hints, fmt.Sprintf("but where %s is expected this is a known slip (%s): use %s",
			m.id.Name, strings.TrimSuffix(m.note, "."), m.corr))
	}
	return strings.Join(hints, "; ")
}

func (b *Base) unknownWhy(s string) string {
	if ms := b.matchTypos(s); len(ms) > 0 {
		return fmt.Sprintf("a known misprint of the %s value (%s); the right value has the form %s",
			ms[0].id.Name, strings.TrimSuffix(ms[0].note, "."), ms[0].id.Value)
	}
	low := strings.ToLower(s)
	switch {
	case reGUIDFull.MatchString(low):
		return "a well-formed GUID, but not one of the well-known application ids; it may be a tenant, object or custom application id"
	case strings.Contains(low, "://"):
		return "not a metadata or autodiscover URL of a known shape"
	case strings.Contains(low, "@"):
		return "not an issuer of a known application: an issuer reads <application id>@<realm>"
	}
	return "not a known application id, issuer, URL or object name"
}
