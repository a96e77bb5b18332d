package ps

import (
	"strings"
	"testing"
)

func TestMatchWild(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
	}{
		{"Lync*", "LyncEnterprise-1", true}, {"*auth*", "OAuthAuthentication", true}, {"a?c", "ABC", true},
		{"a*b*c", "axxbyyc", true}, {"a*b*c", "axxbyy", false}, {"", "", true}, {"*", "", true}, {"x", "", false},
		{strings.Repeat("*a", 30) + "b", strings.Repeat("a", 200), false},
	}
	for _, tt := range tests {
		if got := MatchWild(tt.p, tt.s); got != tt.want {
			t.Errorf("MatchWild(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
}

func TestLexQuoting(t *testing.T) {
	tests := []struct {
		src  string
		want []string // token texts
	}{
		{`Get-X -A 'it''s' -B:$true`, []string{"Get-X", "A", "it's", "B", "true"}},
		{"Write-Host \u2018smart\u2019 \u201cquotes\u201d", []string{"Write-Host", "smart", "quotes"}},
		{`& $exscripts\Configure.ps1 -AuthMetadataUrl https://p/x`, []string{"", `$exscripts\Configure.ps1`, "AuthMetadataUrl", "https://p/x"}},
		{"Get-X # comment\nGet-Y", []string{"Get-X", "", "Get-Y"}},
		{"(Get-AuthConfig).CurrentCertificateThumbprint", []string{"", "Get-AuthConfig", "", "CurrentCertificateThumbprint"}},
	}
	for _, tt := range tests {
		toks, err := lex(tt.src)
		if err != nil {
			t.Fatalf("lex(%q): %v", tt.src, err)
		}
		var got []string
		for _, tk := range toks[:len(toks)-1] {
			got = append(got, tk.text)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("lex(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestLexErrors(t *testing.T) {
	for _, src := range []string{`'open`, `"open`, "Get-X {{.Domain}}", `$`, `"a $(b) c"`, `[int`, "<# never closed"} {
		if _, err := Parse(src); err == nil {
			t.Errorf("Parse(%q) accepted", src)
		}
	}
}
