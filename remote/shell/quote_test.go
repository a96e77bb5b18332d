package shell

import "testing"

func TestQuote(t *testing.T) {
	cases := map[string]string{
		"":                    "''",
		"plain":               "'plain'",
		"O'Brien":             "'O''Brien'",
		"O'Brien ‘x’ $(calc)": "'O''Brien ‘‘x’’ $(calc)'",
		"a‚b‛c":               "'a‚‚b‛‛c'",
		"$env:PATH `n \"dq\"": "'$env:PATH `n \"dq\"'",
		"nul\x00gone":         "'nulgone'",
		"multi\nline":         "'multi\nline'",
	}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsSingleQuote(t *testing.T) {
	for _, r := range []rune{'\'', '‘', '’', '‚', '‛'} {
		if !IsSingleQuote(r) {
			t.Errorf("%q should be a single quote", r)
		}
	}
	for _, r := range []rune{'"', '`', '“', '”', '„', 'a'} {
		if IsSingleQuote(r) {
			t.Errorf("%q should not be a single quote", r)
		}
	}
}
