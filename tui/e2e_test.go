package tui

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/knowledge"
)

// TestEndToEndInTmux drives the real binary in a private tmux server: paste
// an error line, read the pitfall and its fix off the screen, leave the
// field with esc and quit with q.
func TestEndToEndInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed (apt-get install tmux); the end-to-end test needs it")
	}
	base, err := knowledge.Load()
	if err != nil {
		t.Fatalf("the embedded knowledge base does not load: %v", err)
	}
	p := base.Pitfall("exstorage-code5-rtcuniversaluseradmins")
	if p == nil {
		t.Skip("the embedded base has no exstorage-code5-rtcuniversaluseradmins pitfall yet")
	}

	bin := e2eBinary(t)

	sock := fmt.Sprintf("ucpilot-e2e-%d", os.Getpid())
	const session = "e2e"
	run := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { _, _ = run("kill-server") })

	start := time.Now()
	if out, err := run("new-session", "-d", "-s", session, "-x", "100", "-y", "30", bin+" --theme dark"); err != nil {
		t.Fatalf("tmux new-session failed: %v\n%s", err, out)
	}
	screen := waitForScreen(t, run, session, "Where to start")
	t.Logf("first frame after %v", time.Since(start).Round(time.Millisecond))
	if mouse, _ := run("display-message", "-p", "-t", session, "#{mouse_any_flag}#{alternate_on}"); strings.TrimSpace(mouse) != "01" {
		t.Errorf("mouse_any_flag/alternate_on = %q, want 0 (no mouse capture) and 1 (alt screen)\n%s", mouse, screen)
	}

	if out, err := run("send-keys", "-t", session, "/"); err != nil {
		t.Fatalf("send-keys: %v\n%s", err, out)
	}
	const pasted = "ExCreateItem exchange operations failed, code=5"
	if out, err := run("send-keys", "-t", session, "-l", pasted); err != nil {
		t.Fatalf("send-keys: %v\n%s", err, out)
	}
	// The whole line in the field first (tmux may deliver it in pieces),
	// then the pitfall: the start of its title and of its fix, each short
	// enough to sit on one wrapped line of the detail pane.
	waitForScreen(t, run, session, "/ "+pasted)
	waitForScreen(t, run, session, firstWords(p.Title, 45), "RTCUniversalUserAdmins", "Fix", firstWords(p.Fix, 30))

	_, _ = run("send-keys", "-t", session, "Escape")
	time.Sleep(100 * time.Millisecond) // let tmux tell a lone Escape from an Alt prefix
	_, _ = run("send-keys", "-t", session, "q")
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := run("has-session", "-t", session); err != nil {
			return // the program quit and took the session with it
		}
		if time.Now().After(deadline) {
			last, _ := run("capture-pane", "-p", "-t", session)
			t.Fatalf("esc then q did not quit within 5s; screen:\n%s", last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitForScreen polls the pane until it shows every wanted string.
func waitForScreen(t *testing.T, run func(...string) (string, error), session string, want ...string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		screen, err := run("capture-pane", "-p", "-t", session)
		missing := ""
		for _, w := range want {
			if !strings.Contains(screen, w) {
				missing = w
				break
			}
		}
		if err == nil && missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10s the screen still lacks %q (err %v):\n%s", missing, err, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// firstWords returns the leading whole words of s up to n bytes: short
// enough to sit on the first wrapped line of the fix paragraph.
func firstWords(s string, n int) string {
	out := ""
	for _, w := range strings.Fields(s) {
		if len(out)+len(w)+1 > n {
			break
		}
		out = strings.TrimSpace(out + " " + w)
	}
	return out
}
