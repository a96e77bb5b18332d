package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/connect"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/transcript"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// sessions are the PowerShell sessions of one headless run, by side.
type sessions struct {
	open []*connect.Session
	opts engine.PlanOptions
}

func (s *sessions) Close() {
	for _, se := range s.open {
		_ = se.Close()
	}
}

// openSessions logs on to every side the profile has a shell for. A
// password comes from password_env, the keyring, or a masked prompt on the
// terminal (never echoed, never logged: every secret is registered with
// the redactor). An unknown SSH host key is shown and accepted only after
// the user types yes; a changed one is refused.
func openSessions(ctx context.Context, p *profile.Profile, red *transcript.Redactor, stderr io.Writer) (*sessions, error) {
	// Every result passes red.Redact, so a password a server echoes never
	// reaches the text, JSON or Markdown report.
	s := &sessions{opts: engine.PlanOptions{Credentials: true, Shells: map[string]shell.Shell{}, Redact: red.Redact}}
	tty, _ := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if tty != nil {
		defer tty.Close()
	}
	opts := connect.Options{
		Prompt:   ttyPrompt(tty),
		OnSecret: red.Register,
		Notice:   func(msg string) { fmt.Fprintln(stderr, "note:", msg) },
	}
	for _, side := range []string{connect.SideExchange, connect.SideSfB} {
		if cfg, err := connect.ShellConfigFor(p, side); err != nil || cfg == nil {
			continue
		}
		se, err := openWithHostKey(ctx, p, side, opts, tty, stderr)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("%s shell: %w", side, err)
		}
		s.open = append(s.open, se)
		s.opts.Shells[side] = se.Shell
		if side == connect.SideSfB {
			s.opts.HostShell = func(ctx context.Context, _ string, host string) (shell.Shell, error) {
				return se.ForHost(ctx, host)
			}
		}
	}
	return s, nil
}

func openWithHostKey(ctx context.Context, p *profile.Profile, side string, opts connect.Options, tty *os.File, stderr io.Writer) (*connect.Session, error) {
	se, err := connect.Open(ctx, p, side, opts)
	hk, unknown := connect.UnknownHostKey(err)
	if !unknown {
		return se, err
	}
	if tty == nil {
		return nil, fmt.Errorf("%w\nno terminal to ask on: connect once interactively, or add the key to %s yourself", err, hk.File)
	}
	fmt.Fprintf(tty, "The SSH host key of %s is not known.\n  fingerprint: %s\nCompare it with the server's (ssh-keygen -lf on the server). Trust it? Type yes: ", hk.Host, hk.Fingerprint)
	answer, _ := bufio.NewReader(tty).ReadString('\n')
	if strings.TrimSpace(answer) != "yes" {
		return nil, fmt.Errorf("host key of %s not accepted; nothing was sent to it", hk.Host)
	}
	if err := connect.AcceptHostKey(err); err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "recorded the host key of %s in %s\n", hk.Host, hk.File)
	return connect.Open(ctx, p, side, opts)
}

// ttyPrompt asks for a password on the terminal with echo off. Without a
// terminal (cron, CI) there is nobody to ask: the login then needs
// password_env or a remembered password.
func ttyPrompt(tty *os.File) connect.Prompt {
	if tty == nil || !term.IsTerminal(int(tty.Fd())) {
		return nil
	}
	return func(label string) (shell.Secret, error) {
		fmt.Fprintf(tty, "%s: ", label)
		b, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(tty)
		if err != nil {
			return shell.Secret{}, fmt.Errorf("reading the password: %w", err)
		}
		if len(b) == 0 {
			return shell.Secret{}, errors.New("empty password")
		}
		s := shell.NewSecret(string(b))
		for i := range b {
			b[i] = 0
		}
		return s, nil
	}
}
