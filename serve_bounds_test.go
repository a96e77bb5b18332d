package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// TestClassroomBounds: --authorized-keys turns strangers away, an
// --instructor sees the trainees, --max-sessions refuses one too many and
// --idle-timeout ends a session nobody types in.
func TestClassroomBounds(t *testing.T) {
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
	keys := map[string]string{}
	var authorized []byte
	for _, who := range []string{"carol", "dave", "teacher", "stranger"} {
		keys[who] = filepath.Join(dir, who)
		writeClientKey(t, keys[who])
		if who != "stranger" {
			pub, err := exec.Command("ssh-keygen", "-y", "-f", keys[who]).Output()
			if err != nil {
				t.Skipf("ssh-keygen -y: %v (the OpenSSH client tools are needed)", err)
			}
			authorized = append(authorized, pub...)
		}
	}
	authFile := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authFile, authorized, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := "ucpilot-bounds-" + filepath.Base(dir)
	t.Cleanup(func() { _ = exec.Command(tmux, "-L", sock, "kill-server").Run() })
	srv := startClassroom(t, bin, state, "--authorized-keys", authFile, "--instructor", "teacher",
		"--max-sessions", "1", "--idle-timeout", "10s", "--scenario", "healthy")

	stranger := sshConnect(t, tmux, sock, sshBin, srv.addr, "stranger", keys["stranger"])
	stranger.wait("Permission denied")

	carol := sshConnect(t, tmux, sock, sshBin, srv.addr, "carol", keys["carol"])
	carol.wait("classroom lab: healthy", "Where to start") // --scenario: no picker
	dave := sshConnect(t, tmux, sock, sshBin, srv.addr, "dave", keys["dave"])
	dave.wait("the classroom is full (1 sessions)")

	teacher := sshConnect(t, tmux, sock, sshBin, srv.addr, "teacher", keys["teacher"])
	teacher.wait("TRAINEE", "carol", "healthy")

	// Nobody types in carol's session: it ends by itself (10 s, so her
	// slot was still held when dave came, even on a busy machine).
	carol.wait("closed after 10s without a key press")
	teacher.keys("q")
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Errorf("serve: %v\n%s", err, srv.log)
		}
	case <-time.After(screenWait):
		t.Fatalf("serve still runs %s after SIGTERM", screenWait)
	}
}
