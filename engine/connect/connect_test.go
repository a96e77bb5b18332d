package connect

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
	"go.uber.org/goleak"
	"golang.org/x/crypto/ssh"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/shell"
	"github.com/ucpilot/ucpilot/remote/sshshell"
	"github.com/ucpilot/ucpilot/remote/winrmshell"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type nopShell struct{ target string }

func (n nopShell) Run(context.Context, string) (shell.Result, error) { return shell.Result{}, nil }
func (n nopShell) Target() string                                    { return n.target }
func (n nopShell) Close() error                                      { return nil }

// fakeTransports records the configs a login would use, and fails the
// SSH login when the password is not want.
func fakeTransports(t *testing.T, want string) (*sshshell.Config, *winrmshell.Config) {
	var gotSSH sshshell.Config
	var gotWinRM winrmshell.Config
	oldS, oldW := dialSSH, newWinRM
	t.Cleanup(func() { dialSSH, newWinRM = oldS, oldW })
	dialSSH = func(_ context.Context, c sshshell.Config) (shell.Shell, error) {
		gotSSH = c
		if c.Auth == sshshell.AuthPassword && c.Password.Reveal() != want {
			return nil, &sshshell.AuthError{User: c.User, Host: c.Host, Method: c.Auth, Err: errors.New("denied")}
		}
		return nopShell{c.Host + " via ssh"}, nil
	}
	newWinRM = func(c winrmshell.Config) (shell.Shell, error) {
		gotWinRM = c
		return nopShell{c.Host + " via winrm"}, nil
	}
	return &gotSSH, &gotWinRM
}

func profileWith(t *testing.T, sfb *profile.ShellConfig) *profile.Profile {
	t.Helper()
	p := &profile.Profile{Topology: "onprem", Domain: "contoso.com", SfB: profile.SfB{Pool: "pool01.contoso.com", Shell: sfb}}
	p.SetDir(t.TempDir())
	return p
}

func TestSecretOrderEnvThenKeyringThenPrompt(t *testing.T) {
	keyring.MockInit()
	got, _ := fakeTransports(t, "pw")
	cfg := &profile.ShellConfig{Transport: "ssh", Host: "fe01.contoso.com", User: "admin", PasswordEnv: "SFB_PW", Remember: true}
	p := profileWith(t, cfg)
	prompts := 0
	var seen []string
	opts := Options{
		Getenv:   func(k string) string { return map[string]string{"SFB_PW": "pw"}[k] },
		Prompt:   func(string) (shell.Secret, error) { prompts++; return shell.NewSecret("pw"), nil },
		OnSecret: func(s shell.Secret) { seen = append(seen, s.Reveal()) },
	}
	s, err := Open(context.Background(), p, SideSfB, opts)
	if err != nil {
		t.Fatal(err)
	}
	if s.Source != SourceEnv || got.Password.Reveal() != "pw" || prompts != 0 {
		t.Fatalf("env: source %q, prompts %d", s.Source, prompts)
	}
	// Without the variable: the prompt, then the keyring holds it.
	opts.Getenv = func(string) string { return "" }
	s, err = Open(context.Background(), p, SideSfB, opts)
	if err != nil || s.Source != SourcePrompt || prompts != 1 {
		t.Fatalf("prompt: source %q, prompts %d, err %v", s.Source, prompts, err)
	}
	if v, err := keyring.Get(KeyringService, "admin@fe01.contoso.com"); err != nil || v != "pw" {
		t.Fatalf("remember did not store the password: %q %v", v, err)
	}
	s, err = Open(context.Background(), p, SideSfB, opts)
	if err != nil || s.Source != SourceKeyring || prompts != 1 {
		t.Fatalf("keyring: source %q, prompts %d, err %v", s.Source, prompts, err)
	}
	if len(seen) != 3 {
		t.Fatalf("OnSecret saw %d secrets, want one per login", len(seen))
	}
}

func TestWrongPasswordIsNotRemembered(t *testing.T) {
	keyring.MockInit()
	fakeTransports(t, "right")
	p := profileWith(t, &profile.ShellConfig{Transport: "ssh", Host: "fe01.contoso.com", User: "admin", Remember: true})
	_, err := Open(context.Background(), p, SideSfB, Options{Prompt: func(string) (shell.Secret, error) { return shell.NewSecret("wrong"), nil }})
	var ae *sshshell.AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("want an AuthError, got %v", err)
	}
	if _, err := keyring.Get(KeyringService, "admin@fe01.contoso.com"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("a rejected password was stored (err %v)", err)
	}
}

func TestKeyringUnavailableFallsBackToPrompt(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	fakeTransports(t, "pw")
	p := profileWith(t, &profile.ShellConfig{Transport: "ssh", Host: "fe01.contoso.com", User: "admin", Remember: true})
	var notes []string
	s, err := Open(context.Background(), p, SideSfB, Options{
		Prompt: func(string) (shell.Secret, error) { return shell.NewSecret("pw"), nil },
		Notice: func(m string) { notes = append(notes, m) },
	})
	if err != nil || s.Source != SourcePrompt {
		t.Fatalf("source %v err %v", s, err)
	}
	joined := strings.Join(notes, "\n")
	if !strings.Contains(joined, "D-Bus") || !strings.Contains(joined, "not stored") {
		t.Fatalf("notices do not explain the keyring fallback: %q", joined)
	}
}

func TestNoPromptHeadless(t *testing.T) {
	keyring.MockInit()
	fakeTransports(t, "pw")
	p := profileWith(t, &profile.ShellConfig{Transport: "winrm", Host: "fe01.contoso.com", User: "admin"})
	_, err := Open(context.Background(), p, SideSfB, Options{Getenv: func(string) string { return "" }})
	if !errors.Is(err, ErrNoSecretSource) || !strings.Contains(err.Error(), "password_env") {
		t.Fatalf("want ErrNoSecretSource naming password_env, got %v", err)
	}
	if _, err := Open(context.Background(), p, SideExchange, Options{}); err == nil || !strings.Contains(err.Error(), "exchange.shell") {
		t.Fatalf("a missing exchange.shell must be named, got %v", err)
	}
}

func TestWinRMAndJumpConfig(t *testing.T) {
	keyring.MockInit()
	gotS, gotW := fakeTransports(t, "pw")
	https := false
	p := profileWith(t, &profile.ShellConfig{Transport: "winrm", Host: "fe01.contoso.com", User: "admin", HTTPS: &https})
	prompt := func(string) (shell.Secret, error) { return shell.NewSecret("pw"), nil }
	if _, err := Open(context.Background(), p, SideSfB, Options{Prompt: prompt}); err != nil {
		t.Fatal(err)
	}
	if gotW.Auth != winrmshell.AuthNTLM || !gotW.AllowHTTP || gotW.Password.Reveal() != "pw" {
		t.Fatalf("winrm config %+v", gotW)
	}
	p = profileWith(t, &profile.ShellConfig{Transport: "ssh", Host: "fe01.contoso.com", User: "admin", KnownHosts: "kh",
		Jump: &profile.JumpConfig{Host: "bastion.contoso.com", Auth: "password"}})
	labels := 0
	s, err := Open(context.Background(), p, SideSfB, Options{Prompt: func(l string) (shell.Secret, error) { labels++; return prompt(l) }})
	if err != nil {
		t.Fatal(err)
	}
	if gotS.Jump == nil || gotS.Jump.User != "admin" || gotS.Jump.Password.Reveal() != "pw" || labels != 2 {
		t.Fatalf("jump config %+v, prompts %d", gotS.Jump, labels)
	}
	if !filepath.IsAbs(gotS.KnownHostsFile) {
		t.Fatalf("known_hosts not resolved against the profile directory: %q", gotS.KnownHostsFile)
	}
	if _, err := s.ForHost(context.Background(), "fe02.contoso.com"); err != nil || gotS.Host != "fe02.contoso.com" || labels != 2 {
		t.Fatalf("ForHost: host %s, prompts %d, err %v", gotS.Host, labels, err)
	}
	if _, err := s.ForHost(context.Background(), "fe02;calc"); err == nil {
		t.Fatal("ForHost accepted an invalid hostname")
	}
}

func TestAcceptHostKey(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "known_hosts")
	unknown := &sshshell.UnknownHostKeyError{Host: "[fe01.contoso.com]:2222", Fingerprint: ssh.FingerprintSHA256(key), Key: key, File: file}
	wrapped := errors.Join(errors.New("dial"), unknown)
	if e, ok := UnknownHostKey(wrapped); !ok || e.Fingerprint == "" {
		t.Fatal("UnknownHostKey did not find the error")
	}
	if err := AcceptHostKey(wrapped); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(data), "[fe01.contoso.com]:2222 ssh-ed25519") {
		t.Fatalf("known_hosts = %q, %v", data, err)
	}
	changed := &sshshell.HostKeyChangedError{Host: "fe01.contoso.com", Known: []string{file + ":1"}, Key: key}
	if err := AcceptHostKey(changed); err == nil || !strings.Contains(err.Error(), "CHANGED") {
		t.Fatalf("a changed key must be refused, got %v", err)
	}
}
