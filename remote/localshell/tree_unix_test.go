//go:build !windows

package localshell

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCancelKillsTree(t *testing.T) {
	fakeOnPath(t)
	sh, _ := New("")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := sh.Run(ctx, "TEST:tree")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want deadline error, got %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Run took %v after a 500 ms deadline", d)
	}
	pidText, ok := strings.CutPrefix(strings.TrimSpace(res.Stdout), "child=")
	if !ok {
		t.Fatalf("no child pid in %q", res.Stdout)
	}
	pid, _ := strconv.Atoi(pidText)
	// The grandchild must be gone (killed with the group); allow the kernel a moment.
	for i := 0; i < 50; i++ {
		if !alive(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	t.Errorf("grandchild %d survived the cancel", pid)
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
