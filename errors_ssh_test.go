package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// sshServer is a loopback SSH server that accepts one password and runs
// nothing: enough to meet the logon error paths.
func sshServer(t *testing.T, password string) (addr string, hostKey ssh.PublicKey) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{PasswordCallback: func(_ ssh.ConnMetadata, p []byte) (*ssh.Permissions, error) {
		if string(p) == password {
			return nil, nil
		}
		return nil, fmt.Errorf("wrong password")
	}}
	cfg.AddHostKey(signer)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				sc, chans, reqs, err := ssh.NewServerConn(c, cfg)
				if err != nil {
					return
				}
				defer sc.Close()
				go ssh.DiscardRequests(reqs)
				for ch := range chans {
					_ = ch.Reject(ssh.Prohibited, "nothing runs here")
				}
			}()
		}
	}()
	return ln.Addr().String(), signer.PublicKey()
}

// The logon error paths of check --credentials: an unknown host key (no
// terminal to ask on) and a wrong password each name the server and say
// what to do next, and the password itself appears nowhere.
func TestCredentialErrorsNameTheServerAndTheNextStep(t *testing.T) {
	t.Setenv("UCPILOT_PROFILE", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	const secret = "Sup3r-Secret-Passw0rd"
	addr, key := sshServer(t, "the-right-one")
	host, port, _ := net.SplitHostPort(addr)
	dir := t.TempDir()
	known := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(known, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	profileFor := func() string {
		return writeFile(t, "p.yaml", fmt.Sprintf(`topology: onprem
domain: contoso.invalid
exchange:
  fqdn: exch01.contoso.invalid
  shell:
    transport: ssh
    host: %s
    port: %s
    user: admin
    auth: password
    known_hosts: %s
    password_env: UCPILOT_TEST_PASSWORD
sfb:
  pool: pool01.contoso.invalid
dns:
  server: 127.0.0.1:9
`, host, port, known))
	}
	t.Setenv("UCPILOT_TEST_PASSWORD", secret)

	code, out, errOut := runCLI(t, "check", "--profile", profileFor(), "--credentials", "--only", "powershell")
	all := out + errOut
	t.Logf("unknown host key:\n%s", all)
	if code != 3 {
		t.Errorf("unknown host key: exit %d, want 3\n%s", code, all)
	}
	for _, w := range []string{host, "SHA256:", known} {
		if !strings.Contains(all, w) {
			t.Errorf("unknown host key: output lacks %q:\n%s", w, all)
		}
	}

	// Trust the key, as a user who compared the fingerprint would.
	line := knownhosts.Line([]string{knownhosts.Normalize(addr)}, key)
	if err := os.WriteFile(known, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "check", "--profile", profileFor(), "--credentials", "--only", "powershell")
	all = out + errOut
	t.Logf("wrong password:\n%s", all)
	if code != 3 {
		t.Errorf("wrong password: exit %d, want 3\n%s", code, all)
	}
	for _, w := range []string{"admin", host, "password"} {
		if !strings.Contains(all, w) {
			t.Errorf("wrong password: output lacks %q:\n%s", w, all)
		}
	}
	if strings.Contains(all, secret) {
		t.Errorf("the password leaked into the output:\n%s", all)
	}
}
