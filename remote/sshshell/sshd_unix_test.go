//go:build unix

package sshshell

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

// processGone reports whether pid has ended (a zombie waiting to be
// reaped counts as ended).
func processGone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) state ...: the state follows the last ')'.
	s := string(stat)
	return strings.HasPrefix(strings.TrimSpace(s[strings.LastIndexByte(s, ')')+1:]), "Z")
}

// waitFor polls cond until it holds or a generous limit passes; it waits
// for a condition, it does not time anything.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 30 s: %s", what)
		}
	}
}

// A cut-off command ends on the server: with a terminal, closing its
// session hangs the terminal up, and the remote process goes (OpenSSH
// refuses the kill signal for a forced command, as the test sshd runs).
// Without the fix the fake powershell.exe keeps running for a minute.
func TestRealOpenSSHCancelEndsRemoteProcess(t *testing.T) {
	d := startSSHD(t)
	known := filepath.Join(t.TempDir(), "known_hosts")
	cfg := Config{Host: "127.0.0.1", Port: d.port, User: d.userName, Auth: AuthKey, KeyFile: d.keyFile,
		KnownHostsFile: known, Timeout: 10 * time.Second, PTY: true}
	if err := AddKnownHost(known, "127.0.0.1:"+strconv.Itoa(d.port), d.hostKey.PublicKey()); err != nil {
		t.Fatal(err)
	}
	sh, err := Dial(context.Background(), cfg)
	if err != nil {
		if os.Geteuid() != 0 {
			t.Skipf("real sshd test skipped: key login as %s failed when not root: %v", d.userName, err)
		}
		t.Fatal(err)
	}
	defer sh.Close()
	pidFile := filepath.Join(t.TempDir(), "pid")
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := sh.Run(ctx, "TEST:hang:"+pidFile); errc <- err }()
	var pid int
	waitFor(t, "the remote command to start", func() bool {
		b, err := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(string(b))
		return err == nil && pid > 0
	})
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "cut off") {
		t.Errorf("want a cut-off context.Canceled, got %v", err)
	}
	waitFor(t, "the remote process "+strconv.Itoa(pid)+" to end", func() bool { return processGone(pid) })
	// The connection survives the cut-off command.
	if res, err := sh.Run(context.Background(), "TEST:fail"); err != nil || res.ExitCode != 3 {
		t.Errorf("run after cancel: %+v %v", res, err)
	}
}
