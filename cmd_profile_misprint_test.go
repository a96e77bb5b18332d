package main

import (
	"strings"
	"testing"
)

// A profile file that holds a documented misprint is a bad profile: exit 3,
// with the key and the correction named, before any check offers fix
// commands built from the misprint.
func TestProfileWithMisprintIsBadProfile(t *testing.T) {
	t.Setenv("UCPILOT_PROFILE", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	p := writeFile(t, "jason.yaml", "topology: onprem\ndomain: contoso.com\nexchange:\n  fqdn: exch01.contoso.com\n"+
		"  metadata_url: https://autodiscover.contoso.com/autodiscover/metadata/jason/1\nsfb:\n  pool: pool01.contoso.com\n")
	code, out, errOut := runCLI(t, "check", "--profile", p)
	if code != 3 {
		t.Fatalf("exit %d, want 3\n%s%s", code, out, errOut)
	}
	all := out + errOut
	for _, want := range []string{"exchange.metadata_url", "misprint", "use https://autodiscover.contoso.com/autodiscover/metadata/json/1"} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(out, "Set-") || strings.Contains(out, "New-Cs") {
		t.Errorf("a bad profile still produced fix commands:\n%s", out)
	}
}

// `id` accepts a metadata URL copied with a trailing slash.
func TestIDAcceptsTrailingSlash(t *testing.T) {
	code, out, errOut := runCLI(t, "id", "https://autodiscover.contoso.com/autodiscover/metadata/json/1/")
	if code != 0 || !strings.Contains(out, "Exchange metadata document") {
		t.Fatalf("exit %d, want 0 naming the Exchange metadata document\n%s%s", code, out, errOut)
	}
}
