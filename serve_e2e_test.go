package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
)

// TestClassroomWithOpenSSH runs `ucpilot serve` and two trainees on the
// stock OpenSSH client in tmux: each sees their own lab, what one types
// never reaches the other, killing one client leaves the other working,
// a trainee who comes back resumes their progress, and SIGTERM stops the
// server promptly.
func TestClassroomWithOpenSSH(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives ssh in tmux; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("tmux does not run on Windows")
	}
	tmux, sshBin := classroomTools(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	aliceKey, bobKey := filepath.Join(dir, "alice"), filepath.Join(dir, "bob")
	writeClientKey(t, aliceKey)
	writeClientKey(t, bobKey)
	sock := "ucpilot-classroom-" + filepath.Base(dir)
	t.Cleanup(func() { _ = exec.Command(tmux, "-L", sock, "kill-server").Run() })

	srv := startClassroom(t, bin, state)
	alice := sshConnect(t, tmux, sock, sshBin, srv.addr, "alice", aliceKey)
	bob := sshConnect(t, tmux, sock, sshBin, srv.addr, "bob", bobKey)
	pick(alice, "no-iisreset")
	pick(bob, "realm-mismatch")
	if s := alice.screen(); strings.Contains(s, "realm-mismatch") {
		t.Errorf("alice's screen shows bob's lab:\n%s", s)
	}
	if s := bob.screen(); strings.Contains(s, "no-iisreset") {
		t.Errorf("bob's screen shows alice's lab:\n%s", s)
	}

	// What alice types stays on alice's screen.
	alice.keys("/")
	alice.text("zqxalicetyped")
	alice.wait("zqxalicetyped")
	bob.keys("/")
	bob.text("bobtypes")
	bob.wait("bobtypes")
	if s := bob.screen(); strings.Contains(s, "zqxalicetyped") {
		t.Errorf("alice's typing reached bob's screen:\n%s", s)
	}
	alice.keys("Escape") // one at a time: ESC ESC in one read is alt+esc
	alice.wait("tab next pane")
	alice.keys("Escape")
	alice.wait("Where to start")

	// Alice verifies the first step, then fixes her lab: the IIS step's
	// command, run from the guide, makes its verification pass.
	iis, steps := stepNumber(t, "onprem", "onprem-exchange-iisreset")
	alice.keys("w")
	alice.wait("Choose a topology")
	alice.keys("Enter")
	alice.wait(fmt.Sprintf("Step 1 of %d", steps))
	alice.keys("v")
	alice.wait("Result: ✓ verified")
	for i := 2; i <= iis; i++ {
		alice.keys("n")
		alice.wait(fmt.Sprintf("Step %d of %d", i, steps))
	}
	alice.keys("x")
	alice.wait("Type exch01 to run it")
	alice.text("exch01")
	alice.keys("Enter")
	alice.wait("done, exit code 0")
	alice.keys("v")
	alice.wait("Result: ✓ verified")

	// Her client dies; bob goes on working.
	alice.kill()
	bob.text("stillhere")
	bob.wait("bobtypesstillhere")
	waitStatus(t, bin, state, func(s string) bool {
		line := rowOf(s, "alice")
		return strings.Contains(line, "no-iisreset") && strings.Contains(line, fmt.Sprintf("2/%d", steps)) && !strings.Contains(line, "online")
	})

	// She comes back: the picker offers her scenario, the guide her step,
	// and her lab was rebuilt: the IIS step verifies again.
	alice = sshConnect(t, tmux, sock, sshBin, srv.addr, "alice", aliceKey)
	alice.wait("> no-iisreset")
	alice.keys("Enter")
	alice.wait("classroom lab: no-iisreset")
	alice.keys("w")
	alice.wait("Choose a topology")
	alice.keys("Enter")
	alice.wait(fmt.Sprintf("2 of %d done", steps), fmt.Sprintf("Step %d of %d", iis, steps))
	alice.keys("v")
	alice.wait("Result: ✓ verified")

	// SIGTERM: the server tells both and stops within a few seconds.
	start := time.Now()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM\n%s", err, srv.log)
		}
	case <-time.After(screenWait):
		t.Fatalf("serve still runs %s after SIGTERM", screenWait)
	}
	t.Logf("SIGTERM to exit: %s", time.Since(start).Round(time.Millisecond))
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("serve took %s to stop after SIGTERM (it waits at most a few seconds)", d)
	}
	bob.wait("the classroom is closing")
	out, err := exec.Command(bin, "serve", "--status", "--state", state).CombinedOutput()
	if err != nil || strings.Contains(string(out), "online") {
		t.Errorf("after the stop every trainee should be offline (%v):\n%s", err, out)
	}
}

// pick chooses scenario in the picker and waits for the TUI on its lab.
func pick(p *sshPane, scenario string) {
	p.t.Helper()
	p.wait("Pick a lab scenario")
	for _, sc := range lab.List() {
		if sc.Name == scenario {
			break
		}
		p.keys("Down")
	}
	p.wait("> " + scenario)
	p.keys("Enter")
	p.wait("classroom lab: "+scenario, "Where to start")
}

// waitStatus polls `serve --status` until ok accepts what it printed.
func waitStatus(t *testing.T, bin, state string, ok func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(screenWait)
	for {
		out, err := exec.Command(bin, "serve", "--status", "--state", state).CombinedOutput()
		if err == nil && ok(string(out)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve --status never showed the expected state (%v):\n%s", err, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stepNumber is the 1-based place of step id in topology's procedure,
// and the number of steps.
func stepNumber(t *testing.T, topology, id string) (int, int) {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	steps := kb.Topology(topology).Steps
	for i, st := range steps {
		if st.ID == id {
			return i + 1, len(steps)
		}
	}
	t.Fatalf("no step %s in %s", id, topology)
	return 0, 0
}

func rowOf(table, user string) string {
	for _, l := range strings.Split(table, "\n") {
		if strings.HasPrefix(l, user+" ") {
			return l
		}
	}
	return ""
}
