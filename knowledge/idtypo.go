package knowledge

import (
	"fmt"
	"strings"
)

// lookalikes maps letters that get printed or typed where a digit belongs.
var lookalikes = map[rune]rune{'o': '0', 'l': '1', 'i': '1'}

func fixLookalikes(s string) string {
	return strings.Map(func(r rune) rune {
		if d, ok := lookalikes[r]; ok {
			return d
		}
		return r
	}, s)
}

// guidLike reports whether s (lowercase) is made of hex digits, look-alike
// letters and hyphens, about as long as a GUID, mostly digits: something
// meant as an application id.
func guidLike(s string) bool {
	if len(s) < 28 || len(s) > 44 || strings.Count(s, "-") < 2 {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'f', r == '-':
		case lookalikes[r] != 0:
		default:
			return false
		}
	}
	return digits*10 >= len(s)*3
}

// guidTypo finds the well-known application id a malformed GUID was meant
// to be: at most two edits away once look-alike letters are read as digits,
// and closer to it than to any other.
func (b *Base) guidTypo(s string) (string, string) {
	low := strings.ToLower(s)
	if !guidLike(low) || reGUIDFull.MatchString(low) {
		return "", "" // well-formed GUIDs are known or unknown, never typos
	}
	fixed := []rune(fixLookalikes(low))
	best, bestD, tie := -1, 3, false
	for i := range b.Identifiers {
		v := strings.ToLower(b.Identifiers[i].Value)
		if !reGUIDFull.MatchString(v) {
			continue
		}
		d := editDistance(fixed, []rune(v), 2)
		switch {
		case d < bestD:
			best, bestD, tie = i, d, false
		case d == bestD && best >= 0 && strings.ToLower(b.Identifiers[best].Value) != v:
			tie = true
		}
	}
	if best < 0 || tie {
		return "", ""
	}
	id := &b.Identifiers[best]
	want := strings.ToLower(id.Value)
	return want, fmt.Sprintf("the %s application id (%s) with a typo: %s", id.Name, want, describeGUIDFix(low, want))
}

// issuerTypo corrects the application-id part of <app id>@<realm>.
func (b *Base) issuerTypo(s string) (string, string) {
	app, realm, ok := strings.Cut(strings.ToLower(s), "@")
	if !ok || !validRealm(realm) {
		return "", ""
	}
	corr, why := b.documentedTypo(app)
	if corr == "" {
		corr, why = b.guidTypo(app)
	}
	if corr == "" {
		return "", ""
	}
	return strings.ToLower(corr) + "@" + realm, "an issuer whose application id is " + why
}

// urlFixes are the misprints seen in metadata and autodiscover URLs, each
// with what to tell the reader.
var urlFixes = []struct {
	suffix, bad, good, why string
}{
	{"", "/metadata/jason/", "/metadata/json/", `the path says "jason"; it must be "json" (/metadata/json/1)`},
	{"/metadata/json/l", "/metadata/json/l", "/metadata/json/1", "the path ends with the letter l; it must be the digit 1"},
	{"/metadata/json/i", "/metadata/json/i", "/metadata/json/1", "the path ends with the letter I; it must be the digit 1"},
	{"/metadata/json", "/metadata/json", "/metadata/json/1", "the path must end /metadata/json/1"},
	{"/metadata/json/", "/metadata/json/", "/metadata/json/1", "the path must end /metadata/json/1"},
	{"/autodiscover.xml", "/autodiscover.xml", "/autodiscover.svc", "it ends autodiscover.xml; the ExchangeAutodiscoverUrl must end autodiscover.svc"},
}

// urlTypo applies the known URL fixes; the caller keeps the result only if
// it is a known URL shape.
func (b *Base) urlTypo(s string) (string, string) {
	if !strings.Contains(s, "://") || strings.ContainsAny(s, " \t") {
		return "", ""
	}
	corr := s
	if len(strings.ToLower(corr)) != len(corr) {
		corr = strings.ToLower(corr) // keep byte offsets aligned below
	}
	var why []string
	if strings.HasPrefix(strings.ToLower(corr), "http://") {
		corr = "https://" + corr[len("http://"):]
		why = append(why, "it uses http://; the document is only served over https://")
	}
	for _, f := range urlFixes {
		low := strings.ToLower(corr)
		if f.suffix != "" && !strings.HasSuffix(low, f.suffix) {
			continue
		}
		if i := strings.Index(low, f.bad); i >= 0 {
			corr = corr[:i] + f.good + corr[i+len(f.bad):]
			why = append(why, f.why)
		}
	}
	if len(why) == 0 {
		return "", ""
	}
	return corr, strings.Join(why, "; ")
}

var ordinals = []string{"first", "second", "third", "fourth", "last"}

// describeGUIDFix says in plain words how got differs from want, both
// lowercase: look-alike letters, misplaced or missing hyphens, groups with
// a digit too few or too many.
func describeGUIDFix(got, want string) string {
	var notes []string
	seen := map[rune]bool{}
	for _, r := range got {
		if d, ok := lookalikes[r]; ok && !seen[r] {
			seen[r] = true
			notes = append(notes, fmt.Sprintf("%q is a letter where the digit %c belongs", r, d))
		}
	}
	fixed := fixLookalikes(got)
	gg, wg := strings.Split(fixed, "-"), strings.Split(want, "-")
	shape := func(gs []string) string {
		l := make([]string, len(gs))
		for i, g := range gs {
			l[i] = fmt.Sprint(len(g))
		}
		return strings.Join(l, "-")
	}
	switch {
	case strings.ReplaceAll(fixed, "-", "") == strings.ReplaceAll(want, "-", "") && fixed != want:
		what := "a hyphen is in the wrong place"
		if len(gg) < len(wg) {
			what = "a hyphen is missing"
		} else if len(gg) > len(wg) {
			what = "there is a hyphen too many"
		}
		notes = append(notes, fmt.Sprintf("%s: the groups are %s digits long, they must be %s", what, shape(gg), shape(wg)))
	case len(gg) == len(wg):
		for i := range gg {
			if gg[i] != wg[i] {
				notes = append(notes, describeGroup(i, len(gg), gg[i], wg[i]))
			}
		}
	case fixed != want:
		notes = append(notes, fmt.Sprintf("the groups are %s digits long, they must be %s; it should read %s", shape(gg), shape(wg), want))
	}
	return strings.Join(notes, "; ")
}

func describeGroup(i, n int, got, want string) string {
	name := fmt.Sprintf("group %d", i+1)
	if n == len(ordinals) {
		name = ordinals[i]
	}
	lg, lw := len(got), len(want)
	oneZeroLess := func(long, short string) bool {
		for k := 0; k < len(long); k++ {
			if long[k] == '0' && long[:k]+long[k+1:] == short {
				return true
			}
		}
		return false
	}
	switch {
	case lg == lw-1 && oneZeroLess(want, got):
		return fmt.Sprintf("the %s group has %d digits; it needs %d: add one zero", name, lg, lw)
	case lg == lw+1 && oneZeroLess(got, want):
		return fmt.Sprintf("the %s group has %d digits; it needs %d: remove one zero", name, lg, lw)
	case lg != lw:
		return fmt.Sprintf("the %s group has %d digits; it needs %d: it should read %s", name, lg, lw, want)
	}
	return fmt.Sprintf("the %s group reads %s; it should read %s", name, got, want)
}
