package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/crypto/ssh"

	"github.com/ucpilot/ucpilot/engine/connect"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/transcript"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/shell"
	"github.com/ucpilot/ucpilot/remote/sshshell"
	"github.com/ucpilot/ucpilot/tui"
)

const secretTestProfile = `topology: onprem
domain: contoso.com
exchange:
  fqdn: exch01.contoso.com
  autodiscover: autodiscover.contoso.com
sfb:
  pool: pool01.contoso.com
  shell:
    transport: ssh
    host: fe01.contoso.com
    user: admin
    auth: password
    known_hosts: known_hosts
`

// tuiDriver runs a tea.Model as Bubble Tea does (commands on goroutines,
// Update on one goroutine) and keeps every frame it drew.
type tuiDriver struct {
	t      *testing.T
	m      tea.Model
	msgs   chan tea.Msg
	frames []string
}

func newTUIDriver(t *testing.T, m tea.Model) *tuiDriver {
	d := &tuiDriver{t: t, m: m, msgs: make(chan tea.Msg, 1024)}
	d.spawn(m.Init())
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	return d
}

func (d *tuiDriver) send(msg tea.Msg) {
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(msg)
	d.frames = append(d.frames, d.m.View())
	d.spawn(cmd)
}

func (d *tuiDriver) key(k string) {
	switch k {
	case "enter":
		d.send(tea.KeyMsg{Type: tea.KeyEnter})
	default:
		for _, r := range k {
			d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
}

func (d *tuiDriver) spawn(cmd tea.Cmd) {
	if cmd != nil {
		go func() { d.deliver(cmd()) }()
	}
}

// deliver fans out batches and runs sequences in order (their type is
// unexported in Bubble Tea).
func (d *tuiDriver) deliver(msg tea.Msg) {
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			d.spawn(c)
		}
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && strings.HasSuffix(v.Type().String(), "sequenceMsg") {
		for i := 0; i < v.Len(); i++ {
			if c, ok := v.Index(i).Interface().(tea.Cmd); ok && c != nil {
				d.deliver(c())
			}
		}
		return
	}
	d.msgs <- msg
}

func (d *tuiDriver) screen() string { return ansi.Strip(d.m.View()) }

// waitFor feeds messages until the screen shows want.
func (d *tuiDriver) waitFor(want string) {
	d.t.Helper()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(d.screen(), want) {
		select {
		case msg := <-d.msgs:
			if _, quit := msg.(tea.QuitMsg); !quit {
				d.send(msg)
			}
		case <-deadline:
			d.t.Fatalf("after 10s the screen still does not show %q:\n%s", want, d.screen())
		}
	}
}

// echoShell is a server that repeats the password in everything it says.
type echoShell struct {
	pw   string
	runs atomic.Int32
}

func (e *echoShell) Run(_ context.Context, script string) (shell.Result, error) {
	if e.runs.Add(1) > 1 {
		return shell.Result{Stderr: "denied for " + e.pw}, errors.New("connection dropped after " + e.pw)
	}
	return shell.Result{Stdout: "echo: " + e.pw + "\n", Stderr: "warning: " + e.pw + "\n", ExitCode: 1}, nil
}
func (e *echoShell) Target() string { return "fe01.contoso.com via ssh" }
func (e *echoShell) Close() error   { return nil }

// secretTestEnv is the TUI over a profile with an SSH shell, in temp XDG
// dirs, with the login and the server faked.
func secretTestEnv(t *testing.T) (string, *tuiEnvironment, tui.Options) {
	root := t.TempDir()
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "HOME"} {
		t.Setenv(v, filepath.Join(root, strings.ToLower(v)))
	}
	t.Setenv(transcript.EnvPath, filepath.Join(root, "transcript.jsonl"))
	t.Setenv(profile.EnvVar, "")
	path := filepath.Join(root, "profile.yaml")
	if err := os.WriteFile(path, []byte(secretTestProfile), 0o600); err != nil {
		t.Fatal(err)
	}
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	o := &rootOptions{theme: "dark", profilePath: path}
	env, err := openEnvironment(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	env.attachServers()
	t.Cleanup(env.closeServers)
	if env.servers == nil {
		t.Fatal("a profile with sfb.shell got no server sessions")
	}
	opts := env.tuiOptions(kb, o)
	opts.Output = io.Discard
	opts.Clipboard = &tui.TerminalClipboard{Out: io.Discard, Getenv: func(string) string { return "" }, GOOS: "linux"}
	return root, env, opts
}

// The proof: a password typed into the TUI's masked field, echoed
// by the server in its output, its error and a login error, appears in no
// file ucpilot wrote (transcript, progress, profile) and in no frame drawn.
func TestTUIPasswordNeverWrittenOrDrawn(t *testing.T) {
	const pw = "S3cret-Pa55w0rd!xyzzy"
	root, env, opts := secretTestEnv(t)
	pub, _, _ := ed25519.GenerateKey(nil)
	key, _ := ssh.NewPublicKey(pub)
	echo := &echoShell{pw: pw}
	var mu sync.Mutex
	opens, accepted := 0, 0
	env.servers.OpenFunc = func(_ context.Context, _ *profile.Profile, side string, o connect.Options) (*connect.Session, error) {
		sec, err := o.Prompt("Password for admin@fe01.contoso.com (ssh)")
		if err != nil {
			return nil, err
		}
		o.OnSecret(sec)
		mu.Lock()
		defer mu.Unlock()
		if opens++; opens == 1 {
			return nil, &sshshell.UnknownHostKeyError{Host: "fe01.contoso.com", Fingerprint: "SHA256:fake-fingerprint", Key: key, File: "known_hosts"}
		}
		if sec.Reveal() != pw {
			return nil, errors.New("the server refused " + sec.Reveal())
		}
		return &connect.Session{Side: side, Shell: echo}, nil
	}
	env.servers.AcceptFunc = func(error) error { accepted++; return nil }

	d := newTUIDriver(t, tui.NewModel(opts))
	d.key("w")
	d.key("enter")
	d.waitFor("Give the pool one OAuthTokenIssuer certificate")
	d.key("x") // [1], read-only: runs at once, and logs on first
	d.waitFor("(typing is hidden)")
	d.waitFor("Windows OpenSSH gives a key-based login")
	d.key(pw)
	d.waitFor(strings.Repeat("•", len(pw)))
	d.key("enter")
	d.waitFor("SHA256:fake-fingerprint")
	d.key("yes")
	d.key("enter")
	d.waitFor("echo: [REDACTED]")
	d.waitFor("warning: [REDACTED]")
	d.key("3") // the verify command: the server drops the connection
	d.key("x")
	d.waitFor("denied for [REDACTED]")
	d.waitFor("error: connection dropped after")
	d.key("n") // progress is saved
	d.waitFor("step 2 of")
	if accepted != 1 || opens != 2 {
		t.Errorf("host key accepted %d times, %d logins; want 1 and 2", accepted, opens)
	}
	if po := serverPlanOptions(env.servers); !po.Credentials || po.Shells["sfb"] == nil {
		t.Errorf("the Checks plan does not get the open session: %+v", po)
	}
	for i, f := range d.frames {
		if strings.Contains(f, pw) || strings.Contains(ansi.Strip(f), pw) {
			t.Fatalf("frame %d shows the password:\n%s", i, ansi.Strip(f))
		}
	}
	assertNoFileHolds(t, root, pw, "transcript.jsonl", "progress")
	entries, err := transcript.Open(filepath.Join(root, "transcript.jsonl"), nil).Entries()
	if err != nil || len(entries) != 2 || !strings.Contains(entries[0].Output, "[REDACTED]") {
		t.Errorf("transcript: %d entries, %v: %+v", len(entries), err, entries)
	}
}

// assertNoFileHolds fails when any file under root holds secret, and when
// no file's path contains one of mustExist (proof they were written).
func assertNoFileHolds(t *testing.T, root, secret string, mustExist ...string) {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), secret) {
			t.Errorf("%s holds the password", path)
		}
		for _, m := range mustExist {
			if strings.Contains(path, m) {
				seen[m] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mustExist {
		if !seen[m] {
			t.Errorf("no %s file was written under %s, so the test proves less than it claims", m, root)
		}
	}
}

// A changed host key is refused: nothing is accepted or run, and the
// refusal is shown.
func TestTUIChangedHostKeyRefused(t *testing.T) {
	_, env, opts := secretTestEnv(t)
	accepted := 0
	env.servers.OpenFunc = func(context.Context, *profile.Profile, string, connect.Options) (*connect.Session, error) {
		return nil, &sshshell.HostKeyChangedError{Host: "fe01.contoso.com", Fingerprint: "SHA256:new", Known: []string{"known_hosts:1"}}
	}
	env.servers.AcceptFunc = func(error) error { accepted++; return nil }
	d := newTUIDriver(t, tui.NewModel(opts))
	d.key("w")
	d.key("enter")
	d.waitFor("Give the pool one OAuthTokenIssuer certificate")
	d.key("x")
	d.waitFor("REFUSED")
	d.waitFor("has CHANGED")
	if accepted != 0 || env.servers.Get("sfb") != nil {
		t.Errorf("a changed key was accepted (%d) or a session kept", accepted)
	}
}
