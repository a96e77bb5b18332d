package knowledge

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// The lexer turns free text (knowledge-base fields, or a query that may be a
// whole pasted error line) into search tokens. Pasted lines carry dates,
// times, thumbprints, server names and punctuation that say nothing about the
// problem; those are dropped here so that they neither match nor dilute.

// tokClass says what a lexed token is; index and query treat classes
// differently (a long number is kept in the knowledge base, where it is
// meaningful, but dropped from a query unless the base knows it).
type tokClass uint8

const (
	clsWord     tokClass = iota // a word (lowercased, lightly stemmed)
	clsNum                      // a number of at most 5 digits: 5, 401, 574, 32053
	clsLongNum                  // a number of 6 or more digits
	clsGUID                     // a well-formed 8-4-4-4-12 GUID
	clsGUIDFrag                 // the start of a GUID: 00000004-0000-0ff1
	clsBadGUID                  // something meant as a GUID but malformed
	clsPhrase                   // a multi-word member of the domain vocabulary (never lexed)
)

// badGUIDMarker is an extra token emitted beside every malformed GUID, so a
// pitfall that quotes one broken id is found by a query with another.
const badGUIDMarker = "~badguid"

// lexTok is one token. Extra tokens (camel-case parts, the bad-GUID marker)
// share the position of their parent and take no part in phrases.
type lexTok struct {
	text  string
	class tokClass
	extra bool
	surf  string // the word as written (lowercase) when text is its stem
}

var (
	reDate     = regexp.MustCompile(`^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$`)
	reTime     = regexp.MustCompile(`^\d{1,2}:\d{2}(:\d{2})?([.,]\d+)?(z)?$`)
	reISO      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}t[\d:.,]+(z|[+\-]\d{2}:?\d{2})?$`)
	reDotted   = regexp.MustCompile(`^\d+(\.\d+){2,}(:\d+)?$`) // IPv4 addresses, version numbers
	reGUIDFull = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	reGUIDFrag = regexp.MustCompile(`^[0-9a-f]{8}(-[0-9a-f]{1,12}){1,4}$`)
)

// stopWords never make a match on their own: function words, and the words
// every error message carries.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	add := func(w string) {
		m[w] = true
		m[stem(w)] = true // tokens arrive stemmed: "please" as "pleas"
	}
	for _, w := range strings.Fields(`a an the is are was were be been being to of on in at for from by
		with without and or not no nor but if then than this that these those it its as into onto
		error errors failed fail fails failure occurred occurs occur please am pm
		can cannot could would should will may might do does did done has have had
		you your we our they their there here what which who when where how why all any some
		www http https com net org contoso fabrikam
		i me my so just also only very
		m s t d ll ve re don doesn didn isn aren wasn weren won shouldn couldn wouldn hasn haven hadn`) {
		// (the last line: what is left of "I'm", "don't", "you've" once the
		// apostrophe has split them)
		add(w)
	}
	return m
}()

// isHardSep reports whether r always separates tokens. The soft separators
// (- . : / @ \ _) are kept inside a chunk first, so dates, times, GUIDs,
// addresses and URLs can be recognised whole.
func isHardSep(r rune) bool {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return false
	}
	switch r {
	case '-', '.', ':', '/', '@', '\\', '_':
		return false
	}
	return true
}

func isSoft(r rune) bool {
	switch r {
	case '-', '.', ':', '/', '@', '\\', '_':
		return true
	}
	return false
}

// lex splits text into tokens and calls emit for each, in order.
func lex(text string, emit func(lexTok)) {
	for _, chunk := range strings.FieldsFunc(text, isHardSep) {
		chunk = strings.TrimFunc(chunk, isSoft)
		if chunk == "" {
			continue
		}
		low := strings.ToLower(chunk)
		if isNoiseChunk(low) {
			continue // a date, time, address or version
		}
		// Split the chunk at the soft separators other than the hyphen:
		// "00000004-…@contoso.com" keeps its GUID, a URL falls into words.
		for _, sub := range strings.FieldsFunc(chunk, func(r rune) bool { return isSoft(r) && r != '-' }) {
			sub = strings.Trim(sub, "-")
			if sub != "" {
				lexHyphenated(sub, emit)
			}
		}
	}
}

// isNoiseChunk recognises dates, times, IP addresses and version numbers.
// Each starts with a digit, which spares most words the regexps.
func isNoiseChunk(low string) bool {
	if low[0] < '0' || low[0] > '9' {
		return false
	}
	return reDate.MatchString(low) || reTime.MatchString(low) || reISO.MatchString(low) || reDotted.MatchString(low)
}

// lexHyphenated handles one piece that may hold hyphens: a GUID, a broken
// GUID, a GUID fragment, or hyphen-joined words (Test-CsExStorageConnectivity).
func lexHyphenated(sub string, emit func(lexTok)) {
	low := strings.ToLower(sub)
	if strings.Contains(low, "-") && strings.ContainsAny(low, "0123456789") {
		switch {
		case reGUIDFull.MatchString(low):
			emit(lexTok{text: low, class: clsGUID})
			return
		case GUIDAttempt(low):
			emit(lexTok{text: low, class: clsBadGUID})
			emit(lexTok{text: badGUIDMarker, class: clsWord, extra: true})
			return
		case reGUIDFrag.MatchString(low):
			emit(lexTok{text: low, class: clsGUIDFrag})
			return
		}
	}
	for _, w := range strings.Split(sub, "-") {
		if w != "" {
			lexWord(w, emit)
		}
	}
}

// lexWord classifies a piece without separators.
func lexWord(w string, emit func(lexTok)) {
	low := strings.ToLower(w)
	digits, hexLetters, others := 0, 0, 0
	for _, r := range low {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'f':
			hexLetters++
		default:
			others++
		}
	}
	n := utf8.RuneCountInString(low)
	switch {
	case digits == n:
		if n <= 5 {
			emit(lexTok{text: low, class: clsNum})
		} else {
			emit(lexTok{text: low, class: clsLongNum})
		}
		return
	case others == 0 && n >= 12 && digits > 0:
		return // a thumbprint, hash or key id
	case digits > 0 && n >= 20:
		return // base64, a token, a long generated name
	}
	main := stem(low)
	t := lexTok{text: main, class: clsWord}
	if main != low {
		t.surf = low
	}
	emit(t)
	// Camel-case parts let "storage" find Test-CsExStorageConnectivity.
	parts := camelParts(w)
	if len(parts) > 1 {
		for _, p := range parts {
			low := strings.ToLower(p)
			if p = stem(low); len(p) >= 3 && p != main && !stopWords[p] {
				t := lexTok{text: p, class: clsWord, extra: true}
				if p != low {
					t.surf = low
				}
				emit(t)
			}
		}
	}
}

// camelParts splits "CsExStorageConnectivity" into Cs, Ex, Storage,
// Connectivity and "OAuthTokenIssuer" into OAuth, Token, Issuer (a run of
// capitals stays with the next word's first capital only when a lower-case
// letter follows it).
func camelParts(w string) []string {
	rs := []rune(w)
	var parts []string
	start := 0
	for i := 1; i < len(rs); i++ {
		prev, cur := rs[i-1], rs[i]
		nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
		boundary := unicode.IsLower(prev) && unicode.IsUpper(cur) ||
			unicode.IsUpper(prev) && unicode.IsUpper(cur) && nextLower ||
			unicode.IsLetter(prev) && unicode.IsDigit(cur) ||
			unicode.IsDigit(prev) && unicode.IsLetter(cur)
		if boundary {
			parts = append(parts, string(rs[start:i]))
			start = i
		}
	}
	parts = append(parts, string(rs[start:]))
	// Join a lone leading "O" to "Auth": OAuth is one word to people.
	out := parts[:0]
	for i := 0; i < len(parts); i++ {
		if len(parts[i]) == 1 && i+1 < len(parts) {
			parts[i+1] = parts[i] + parts[i+1]
			continue
		}
		out = append(out, parts[i])
	}
	return out
}

// stem reduces a plain lowercase word to its Snowball (Porter 2) stem, so
// that "skewed" meets "skew" and "renewal" meets "renew". Short words (ews,
// sts, ucs) and anything with a digit or a symbol (codes, identifiers) are
// kept as written.
func stem(w string) string {
	if len(w) < 4 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return w
		}
	}
	return english.Stem(w, false)
}

// GUIDAttempt reports whether s looks like someone meant to write a GUID
// (five hyphen-separated groups of hex digits, allowing the look-alike
// letters O, o, l and I) but it is not exactly 8-4-4-4-12 hex digits.
func GUIDAttempt(s string) bool {
	groups := strings.Split(s, "-")
	if len(groups) != 5 {
		return false
	}
	total, digits := 0, 0
	for _, g := range groups {
		if g == "" || len(g) > 16 {
			return false
		}
		for _, r := range g {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r >= 'a' && r <= 'f', r >= 'A' && r <= 'F', strings.ContainsRune("OolIi", r):
			default:
				return false
			}
		}
		total += len(g)
	}
	if total < 24 || total > 40 || digits*10 < total*3 {
		return false
	}
	return !reGUIDFull.MatchString(strings.ToLower(s))
}

// findGUIDAttempts returns every malformed GUID in text, as written.
func findGUIDAttempts(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r == '-' || r >= '0' && r <= '9' || unicode.IsLetter(r))
	}) {
		f = strings.Trim(f, "-")
		if GUIDAttempt(f) {
			out = append(out, f)
		}
	}
	return out
}
