package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/knowledge"
)

// TestGuideEndToEndInTmux drives the real binary on the no-iisreset lab:
// open the Guide, verify step after step until one fails, read the
// pitfall, run its fix in the lab with x (typing the server's name),
// verify again, quit, start again and find the walk resumed at that step
// with the steps before it done. It skips until main passes
// tui.Options.Guide (no Guide entry on Home). UCPILOT_E2E_BINARY runs a
// prebuilt binary instead of building the repository.
func TestGuideEndToEndInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed (apt-get install tmux); the end-to-end test needs it")
	}
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	topo, pit := kb.Topology("onprem"), kb.Pitfall("iisreset-missing")
	if topo == nil || pit == nil {
		t.Skip("the embedded base lacks the onprem topology or the iisreset-missing pitfall")
	}
	dir := t.TempDir()
	bin := e2eBinary(t)
	sock := fmt.Sprintf("ucpilot-guide-e2e-%d", os.Getpid())
	tm := &tmuxPane{t: t, tmux: tmux, sock: sock}
	t.Cleanup(func() { _, _ = tm.run("kill-server") })
	cmd := fmt.Sprintf("env -u UCPILOT_PROFILE HOME=%[1]s XDG_STATE_HOME=%[1]s/state XDG_CONFIG_HOME=%[1]s/config %[2]s lab --scenario no-iisreset --theme dark", dir, bin)

	tm.start("guide1", cmd)
	if screen := tm.wait("Where to start"); !strings.Contains(screen, "walk a procedure step by step") {
		t.Skip("Home has no Guide entry: main does not pass tui.Options.Guide yet")
	}
	tm.keys("w")
	tm.wait("Choose a topology")
	tm.keys("Enter")
	n := len(topo.Steps)
	tm.wait(fmt.Sprintf("Step 1 of %d", n))
	failing := walkToFailure(tm, n)
	tm.wait("What is probably wrong", firstWords(pit.Title, 30))

	num := fixNumber(tm.screen(), &topo.Steps[failing])
	tm.keys(strconv.Itoa(num))
	// Inside tmux the copy lands in tmux's paste buffer, and says so.
	tm.wait("paste buffer")
	if buf, err := tm.run("show-buffer"); err != nil || !strings.HasPrefix(buf, "iisreset") {
		t.Fatalf("tmux's paste buffer holds %q (%v), want the iisreset command", buf, err)
	}
	tm.keys("x")
	tm.wait("Type exch01 to run it")
	tm.text("exch01")
	tm.keys("Enter")
	tm.wait("Last command", "done, exit code 0")
	tm.keys("v")
	tm.wait("Result: ✓ verified")
	tm.keys("q")
	tm.gone()

	files, _ := filepath.Glob(filepath.Join(dir, "state", "ucpilot", "progress", "*.json"))
	if len(files) != 1 {
		t.Fatalf("progress files under $XDG_STATE_HOME: %v", files)
	}

	tm.start("guide2", cmd)
	tm.wait("Where to start")
	tm.keys("w")
	tm.wait(fmt.Sprintf("(%d of %d steps done)", failing+1, n))
	tm.keys("Enter")
	// The lab restarted from its scenario: what was done before is shown
	// as done before the restart (↺), not as ✓, until v checks it again.
	want := []string{fmt.Sprintf("Step %d of %d", failing+1, n), "Status: ↺ done before the lab restarted"}
	for i := 0; i <= failing; i++ {
		want = append(want, fmt.Sprintf("↺ %2d %s", i+1, firstWords(topo.Steps[i].Title, 20)))
	}
	tm.wait(want...)
	tm.keys("q")
	tm.gone()
}

// walkToFailure verifies each step (confirming by hand the ones no check
// can prove) until a verification fails, and returns that step's index.
func walkToFailure(tm *tmuxPane, n int) int {
	for i := 0; i < n; i++ {
		tm.keys("v")
		switch tm.waitAny("Result: ✓ verified", "Result: cannot be verified", "Result: ✗ verification failed") {
		case 2:
			return i
		case 1:
			tm.keys("m")
			tm.wait("Type done")
			tm.text("done")
			tm.keys("Enter")
			tm.wait("Status: ✓ done")
		}
		tm.keys("n")
		tm.wait(fmt.Sprintf("Step %d of %d", i+2, n))
	}
	tm.t.Fatal("no step of the no-iisreset lab failed its verification")
	return -1
}

var numberedRE = regexp.MustCompile(`\[(\d)\]`)

// fixNumber finds the number of the first iisreset command under "What is
// probably wrong"; off screen, it counts the step's own commands (the
// pitfall's commands come right after them).
func fixNumber(screen string, st *knowledge.Step) int {
	var lines []string
	for _, ln := range strings.Split(screen, "\n") {
		if i := strings.LastIndex(ln, "│"); i >= 0 {
			ln = ln[i+len("│"):]
		}
		lines = append(lines, ln)
	}
	in := false
	for i, ln := range lines {
		in = in || strings.Contains(ln, "What is probably wrong")
		if m := numberedRE.FindStringSubmatch(ln); in && m != nil && i+1 < len(lines) && strings.Contains(lines[i+1], "iisreset") {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return len(st.Commands) + len(st.Verify.Commands) + 1
}

// tmuxPane drives one session of a private tmux server.
type tmuxPane struct {
	t       *testing.T
	tmux    string
	sock    string
	session string
}

func (p *tmuxPane) run(args ...string) (string, error) {
	out, err := exec.Command(p.tmux, append([]string{"-L", p.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	return string(out), err
}

func (p *tmuxPane) start(session, cmd string) {
	p.t.Helper()
	p.session = session
	if out, err := p.run("new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd); err != nil {
		p.t.Fatalf("tmux new-session failed: %v\n%s", err, out)
	}
}

func (p *tmuxPane) keys(k string) {
	p.t.Helper()
	if out, err := p.run("send-keys", "-t", p.session, k); err != nil {
		p.t.Fatalf("send-keys %s: %v\n%s", k, err, out)
	}
}

func (p *tmuxPane) text(s string) {
	p.t.Helper()
	if out, err := p.run("send-keys", "-t", p.session, "-l", s); err != nil {
		p.t.Fatalf("send-keys -l %s: %v\n%s", s, err, out)
	}
}

func (p *tmuxPane) screen() string {
	s, _ := p.run("capture-pane", "-p", "-t", p.session)
	return s
}

func (p *tmuxPane) wait(want ...string) string {
	p.t.Helper()
	return waitForScreen(p.t, p.run, p.session, want...)
}

// waitAny waits until the screen shows one of the options and returns its
// index.
func (p *tmuxPane) waitAny(options ...string) int {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := p.screen()
		for i, o := range options {
			if strings.Contains(s, o) {
				return i
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("after 15s the screen shows none of %q:\n%s", options, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// gone waits for the program to quit (the session ends with it).
func (p *tmuxPane) gone() {
	p.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := p.run("has-session", "-t", p.session); err != nil {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the program did not quit within 5s; screen:\n%s", p.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
