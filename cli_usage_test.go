package main

import (
	"strings"
	"testing"
)

// check serves monitoring systems, where exit 2 reads CRITICAL: a bad flag
// or a run of nothing is "could not run" (3), and says why; other commands
// keep 2 for usage. A mistyped command names the nearest one, and errors
// do not repeat their prefix (issue 14 item 8).
func TestUsageExitCodesAndMessages(t *testing.T) {
	t.Setenv("UCPILOT_PROFILE", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	prof := writeFile(t, "p.yaml", "topology: onprem\ndomain: contoso.com\nexchange:\n  fqdn: exch01.contoso.com\nsfb:\n  pool: pool01.contoso.com\ndns:\n  server: 127.0.0.1:9\n")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"check", "--fromat", "json"}, 3, "unknown flag: --fromat"},
		{[]string{"check", "--timeout", "banana"}, 3, `invalid argument "banana"`},
		{[]string{"check", "--lab"}, 3, "flag needs an argument: --lab"},
		{[]string{"check", "--profile", prof, "--only", "powershell"}, 3, "need PowerShell on the servers"},
		{[]string{"chek"}, 2, "Did you mean check?"},
		{[]string{"search", ""}, 2, "the query is empty"},
		{[]string{"search", "--limt", "3", "x"}, 2, "unknown flag"},
	}
	for _, tc := range cases {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	code, _, stderr := runCLI(t, "check", "--lab", "nosuch")
	if code != 3 || strings.Contains(stderr, "lab: lab:") || !strings.Contains(stderr, `no scenario named "nosuch"`) {
		t.Errorf("check --lab nosuch: exit %d, stderr %q", code, stderr)
	}
}
