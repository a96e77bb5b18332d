//go:build !windows

package localshell

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCancelKillsTree(t *testing.T) {
	fakeOnPath(t)
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	t.Setenv(childPidFileEnv, pidFile)
	sh, _ := New("")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { _, err := sh.Run(ctx, "TEST:tree"); errc <- err }()
	// Cancel only once the grandchild runs: no deadline to race a slow start.
	var pid int
	waitUntil(t, "the grandchild to start", func() bool {
		b, err := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(string(b))
		return err == nil && pid > 0
	})
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run still running 30 s after cancel")
	}
	// The grandchild must be gone (killed with the group). It would
	// otherwise sleep for a minute, so waiting for it is no timing bet.
	waitUntil(t, "the grandchild "+strconv.Itoa(pid)+" to end", func() bool { return !alive(pid) })
}

// waitUntil polls cond until it holds, failing after a limit far beyond
// anything a loaded machine needs.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 30 s for %s", what)
		}
	}
}

// alive reports whether pid still runs. A killed process whose parent is gone may stay a
// zombie when the container's init does not reap, so a "Z" state counts as dead.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no procfs (macOS): trust kill(0)
	}
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}
