package classroom

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/ucpilot/ucpilot/knowledge"
)

// serveOnce starts a classroom on dir, lets check talk to it, and stops it.
func serveOnce(t *testing.T, dir string, check func(addr string)) {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, Config{Listen: "127.0.0.1:0", StateDir: dir, Base: kb,
			Open:  func(context.Context, string) (*Lab, error) { return nil, errors.New("no lab in this test") },
			Ready: func(a string) { addr <- a }})
	}()
	select {
	case a := <-addr:
		check(a)
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after the stop: %v", err)
	}
}

// TestServerRefusesWhatIsNotTheTUI: the host key is made once and kept;
// passwords, commands, subsystems and port forwarding are refused.
func TestServerRefusesWhatIsNotTheTUI(t *testing.T) {
	dir := t.TempDir()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	hostKey := func(addr string) gossh.PublicKey {
		if _, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "alice", Auth: []gossh.AuthMethod{gossh.Password("secret")},
			HostKeyCallback: gossh.InsecureIgnoreHostKey()}); err == nil {
			t.Error("a password login was accepted")
		}
		var seen gossh.PublicKey
		c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "alice", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
			HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error { seen = k; return nil }})
		if err != nil {
			t.Fatalf("a key login failed: %v", err)
		}
		defer c.Close()
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Run("cat /etc/passwd"); err == nil {
			t.Error("a command ran")
		}
		s, err = c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RequestSubsystem("sftp"); err == nil {
			t.Error("the sftp subsystem was granted")
		}
		if conn, err := c.Dial("tcp", addr); err == nil {
			conn.Close()
			t.Error("a local port forward was opened")
		}
		if ln, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
			ln.Close()
			t.Error("a remote port forward was granted")
		}
		return seen
	}
	var first, second gossh.PublicKey
	serveOnce(t, dir, func(a string) { first = hostKey(a) })
	serveOnce(t, dir, func(a string) { second = hostKey(a) })
	if first == nil || second == nil || !bytes.Equal(first.Marshal(), second.Marshal()) {
		t.Error("the host key changed between two runs on one state folder")
	}
	fi, err := os.Stat(filepath.Join(dir, "host_ed25519"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("host key file mode %v: want it private to the server's user", fi.Mode())
	}
}
