package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/connect"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/transcript"
	"github.com/ucpilot/ucpilot/remote/shell"
	"github.com/ucpilot/ucpilot/remote/sshshell"
	"github.com/ucpilot/ucpilot/tui"
)

// serverSessions are the TUI's PowerShell sessions on the profile's
// servers. Nothing connects until a command needs a side: then the login
// asks in the TUI (a masked password field, a host key question) through
// the Asker, while Bubble Tea keeps the terminal. Every secret is
// registered with the redactor before it is used.
type serverSessions struct {
	p   *profile.Profile
	red *transcript.Redactor
	ask *tui.Asker
	// open and accept are connect.Open and connect.AcceptHostKey; tests
	// swap them to log on without a server.
	open   func(ctx context.Context, p *profile.Profile, side string, o connect.Options) (*connect.Session, error)
	accept func(error) error

	mu       sync.Mutex
	sessions map[string]*connect.Session
	opening  map[string]*sync.Mutex // one login at a time per side
	noted    bool                   // the key-login note was shown
}

func newServerSessions(p *profile.Profile, red *transcript.Redactor, ask *tui.Asker) *serverSessions {
	return &serverSessions{p: p, red: red, ask: ask, open: connect.Open, accept: connect.AcceptHostKey,
		sessions: map[string]*connect.Session{}, opening: map[string]*sync.Mutex{}}
}

// sides are the sides the profile has a shell: key for.
func (s *serverSessions) sides() []string {
	var out []string
	for _, side := range []string{connect.SideExchange, connect.SideSfB} {
		if c, err := connect.ShellConfigFor(s.p, side); err == nil && c != nil {
			out = append(out, side)
		}
	}
	return out
}

// shells are the commands' shells by side: each logs on when it first
// runs something.
func (s *serverSessions) shells() map[string]shell.Shell {
	out := map[string]shell.Shell{}
	for _, side := range s.sides() {
		c, _ := connect.ShellConfigFor(s.p, side)
		out[side] = &lazyShell{s: s, side: side, target: targetOf(c)}
	}
	return out
}

// targetOf names where a shell will run, before it is open, the way the
// transports name it once open.
func targetOf(c *profile.ShellConfig) string {
	switch c.Transport {
	case profile.TransportLocal:
		return "this computer via powershell.exe"
	case profile.TransportSSH:
		if c.Jump != nil {
			return c.Host + " via ssh (through " + c.Jump.Host + ")"
		}
	}
	return c.Host + " via " + c.Transport
}

// planOptions gives the Checks screen the sessions already open, so the
// credentialed checks run once the user has logged on for a command.
// Opening the Checks screen never asks for a password by itself.
func (s *serverSessions) planOptions() engine.PlanOptions {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sessions) == 0 {
		return engine.PlanOptions{}
	}
	o := engine.PlanOptions{Credentials: true, Shells: map[string]shell.Shell{}}
	for side, se := range s.sessions {
		o.Shells[side] = se.Shell
		if side == connect.SideSfB {
			se := se
			o.HostShell = func(ctx context.Context, _ string, host string) (shell.Shell, error) { return se.ForHost(ctx, host) }
		}
	}
	return o
}

// Close closes every open session.
func (s *serverSessions) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for side, se := range s.sessions {
		_ = se.Close()
		delete(s.sessions, side)
	}
}

func (s *serverSessions) lockFor(side string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opening[side] == nil {
		s.opening[side] = &sync.Mutex{}
	}
	return s.opening[side]
}

func (s *serverSessions) get(side string) *connect.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[side]
}

// session returns side's session, logging on first. A failed login is
// not kept: the next command asks again.
func (s *serverSessions) session(ctx context.Context, side string) (*connect.Session, error) {
	lock := s.lockFor(side)
	lock.Lock()
	defer lock.Unlock()
	if se := s.get(side); se != nil {
		return se, nil
	}
	c, err := connect.ShellConfigFor(s.p, side)
	if err != nil {
		return nil, err
	}
	se, err := s.logOn(ctx, side, c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.sessions[side] = se
	s.mu.Unlock()
	if c.Transport == profile.TransportSSH && (c.Auth == "key" || c.Auth == "agent") && s.firstNote() {
		s.ask.Notify("logged on with an SSH key: Windows gives such logins no network credentials, so Exchange " +
			"and Skype for Business cmdlets fail; use auth: password for them")
	}
	return se, nil
}

// firstNote reports whether the key-login note is still to be shown.
func (s *serverSessions) firstNote() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	first := !s.noted
	s.noted = true
	return first
}

// logOn opens the session, asking about an unknown host key; a changed
// key is refused. A password is asked once per login, even when the
// host key question makes the login start over.
func (s *serverSessions) logOn(ctx context.Context, side string, c *profile.ShellConfig) (*connect.Session, error) {
	typed := map[string]shell.Secret{}
	opts := connect.Options{
		Prompt: func(label string) (shell.Secret, error) {
			if sec, ok := typed[label]; ok {
				return sec, nil
			}
			var notes []string
			if c.Transport == profile.TransportSSH && s.firstNote() {
				notes = append(notes, sshshell.KeyAuthNote)
			}
			sec, err := s.ask.Password(ctx, label, notes...)
			if err == nil {
				typed[label] = sec
			}
			return sec, err
		},
		OnSecret: s.red.Register,
		Notice:   s.ask.Notify,
	}
	se, err := s.open(ctx, s.p, side, opts)
	if hk, ok := connect.UnknownHostKey(err); ok {
		yes, aerr := s.ask.YesNo(ctx, "Unknown SSH host key",
			fmt.Sprintf("Trust %s and record its key in %s?", hk.Host, hk.File),
			"fingerprint: "+hk.Fingerprint,
			"Compare it with the server's own before you agree (on the server: ssh-keygen -lf on its host key).")
		switch {
		case aerr != nil:
			return nil, fmt.Errorf("the host key question for %s: %w", hk.Host, aerr)
		case !yes:
			return nil, fmt.Errorf("the host key of %s was not accepted; nothing was sent to it", hk.Host)
		}
		if err := s.accept(err); err != nil {
			return nil, err
		}
		se, err = s.open(ctx, s.p, side, opts)
	}
	var changed *sshshell.HostKeyChangedError
	if errors.As(err, &changed) {
		s.ask.Notify("REFUSED: the SSH host key of " + changed.Host + " has CHANGED; nothing was run (see the output)")
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("logging on to the %s server: %w", side, err)
	}
	return se, nil
}

// lazyShell logs on when it first runs something.
type lazyShell struct {
	s      *serverSessions
	side   string
	target string
}

func (l *lazyShell) Run(ctx context.Context, script string) (shell.Result, error) {
	se, err := l.s.session(ctx, l.side)
	if err != nil {
		return shell.Result{}, err
	}
	return se.Shell.Run(ctx, script)
}

func (l *lazyShell) Target() string { return l.target }

// Close does nothing: serverSessions.Close closes the real session.
func (l *lazyShell) Close() error { return nil }
