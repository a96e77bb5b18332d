package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCLI drives the whole command line in process.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code = run(ctx, args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Every error a user can meet names what failed, on what, and what to do
// next. This walks the error paths of the headless commands.
func TestErrorMessagesNameTheThingAndTheNextStep(t *testing.T) {
	t.Setenv("UCPILOT_PROFILE", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	badKey := writeFile(t, "bad.yaml", "topology: onprem\ndomain: contoso.com\nexchange:\n  fqdn: exch01.contoso.com\n  fdqn: typo.contoso.com\nsfb:\n  pool: pool01.contoso.com\n")
	badValue := writeFile(t, "badvalue.yaml", "topology: onprem\ndomain: contoso.com\nexchange:\n  fqdn: \"exch 01\"\nsfb:\n  pool: pool01.contoso.com\n")
	// A DNS server that is not there: nothing listens on port 9 of loopback.
	unreachable := writeFile(t, "unreachable.yaml", "topology: onprem\ndomain: contoso.invalid\nexchange:\n  fqdn: exch01.contoso.invalid\nsfb:\n  pool: pool01.contoso.invalid\ndns:\n  server: 127.0.0.1:9\n")
	cases := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // all must appear in stdout+stderr
	}{
		{"unknown lab scenario", []string{"check", "--lab", "nope"}, 3,
			[]string{`"nope"`, "ucpilot lab --list"}},
		{"bad profile key", []string{"check", "--profile", badKey}, 3,
			[]string{"exchange.fdqn", "fqdn", badKey}},
		{"bad profile value", []string{"check", "--profile", badValue}, 3,
			[]string{"exchange.fqdn", `"exch 01"`, "hostname"}},
		{"missing profile file", []string{"check", "--profile", "/nonexistent/p.yaml"}, 3,
			[]string{"/nonexistent/p.yaml", "--profile"}},
		{"no profile at all", []string{"check"}, 3,
			[]string{"no profile", "--profile", "--lab"}},
		{"apply-fixes without a lab", []string{"check", "--apply-fixes"}, 3,
			[]string{"--apply-fixes", "--lab"}},
		{"bad format", []string{"check", "--lab", "healthy", "--format", "xml"}, 3,
			[]string{`"xml"`, "text, json, markdown or openmetrics"}},
		{"unreachable DNS server", []string{"check", "--profile", unreachable, "--only", "dns", "--timeout", "20s"}, 2,
			[]string{"127.0.0.1:9", "dns.autodiscover"}},
		{"id usage", []string{"id"}, 2, []string{"exactly one VALUE"}},
		{"search limit", []string{"search", "--limit", "0", "x"}, 2, []string{"--limit"}},
		{"guide without topology", []string{"guide"}, 2, []string{"--topology", "onprem"}},
		{"unknown command", []string{"chekc"}, 2, []string{"chekc", "ucpilot --help"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			all := out + errOut
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d\n%s", code, tc.wantCode, all)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
		})
	}
}
