package shell

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// psToken is what a tiny PowerShell literal tokenizer sees: a single-quoted string, a
// double-quoted string, or a run of code. It is written independently of readQuoted so
// the fuzz test checks Render against the language rule, not against itself.
type psToken struct {
	kind string // "sq", "dq", "code"
	text string
}

func isDQ(r rune) bool { return r == '"' || r == '\u201C' || r == '\u201D' || r == '\u201E' }

func tokenize(t *testing.T, src string) []psToken {
	t.Helper()
	rs := []rune(src)
	var toks []psToken
	var code []rune
	flush := func() {
		if len(code) > 0 {
			toks = append(toks, psToken{"code", string(code)})
			code = nil
		}
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case IsSingleQuote(r):
			flush()
			var val []rune
			closed := false
			for i++; i < len(rs); i++ {
				if IsSingleQuote(rs[i]) {
					if i+1 < len(rs) && IsSingleQuote(rs[i+1]) {
						i++
						val = append(val, rs[i])
						continue
					}
					closed = true
					break
				}
				val = append(val, rs[i])
			}
			if !closed {
				t.Fatalf("unterminated single-quoted string in %q", src)
			}
			toks = append(toks, psToken{"sq", string(val)})
		case isDQ(r):
			flush()
			var val []rune
			for i++; i < len(rs) && !isDQ(rs[i]); i++ {
				if rs[i] == '`' && i+1 < len(rs) {
					i++
				}
				val = append(val, rs[i])
			}
			toks = append(toks, psToken{"dq", string(val)})
		case r == '#' && (i == 0 || rs[i-1] == '\n'):
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			code = append(code, '\n')
		default:
			code = append(code, r)
		}
	}
	flush()
	return toks
}

func stringTokens(toks []psToken) []string {
	var out []string
	for _, tk := range toks {
		if tk.kind != "code" {
			out = append(out, tk.text)
		}
	}
	return out
}

func codeOnly(toks []psToken) string {
	var b strings.Builder
	for _, tk := range toks {
		if tk.kind == "code" {
			b.WriteString(tk.text)
		} else {
			b.WriteString("<S>")
		}
	}
	return b.String()
}

func FuzzScriptQuoting(f *testing.F) {
	for _, s := range []string{"", "x", "O'Brien", "‘’‚‛'", "'; Remove-Item C:\\ -Recurse; '",
		"’+$(calc)+’", "a\nb\r\n", "``$env:x", "\"dq\"", "#comment", "''''", "\u2019\u2019\u2019"} {
		f.Add(s, "plain")
	}
	f.Fuzz(func(t *testing.T, v1, v2 string) {
		s := Script{Body: "Write-Output $alpha $beta", Args: map[string]string{"alpha": v1, "beta": v2}}
		out, err := s.Render()
		bad := func(v string) bool { return !utf8.ValidString(v) || strings.ContainsRune(v, 0) }
		if bad(v1) || bad(v2) {
			var ve *ArgValueError
			if !errors.As(err, &ve) {
				t.Fatalf("value with NUL/invalid UTF-8 rendered: err=%v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		toks := tokenize(t, out)
		got := stringTokens(toks)
		want := []string{"SilentlyContinue", v1, v2}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("string tokens = %q, want %q\nscript:\n%s", got, want, out)
		}
		// Everything outside the strings is the fixed skeleton: no value leaked into code.
		wantCode := "\n$ProgressPreference = <S>\n[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false\n" +
			"$alpha = <S>\n$beta = <S>\n\n\nWrite-Output $alpha $beta\n\n"
		if c := codeOnly(toks); c != wantCode {
			t.Fatalf("code skeleton changed:\n%q\nwant\n%q", c, wantCode)
		}
		back, err := ParseRendered(out)
		if err != nil || back.Args["alpha"] != v1 || back.Args["beta"] != v2 {
			t.Fatalf("ParseRendered = %+v, %v", back.Args, err)
		}
	})
}

func TestRenderJSONEnvelope(t *testing.T) {
	s := Script{Prelude: SfBPrelude(), Body: "Get-CsPartnerApplication -Identity $appId",
		Args: map[string]string{"appId": "microsoft.exchange"}, JSON: true}
	out, err := s.Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"$ErrorActionPreference = 'Stop'", "$appId = 'microsoft.exchange'",
		"Import-Module SkypeForBusiness", "Import-Module Lync", "ConvertTo-Json -InputObject $ucpilotOut -Depth 5 -Compress",
		"[Console]::Error.Write", "exit 1", JSONMarker} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered script lacks %q", want)
		}
	}
	// Argument lines must precede any code that could use them.
	if strings.Index(out, "$appId =") > strings.Index(out, "try {") {
		t.Error("argument assigned after the envelope opened")
	}
	toks := tokenize(t, out)
	if got := stringTokens(toks); got[2] != "microsoft.exchange" {
		t.Errorf("tokens %q", got)
	}
	back, err := ParseRendered(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, s) {
		t.Errorf("ParseRendered = %+v\nwant %+v", back, s)
	}
	if _, err := CommandLine(out); err != nil {
		t.Errorf("the SfB envelope should fit the cmd.exe limit: %v", err)
	}
}

func TestExchangePreludeFits(t *testing.T) {
	s := Script{Prelude: ExchangePrelude(), Body: "Get-PartnerApplication | Select-Object Name,Enabled,ApplicationIdentifier,AuthMetadataUrl,Realm,UseAuthServer,IssuerIdentifier,@{n='LinkedAccount';e={[string]$_.LinkedAccount}}", JSON: true}
	out, err := s.Render()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `RemoteExchange.ps1`) || !strings.Contains(out, "Connect-ExchangeServer -auto") {
		t.Error("Exchange prelude missing its bootstrap")
	}
	if _, err := CommandLine(out); err != nil {
		t.Errorf("Exchange envelope + typical body should fit: %v", err)
	}
}

func TestRenderRejects(t *testing.T) {
	cases := []struct {
		args map[string]string
		want string
	}{
		{map[string]string{"args": "x"}, "automatic variable"},
		{map[string]string{"ucpilotOut": "x"}, "reserved"},
		{map[string]string{"1x": "x"}, "ASCII letters"},
		{map[string]string{"a-b": "x"}, "ASCII letters"},
		{map[string]string{"": "x"}, "empty"},
		{map[string]string{"Name": "x", "name": "y"}, "only by case"},
		{map[string]string{"v": "a\x00b"}, "NUL"},
		{map[string]string{"v": "\xff"}, "UTF-8"},
	}
	for _, c := range cases {
		_, err := Script{Body: "x", Args: c.args}.Render()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
}

func TestParseRenderedRejects(t *testing.T) {
	good, _ := Script{Body: "x", Args: map[string]string{"a": "1"}}.Render()
	for _, s := range []string{"", "Get-Thing", strings.Replace(good, "# ucpilot:end", "", 1),
		strings.Replace(good, "'1'", "'1", 1), strings.Replace(good, "# ucpilot:body", "#", 1)} {
		if _, err := ParseRendered(s); err == nil {
			t.Errorf("ParseRendered accepted %q", s)
		}
	}
}

func FuzzParseRendered(f *testing.F) {
	good, _ := Script{Prelude: "p", Body: "b", Args: map[string]string{"a": "it's"}, JSON: true}.Render()
	f.Add(good)
	f.Add("# ucpilot script v1\n$x")
	f.Fuzz(func(t *testing.T, s string) {
		sc, err := ParseRendered(s)
		if err != nil {
			return
		}
		// Anything accepted must render to an equivalent script.
		again, err := sc.Render()
		if err != nil {
			return // e.g. a body that ParseRendered accepts but names Render refuses
		}
		sc2, err := ParseRendered(again)
		if err != nil || !reflect.DeepEqual(sc, sc2) {
			t.Fatalf("re-render changed the script: %+v vs %+v (%v)", sc, sc2, err)
		}
	})
}
