package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// e2eProfile points every probe at a closed loopback port, so the run
// ends quickly (connection refused) and never leaves the machine.
const e2eProfile = `topology: onprem
domain: contoso.invalid
exchange:
  fqdn: exch01.contoso.invalid
  metadata_url: https://127.0.0.1:1/autodiscover/metadata/json/1
  ews_url: https://127.0.0.1:1/EWS/Exchange.asmx
sfb:
  pool: pool01.contoso.invalid
  metadata_url: https://127.0.0.1:1/metadata/json/1
dns:
  server: 127.0.0.1:1
`

// TestChecksEndToEndInTmux opens Checks in the real binary with a profile
// from $UCPILOT_PROFILE, waits for the run to finish and quits. It skips
// until main passes tui.Options.Checks (no "Checks" entry on Home).
func TestChecksEndToEndInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed (apt-get install tmux); the end-to-end test needs it")
	}
	dir := t.TempDir()
	prof := filepath.Join(dir, "profile.yaml")
	if err := os.WriteFile(prof, []byte(e2eProfile), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := e2eBinary(t)
	sock := fmt.Sprintf("ucpilot-checks-e2e-%d", os.Getpid())
	const session = "checks"
	run := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { _, _ = run("kill-server") })
	cmd := fmt.Sprintf("env UCPILOT_PROFILE=%s XDG_CONFIG_HOME=%s %s --theme dark", prof, dir, bin)
	if out, err := run("new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd); err != nil {
		t.Fatalf("tmux new-session failed: %v\n%s", err, out)
	}
	screen := waitForScreen(t, run, session, "Where to start")
	if !strings.Contains(screen, "look at the servers") { // the Home entry of Checks
		t.Skip("Home has no Checks entry: main does not pass tui.Options.Checks yet")
	}
	_, _ = run("send-keys", "-t", session, "C")
	waitForScreen(t, run, session, "Checks (", "took")
	_, _ = run("send-keys", "-t", session, "q")
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := run("has-session", "-t", session); err != nil {
			return
		}
		if time.Now().After(deadline) {
			last, _ := run("capture-pane", "-p", "-t", session)
			t.Fatalf("q did not quit within 5s; screen:\n%s", last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
