package lab_test

import (
	"strings"
	"testing"
)

// Install-Module takes the module name by position, as the msonline-retired
// fix types it.
func TestInstallModuleTakesTheNameByPosition(t *testing.T) {
	l := startLab(t, "healthy-hybrid")
	for _, script := range []string{
		"Install-Module Microsoft.Graph.Applications -Scope CurrentUser",
		"Install-Module -Name Microsoft.Graph.Applications -Scope CurrentUser",
	} {
		r := run(t, l.Shell("graph"), script)
		if r.ExitCode != 0 || !strings.Contains(r.Stdout, "Microsoft.Graph.Applications") {
			t.Fatalf("%s: exit %d, %q %q", script, r.ExitCode, r.Stdout, r.Stderr)
		}
	}
}
