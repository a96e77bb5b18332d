package knowledge

import (
	"strings"
	"testing"
)

func TestCheckIdentifier(t *testing.T) {
	b := loadBase(t)
	cases := []struct {
		in, status, id, correction, explain string
	}{
		// Known values, in the forms people paste them.
		{"00000004-0000-0ff1-ce00-000000000000", IDKnown, "appid-lync", "", ""},
		{"  {00000002-0000-0FF1-CE00-000000000000}  ", IDKnown, "appid-exchange", "", ""},
		{`"7557eb47-c689-4224-abcf-aef9bd7573df"`, IDKnown, "appid-teamsscheduler", "", ""},
		{"00000004-0000-0ff1-ce00-000000000000@contoso.com", IDKnown, "appid-lync", "", "realm contoso.com"},
		{"00000001-0000-0000-c000-000000000000@*", IDKnown, "issuer-acs", "", ""},
		{"https://pool01.contoso.com/metadata/json/1", IDKnown, "url-sfb-metadata", "", ""},
		{"https://autodiscover.contoso.com/autodiscover/metadata/json/1", IDKnown, "url-exchange-metadata", "", ""},
		{"https://autodiscover.contoso.com/autodiscover/autodiscover.svc", IDKnown, "url-autodiscover-svc", "", ""},
		{"https://autodiscover.contoso.com/autodiscover/autodiscover.xml", IDKnown, "url-autodiscover-internal-uri", "", "autodiscover.svc"},
		{"microsoft.sts", IDKnown, "object-microsoft-sts", "", ""},
		{"https://autodiscover.contoso.com/autodiscover/metadata/json/1/", IDKnown, "url-exchange-metadata", "", "trailing slash"},
		{"https://pool01.contoso.com/metadata/json/1//", IDKnown, "url-sfb-metadata", "", "trailing slash"},
		// Near misses, each with its exact correction and a plain reason.
		{"00000004-0000-0ff1-ce00-00000000000", IDTypo, "appid-lync", "00000004-0000-0ff1-ce00-000000000000", "the last group has 11 digits; it needs 12: add one zero"},
		{"00000002-000-0ff1-ce00-000000000000", IDTypo, "appid-exchange", "00000002-0000-0ff1-ce00-000000000000", "the second group has 3 digits; it needs 4: add one zero"},
		{"00000004-0000-0ff1-ce00-0000000000000", IDTypo, "appid-lync", "00000004-0000-0ff1-ce00-000000000000", "13 digits; it needs 12: remove one zero"},
		{"00000004-0000-0ffl-ce00-000000000000", IDTypo, "appid-lync", "00000004-0000-0ff1-ce00-000000000000", `'l' is a letter where the digit 1 belongs`},
		{"00000003-0000-0000-c00O-000000000000", IDTypo, "appid-graph", "00000003-0000-0000-c000-000000000000", `'o' is a letter where the digit 0 belongs`},
		{"00000004-0000-0ff1-ce000-00000000000", IDTypo, "appid-lync", "00000004-0000-0ff1-ce00-000000000000", "a hyphen is in the wrong place"},
		{"00000004-0000-0ff1-ce00000000000000", IDTypo, "appid-lync", "00000004-0000-0ff1-ce00-000000000000", "a hyphen is missing"},
		{"00000004-0000-0ff1-ce00-00000000000@contoso.com", IDTypo, "appid-lync", "00000004-0000-0ff1-ce00-000000000000@contoso.com", "add one zero"},
		{"https://pool01.contoso.com/metadata/jason/1", IDTypo, "url-sfb-metadata", "https://pool01.contoso.com/metadata/json/1", "json"},
		{"https://pool01.contoso.com/metadata/json/l", IDTypo, "url-sfb-metadata", "https://pool01.contoso.com/metadata/json/1", "letter l"},
		{"http://pool01.contoso.com/metadata/json/1", IDTypo, "url-sfb-metadata", "https://pool01.contoso.com/metadata/json/1", "https://"},
		{"https://autodiscover.contoso.com/autodiscover/metadata/jason/1/", IDTypo, "url-exchange-metadata", "https://autodiscover.contoso.com/autodiscover/metadata/json/1", "jason"},
		{"http://autodiscover.contoso.com/autodiscover/metadata/jason/1", IDTypo, "url-exchange-metadata", "https://autodiscover.contoso.com/autodiscover/metadata/json/1", "jason"},
		// Unknown.
		{"5d1c0f2e-8f7a-4b3c-9d2e-1a2b3c4d5e6f", IDUnknown, "", "", "well-formed GUID"},
		{"00000005-0000-0ff1-ce00-000000000000", IDUnknown, "", "", "well-formed GUID"},
		{"banana", IDUnknown, "", "", "not a known"},
		{"", IDUnknown, "", "", "empty"},
		{"https://sts.office365.microsoft.com/metadata/json/1", IDUnknown, "", "", "known misprint"},
	}
	for _, c := range cases {
		v := b.CheckIdentifier(c.in)
		if v.Input != c.in {
			t.Errorf("%q: Input = %q", c.in, v.Input)
		}
		if v.Status != c.status {
			t.Errorf("%q: status %s (%s), want %s", c.in, v.Status, v.Explanation, c.status)
			continue
		}
		if c.id != "" && (v.Identifier == nil || v.Identifier.ID != c.id) {
			got := "<nil>"
			if v.Identifier != nil {
				got = v.Identifier.ID
			}
			t.Errorf("%q: identifier %s, want %s", c.in, got, c.id)
		}
		if v.Correction != c.correction {
			t.Errorf("%q: correction %q, want %q", c.in, v.Correction, c.correction)
		}
		if !strings.Contains(v.Explanation, c.explain) {
			t.Errorf("%q: explanation %q does not say %q", c.in, v.Explanation, c.explain)
		}
	}
}

// TestCheckIdentifierDocumentedTypos: every typo the knowledge base lists
// whose correction can be derived is recognised as that identifier's typo.
func TestCheckIdentifierDocumentedTypos(t *testing.T) {
	b := loadBase(t)
	n := 0
	for _, id := range b.Identifiers {
		for _, ty := range id.Typos {
			if strings.Contains(ty.Value, "<") || strings.Contains(id.Value, "<") {
				continue // shapes: covered with concrete host names above
			}
			n++
			v := b.CheckIdentifier(ty.Value)
			if v.Status != IDTypo || v.Identifier == nil || v.Identifier.ID != id.ID || !strings.EqualFold(v.Correction, id.Value) {
				t.Errorf("documented typo %q of %s: got %s %q (%s)", ty.Value, id.ID, v.Status, v.Correction, v.Explanation)
			}
		}
	}
	if n == 0 {
		t.Fatal("no documented GUID typos in identifiers.yaml to test")
	}
}

func checkVerdict(t *testing.T, b *Base, in string) {
	v := b.CheckIdentifier(in)
	if v.Input != in {
		t.Fatalf("Input changed: %q -> %q", in, v.Input)
	}
	switch v.Status {
	case IDKnown:
		if v.Identifier == nil || v.Correction != "" {
			t.Fatalf("%q known without an identifier or with a correction: %+v", in, v)
		}
	case IDTypo:
		if v.Identifier == nil || v.Correction == "" {
			t.Fatalf("%q typo without identifier or correction: %+v", in, v)
		}
		if again := b.CheckIdentifier(v.Correction); again.Status != IDKnown {
			t.Fatalf("%q: correction %q checks as %s, not known", in, v.Correction, again.Status)
		}
	case IDUnknown:
		if v.Identifier != nil || v.Correction != "" {
			t.Fatalf("%q unknown with identifier or correction: %+v", in, v)
		}
	default:
		t.Fatalf("%q: status %q", in, v.Status)
	}
	if v.Explanation == "" {
		t.Fatalf("%q: no explanation", in)
	}
}

func FuzzCheckIdentifier(f *testing.F) {
	b, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"00000004-0000-0ff1-ce00-000000000000", "00000004-0000-0ff1-ce00-00000000000", "00000002-000-0ff1-ce00-000000000000",
		"00000004-0000-0ffl-ce00-000000000000", "0000000O-0000-0ff1-ce00-000000000000", "00000004-0000-0ff1-ce000-00000000000",
		"00000004-0000-0ff1-ce00-000000000000@contoso.com", "00000004-0000-0ff1-ce00-00000000000@", "@", "{}", "\"\"",
		"https://pool01.contoso.com/metadata/jason/1", "http://x/metadata/json/l", "https://a/autodiscover/autodiscover.xml",
		"https://<pool FQDN>/metadata/json/1", "http://", "é-é-é-é-é", strings.Repeat("0", 500), "--------",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkVerdict(t, b, s) })
}

// CheckIdentifierValue reads only the shipped identifiers and must agree
// with the full base.
func TestCheckIdentifierValueMatchesBase(t *testing.T) {
	b := loadBase(t)
	for _, in := range []string{
		"https://autodiscover.contoso.com/autodiscover/metadata/jason/1",
		"00000002-0000-0ff1-ce00-00000000000",
		"https://autodiscover.contoso.com/",
		"exch01.contoso.com",
	} {
		got, want := CheckIdentifierValue(in), b.CheckIdentifier(in)
		if got.Status != want.Status || got.Correction != want.Correction || got.Explanation != want.Explanation {
			t.Errorf("%q: CheckIdentifierValue = %s %q, base = %s %q", in, got.Status, got.Correction, want.Status, want.Correction)
		}
	}
	if v := CheckIdentifierValue("https://autodiscover.contoso.com/"); v.Status != IDUnknown {
		t.Errorf("a bare origin with a slash: %s, want unknown", v.Status)
	}
}
