package sshshell

import (
	"context"
	"crypto/ed25519"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/ucpilot/ucpilot/remote/shell"
)

// knownFor writes a known_hosts file that trusts srv's host key.
func knownFor(t *testing.T, srv *testServer) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ssh", "known_hosts")
	if err := AddKnownHost(path, srv.addr, srv.hostKey.PublicKey()); err != nil {
		t.Fatal(err)
	}
	return path
}

func pwConfig(srv *testServer, known string) Config {
	return Config{Host: "127.0.0.1", Port: srv.port(), User: "admin", Auth: AuthPassword,
		Password: shell.NewSecret(srv.password), KnownHostsFile: known, Timeout: 5 * time.Second}
}

func render(t *testing.T, body string, args map[string]string) string {
	t.Helper()
	s, err := shell.Script{Body: body, Args: args, JSON: true}.Render()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRunSuccess(t *testing.T) {
	srv := newTestServer(t)
	sh, err := Dial(context.Background(), pwConfig(srv, knownFor(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	if sh.Target() != "127.0.0.1 via ssh" {
		t.Errorf("Target = %q", sh.Target())
	}
	value := `it's ‘quoted’ $(calc)`
	res, err := sh.Run(context.Background(), render(t, "Write-Output $value", map[string]string{"value": value}))
	if err != nil {
		t.Fatal(err)
	}
	payload, err := shell.Outcome(res)
	if err != nil || payload != `["`+value+`"]` {
		t.Errorf("payload %q, %v (result %+v)", payload, err, res)
	}
	if res.Stderr != "warning: test stderr" || res.ExitCode != 0 || res.Duration <= 0 {
		t.Errorf("result %+v", res)
	}
	res, err = sh.Run(context.Background(), render(t, "TEST:fail", nil))
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 3 {
		t.Errorf("exit code %d, want 3", res.ExitCode)
	}
	if _, err := shell.Outcome(res); err == nil || !strings.Contains(err.Error(), "Cannot find object") {
		t.Errorf("Outcome error = %v", err)
	}
}

func TestAuthFailure(t *testing.T) {
	srv := newTestServer(t)
	cfg := pwConfig(srv, knownFor(t, srv))
	cfg.Password = shell.NewSecret("wrong")
	_, err := Dial(context.Background(), cfg)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("want *AuthError, got %v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "admin") || !strings.Contains(msg, "127.0.0.1") || !strings.Contains(msg, "password") {
		t.Errorf("message lacks user/host/method: %s", msg)
	}
	if strings.Contains(msg, "wrong") && strings.Contains(msg, "\"wrong\"") {
		t.Errorf("message leaks the password: %s", msg)
	}
}

func TestUnknownHostKeyThenAccept(t *testing.T) {
	srv := newTestServer(t)
	known := filepath.Join(t.TempDir(), "known_hosts") // does not exist yet
	_, err := Dial(context.Background(), pwConfig(srv, known))
	var uk *UnknownHostKeyError
	if !errors.As(err, &uk) {
		t.Fatalf("want *UnknownHostKeyError, got %v", err)
	}
	want := ssh.FingerprintSHA256(srv.hostKey.PublicKey())
	if uk.Fingerprint != want || !strings.HasPrefix(uk.Fingerprint, "SHA256:") || !strings.Contains(err.Error(), want) {
		t.Errorf("fingerprint %q, want %q (%v)", uk.Fingerprint, want, err)
	}
	if srv.pwTries.Load() != 0 {
		t.Error("password was sent to a server whose key was not accepted")
	}
	if err := AddKnownHost(known, uk.Host, uk.Key); err != nil {
		t.Fatal(err)
	}
	sh, err := Dial(context.Background(), pwConfig(srv, known))
	if err != nil {
		t.Fatalf("after accepting the key: %v", err)
	}
	_ = sh.Close()
}

func TestHostKeyChangedRefused(t *testing.T) {
	srv := newTestServer(t)
	known := filepath.Join(t.TempDir(), "known_hosts")
	if err := AddKnownHost(known, srv.addr, newSigner(t).PublicKey()); err != nil {
		t.Fatal(err)
	}
	_, err := Dial(context.Background(), pwConfig(srv, known))
	var hc *HostKeyChangedError
	if !errors.As(err, &hc) {
		t.Fatalf("want *HostKeyChangedError, got %v", err)
	}
	if !strings.Contains(err.Error(), "CHANGED") || len(hc.Known) != 1 || !strings.HasSuffix(hc.Known[0], ":1") {
		t.Errorf("error %v, known %v", err, hc.Known)
	}
	if srv.pwTries.Load() != 0 {
		t.Error("password was sent to a server with a changed host key")
	}
}

func TestDroppedConnection(t *testing.T) {
	srv := newTestServer(t)
	sh, err := Dial(context.Background(), pwConfig(srv, knownFor(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	_, err = sh.Run(context.Background(), render(t, "TEST:drop", nil))
	var de *DroppedError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "dropped") {
		t.Fatalf("want *DroppedError, got %v", err)
	}
	// The shell reports the dead connection on the next run too, without
	// hanging, and with the same typed error (not a bare EOF).
	if _, err := sh.Run(context.Background(), render(t, "x", nil)); !errors.As(err, new(*DroppedError)) {
		t.Errorf("run on a dropped connection: want *DroppedError, got %v", err)
	}
}

func TestCancelNeverEndingCommand(t *testing.T) {
	srv := newTestServer(t)
	sh, err := Dial(context.Background(), pwConfig(srv, knownFor(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := sh.Run(ctx, render(t, "TEST:hang", nil)); errc <- err }()
	<-srv.scripts // the command is running
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("want context.Canceled, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10 s of cancel")
	}
	// The remote process was told to stop, not left running.
	select {
	case sig := <-srv.signals:
		if sig != "KILL" {
			t.Errorf("signal %q, want KILL", sig)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no signal reached the server after the cancel")
	}
}

// A connection that stops answering while a session opens (x/crypto/ssh's
// NewSession has no context) must not hold Run past its context.
func TestOpeningASessionWatchesTheContext(t *testing.T) {
	srv := newTestServer(t)
	sh, err := Dial(context.Background(), pwConfig(srv, knownFor(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	srv.stall.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := sh.Run(ctx, render(t, "x", nil)); errc <- err }()
	<-srv.stalled // the session open reached the server, which never answers
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("want context.Canceled, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run still waits for a session 10 s after cancel")
	}
}

// A connection that drops while a session opens gives the typed
// dropped-connection error, at once, on this run and the next.
func TestDropWhileOpeningASession(t *testing.T) {
	srv := newTestServer(t)
	sh, err := Dial(context.Background(), pwConfig(srv, knownFor(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	srv.stall.Store(true)
	errc := make(chan error, 1)
	go func() { _, err := sh.Run(context.Background(), render(t, "x", nil)); errc <- err }()
	<-srv.stalled
	srv.dropAll()
	select {
	case err := <-errc:
		if !errors.As(err, new(*DroppedError)) {
			t.Errorf("want *DroppedError, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run still waits 10 s after the connection dropped")
	}
	if _, err := sh.Run(context.Background(), render(t, "x", nil)); !errors.As(err, new(*DroppedError)) {
		t.Errorf("next run: want *DroppedError, got %v", err)
	}
}

func TestCommandTooLongNotSent(t *testing.T) {
	srv := newTestServer(t)
	sh, err := Dial(context.Background(), pwConfig(srv, knownFor(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	_, err = sh.Run(context.Background(), strings.Repeat("x", 4000))
	var tl *shell.CommandTooLongError
	if !errors.As(err, &tl) {
		t.Fatalf("want *CommandTooLongError, got %v", err)
	}
	if len(srv.scripts) != 0 {
		t.Error("the oversized script reached the server")
	}
}

func writeKey(t *testing.T, passphrase string) (string, ssh.PublicKey) {
	t.Helper()
	signer := newSigner(t)
	var blk *pem.Block
	var err error
	keysMu.Lock()
	priv := signerKey[signer]
	keysMu.Unlock()
	if passphrase == "" {
		blk, err = ssh.MarshalPrivateKey(priv, "test")
	} else {
		blk, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "test", []byte(passphrase))
	}
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "id_test")
	if err := os.WriteFile(path, pem.EncodeToMemory(blk), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, signer.PublicKey()
}

func TestKeyAuth(t *testing.T) {
	srv := newTestServer(t)
	known := knownFor(t, srv)
	plain, pub1 := writeKey(t, "")
	enc, pub2 := writeKey(t, "pass phrase")
	srv.authKeys = []ssh.PublicKey{pub1, pub2}
	base := Config{Host: "127.0.0.1", Port: srv.port(), User: "admin", Auth: AuthKey, KnownHostsFile: known}
	for _, c := range []struct {
		file, pass, wantErr string
	}{
		{plain, "", ""},
		{enc, "pass phrase", ""},
		{enc, "", "encrypted"},
		{enc, "nope", "wrong passphrase"},
		{filepath.Join(t.TempDir(), "missing"), "", "cannot read key file"},
		{known, "", "not a private key"},
	} {
		cfg := base
		cfg.KeyFile, cfg.KeyPassphrase = c.file, shell.NewSecret(c.pass)
		sh, err := Dial(context.Background(), cfg)
		if c.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", filepath.Base(c.file), err)
				continue
			}
			_ = sh.Close()
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: err %v, want %q", filepath.Base(c.file), err, c.wantErr)
		}
	}
}

func TestAgentAuth(t *testing.T) {
	srv := newTestServer(t)
	signer := newSigner(t)
	srv.authKeys = []ssh.PublicKey{signer.PublicKey()}
	kr := agent.NewKeyring()
	if err := kr.Add(agent.AddedKey{PrivateKey: keyOf(signer)}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("unix sockets unavailable: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = agent.ServeAgent(kr, c)
			_ = c.Close()
		}
	}()
	defer func() { _ = ln.Close(); <-done }()
	cfg := Config{Host: "127.0.0.1", Port: srv.port(), User: "admin", Auth: AuthAgent,
		AgentSocket: sock, KnownHostsFile: knownFor(t, srv)}
	sh, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	_ = sh.Close()
	t.Setenv("SSH_AUTH_SOCK", "")
	cfg.AgentSocket = ""
	if _, err := Dial(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "SSH_AUTH_SOCK") {
		t.Errorf("missing agent: %v", err)
	}
}

func TestJumpHost(t *testing.T) {
	jump, target := newTestServer(t), newTestServer(t)
	cfg := pwConfig(target, knownFor(t, target))
	jc := pwConfig(jump, knownFor(t, jump))
	cfg.Jump = &jc
	sh, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	if !strings.Contains(sh.Target(), "through 127.0.0.1") {
		t.Errorf("Target = %q", sh.Target())
	}
	res, err := sh.Run(context.Background(), render(t, "x", map[string]string{"value": "via-jump"}))
	if err != nil || !strings.Contains(res.Stdout, "via-jump") {
		t.Fatalf("run through jump: %+v %v", res, err)
	}
	select {
	case <-target.scripts:
	default:
		t.Error("the target server did not run the script")
	}
	// A changed key on the target is refused even when the jump host is fine.
	wrong := filepath.Join(t.TempDir(), "known_hosts")
	if err := AddKnownHost(wrong, target.addr, jump.hostKey.PublicKey()); err != nil {
		t.Fatal(err)
	}
	cfg.KnownHostsFile = wrong
	if _, err := Dial(context.Background(), cfg); !errors.As(err, new(*HostKeyChangedError)) {
		t.Errorf("want *HostKeyChangedError through the jump, got %v", err)
	}
}

func TestDialTimeoutOnSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			conns <- c
		}
		close(conns)
	}()
	defer func() {
		_ = ln.Close()
		for c := range conns {
			_ = c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Dial(ctx, Config{Host: "127.0.0.1", Port: atoi(port), User: "a", Auth: AuthPassword,
		Password: shell.NewSecret("x"), KnownHostsFile: filepath.Join(t.TempDir(), "kh")})
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want deadline error, got %v", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("Dial took %v", time.Since(start))
	}
}

func TestConfigValidation(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Host: "exch 01", User: "a", Auth: AuthAgent}, "hostname"},
		{Config{Host: "exch01", Auth: AuthAgent}, "no user"},
		{Config{Host: "exch01", User: "a", Auth: AuthPassword}, "no password"},
		{Config{Host: "exch01", User: "a", Auth: AuthKey}, "no key file"},
		{Config{Host: "exch01", User: "a", Auth: "kerberos"}, "unknown authentication"},
		{Config{Host: "exch01", User: "a", Auth: AuthAgent, Port: 70000}, "out of range"},
	} {
		c.cfg.KnownHostsFile = "/nonexistent/kh"
		_, err := Dial(context.Background(), c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestAddKnownHostRejectsBadHost(t *testing.T) {
	if err := AddKnownHost(filepath.Join(t.TempDir(), "kh"), "a b", newSigner(t).PublicKey()); err == nil {
		t.Error("accepted a host with a space")
	}
}

func keyOf(s ssh.Signer) ed25519.PrivateKey {
	keysMu.Lock()
	defer keysMu.Unlock()
	return signerKey[s]
}
