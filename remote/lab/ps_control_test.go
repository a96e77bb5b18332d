package lab_test

import (
	"strings"
	"testing"
)

// TestIfThrowHashAppend covers the statements the Graph key scripts use:
// if / else, throw, hash table literals, += on arrays and @( … | … ).
func TestIfThrowHashAppend(t *testing.T) {
	g := startLab(t, "healthy-hybrid").Shell("graph")
	cases := []struct {
		script string
		exit   int
		out    string
	}{
		{"if (1 -gt 0) { Write-Host yes } else { Write-Host no }", 0, "yes\n"},
		{"if (0 -gt 1) { Write-Host yes } else { Write-Host no }", 0, "no\n"},
		{"if (@(1,2).Count -gt 1) { Write-Host two }", 0, "two\n"},
		{"$a = @(1); $a += 2; $a += 3; $a.Count", 0, "3\n"},
		{"$h = @{ A = 1; B = 'x' }; $h.B", 0, "x\n"},
		{"@(@{ K = 'v' } | Where-Object { -not $_.K }).Count", 0, "0\n"},
		{"@(@{ K = '' } | Where-Object { -not $_.K }).Count", 0, "1\n"},
		{"throw 'stop here'; Write-Host after", 1, ""},
	}
	for _, c := range cases {
		r := run(t, g, c.script)
		if r.ExitCode != c.exit || r.Stdout != c.out {
			t.Errorf("%q: exit %d stdout %q stderr %q; want exit %d stdout %q", c.script, r.ExitCode, r.Stdout, r.Stderr, c.exit, c.out)
		}
		if c.exit != 0 && !strings.Contains(r.Stderr, "stop here") {
			t.Errorf("%q: the thrown message is not reported: %q", c.script, r.Stderr)
		}
	}
}
