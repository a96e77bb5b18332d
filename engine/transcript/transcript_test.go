package transcript

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/remote/shell"
)

func TestRedactPatterns(t *testing.T) {
	r := NewRedactor()
	r.Register(shell.NewSecret("p'w\"d"))
	cases := map[string]string{
		"Authorization: Basic dXNlcjpwYXNz":                         "dXNlcjpwYXNz",
		"authorization=Bearer eyJ0eXAi.abc":                         "eyJ0eXAi",
		"New-Thing -Password 'S3cret!'":                             "S3cret!",
		"New-Thing -Password:\"S3cret!\"":                           "S3cret!",
		"Get-X -Credential $cred":                                   "$cred",
		"ConvertTo-SecureString -String 'abc123' -AsPlainText":      "abc123",
		"[PSCredential]::new('admin', $securePw)":                   "$securePw",
		"Server=db;User Id=sa;Password=hunter2;":                    "hunter2",
		"Write-Output 'p''w\"d' # the registered secret, PS-quoted": "p''w",
		`{"password":"p'w\"d"}`:                                     `p'w\"d`,
	}
	for in, secret := range cases {
		out := r.Redact(in)
		if strings.Contains(out, secret) || !strings.Contains(out, shell.Redacted) {
			t.Errorf("Redact(%q) = %q still holds %q", in, out, secret)
		}
	}
	if got := r.Redact("Get-PartnerApplication | Format-List Name"); got != "Get-PartnerApplication | Format-List Name" {
		t.Errorf("a harmless command was changed: %q", got)
	}
}

func TestExcerpt(t *testing.T) {
	var lines []string
	for i := 1; i <= 100; i++ {
		lines = append(lines, fmt.Sprintf("line %d", i))
	}
	got := Excerpt(strings.Join(lines, "\r\n"), 40)
	if !strings.Contains(got, "line 40\n… 20 lines left out …\nline 61") || strings.Contains(got, "line 41\n") || strings.Contains(got, "\r") {
		t.Fatalf("excerpt:\n%s", got)
	}
	if Excerpt("a\nb", 40) != "a\nb" {
		t.Fatal("a short output must be kept whole")
	}
}

func TestAppendModeAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deep", "transcript.jsonl")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil { // a file someone created too open
		t.Fatal(err)
	}
	l := Open(path, nil)
	for i := 0; i < 3; i++ {
		if err := l.Append(Entry{Kind: KindCommand, Target: "exch01", Command: fmt.Sprint("cmd ", i), ExitCode: i}); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode().Perm(), err)
	}
	es, err := l.Entries()
	if err != nil || len(es) != 3 || es[2].ExitCode != 2 || es[0].Time.IsZero() {
		t.Fatalf("%+v %v", es, err)
	}
	if err := os.WriteFile(path, []byte("{\"kind\":\"command\"}\nnot json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Entries(); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("a corrupt line must be named: %v", err)
	}
	var b bytes.Buffer
	if err := Export(&b, es, "pdf"); err == nil {
		t.Fatal("an unknown format was accepted")
	}
	if err := Export(&b, es, "json"); err != nil || strings.Count(b.String(), "\n") != 3 {
		t.Fatalf("json export %q %v", b.String(), err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv(EnvPath, "")
	t.Setenv("XDG_STATE_HOME", "/tmp/state")
	if p, err := DefaultPath(); err != nil || p != "/tmp/state/ucpilot/transcript.jsonl" {
		t.Fatalf("%q %v", p, err)
	}
	t.Setenv(EnvPath, "/x/t.jsonl")
	if p, _ := DefaultPath(); p != "/x/t.jsonl" {
		t.Fatalf("override ignored: %q", p)
	}
}

func TestExportFencesBackticks(t *testing.T) {
	var b bytes.Buffer
	_ = Export(&b, []Entry{{Kind: KindCommand, Command: "Write-Host ```x```", Output: "done"}}, "markdown")
	if !strings.Contains(b.String(), "````powershell") {
		t.Fatalf("a command holding ``` must get a longer fence:\n%s", b.String())
	}
}

// FuzzRedact: a registered secret never survives redaction, whatever
// surrounds it.
func FuzzRedact(f *testing.F) {
	f.Add("hunter2", "Set-X -Value '", "'")
	f.Add("p'q", "out: ", "\n")
	f.Add("ab", "Authorization: Bearer ", "")
	f.Fuzz(func(t *testing.T, secret, pre, post string) {
		if secret == "" || strings.ContainsRune(secret+pre+post, 0) || strings.Contains(pre+post, secret) {
			return
		}
		r := NewRedactor()
		r.Register(shell.NewSecret(secret))
		// Markers become NUL so text on either side cannot join into the secret.
		out := strings.ReplaceAll(r.Redact(pre+secret+post), shell.Redacted, "\x00")
		if strings.Contains(out, secret) {
			t.Fatalf("Redact(%q) keeps the secret %q: %q", pre+secret+post, secret, out)
		}
	})
}

// FuzzReadEntries: any file content yields entries or an error, never a panic.
func FuzzReadEntries(f *testing.F) {
	f.Add([]byte(`{"time":"2026-01-01T00:00:00Z","kind":"command","target":"x","exit_code":0}` + "\n"))
	f.Add([]byte("\n\n{\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ReadEntries(bytes.NewReader(data), "fuzz")
	})
}

// Output from a server is stored and exported with its control characters
// shown visibly, and a command the run cut off says so.
func TestAppendCleansOutputAndMarksCutOff(t *testing.T) {
	l := Open(filepath.Join(t.TempDir(), "t.jsonl"), nil)
	if err := l.Append(Entry{Kind: KindCommand, Target: "exch01\x1b[2J", Command: "Get-X",
		Output: "name: \x1b]52;c;AAAA\x07 \xff", Error: "context canceled", CutOff: true}); err != nil {
		t.Fatal(err)
	}
	es, err := l.Entries()
	if err != nil || len(es) != 1 {
		t.Fatalf("entries %v %v", es, err)
	}
	e := es[0]
	if e.Target != `exch01\x1b[2J` || e.Output != "name: \\x1b]52;c;AAAA\\x07 \uFFFD" || !e.CutOff {
		t.Errorf("entry %+v", e)
	}
	var b bytes.Buffer
	if err := Export(&b, es, "markdown"); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(b.String(), 0x1b) || !strings.Contains(b.String(), "cut off") {
		t.Errorf("export:\n%q", b.String())
	}
	// A file written before the cleaning is cleaned as it is read.
	raw, _ := ReadEntries(strings.NewReader(`{"kind":"command","target":"x","output":"\u001b[2J"}`+"\n"), "old")
	if len(raw) != 1 || raw[0].Output != `\x1b[2J` {
		t.Errorf("old entry read back as %+v", raw)
	}
}
