package connect

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/shell"
	"github.com/ucpilot/ucpilot/remote/sshshell"
)

// Asker is how a Pool asks the person logging on: a masked password, a
// yes/no about an unknown host key, a notice. The TUI's Asker is one.
type Asker interface {
	Password(ctx context.Context, label string, notes ...string) (shell.Secret, error)
	YesNo(ctx context.Context, title, question string, details ...string) (bool, error)
	Notify(msg string)
}

// Pool holds one PowerShell session per side of a profile. Nothing
// connects until a command needs a side: then the login asks through the
// Asker. Every secret goes to OnSecret (the transcript redactor) before it
// is used. One login per side runs at a time; a failed login is not kept,
// so the next command asks again.
type Pool struct {
	p        *profile.Profile
	onSecret func(shell.Secret)
	ask      Asker
	// OpenFunc and AcceptFunc are Open and AcceptHostKey; tests swap them
	// to log on without a server.
	OpenFunc   func(ctx context.Context, p *profile.Profile, side string, o Options) (*Session, error)
	AcceptFunc func(error) error

	mu       sync.Mutex
	sessions map[string]*Session
	opening  map[string]*sync.Mutex // one login at a time per side
	noted    bool                   // the key-login note was shown
}

// NewPool prepares the sessions of p; it does not connect.
func NewPool(p *profile.Profile, onSecret func(shell.Secret), ask Asker) *Pool {
	return &Pool{p: p, onSecret: onSecret, ask: ask, OpenFunc: Open, AcceptFunc: AcceptHostKey,
		sessions: map[string]*Session{}, opening: map[string]*sync.Mutex{}}
}

// Profile is the profile the pool logs on for.
func (s *Pool) Profile() *profile.Profile { return s.p }

// Sides are the sides the profile has a shell: key for.
func (s *Pool) Sides() []string {
	var out []string
	for _, side := range []string{SideExchange, SideSfB} {
		if c, err := ShellConfigFor(s.p, side); err == nil && c != nil {
			out = append(out, side)
		}
	}
	return out
}

// Shells are the commands' shells by side: each logs on when it first
// runs something.
func (s *Pool) Shells() map[string]shell.Shell {
	out := map[string]shell.Shell{}
	for _, side := range s.Sides() {
		c, _ := ShellConfigFor(s.p, side)
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

// Open returns the sessions already open, by side, and a way to reach
// another Front End of the pool through the SfB session (nil without
// one). It never logs on by itself.
func (s *Pool) Open() (map[string]shell.Shell, func(ctx context.Context, side, host string) (shell.Shell, error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sessions) == 0 {
		return nil, nil
	}
	shells := map[string]shell.Shell{}
	var hostShell func(ctx context.Context, side, host string) (shell.Shell, error)
	for side, se := range s.sessions {
		shells[side] = se.Shell
		if side == SideSfB {
			hostShell = func(ctx context.Context, _ string, host string) (shell.Shell, error) { return se.ForHost(ctx, host) }
		}
	}
	return shells, hostShell
}

// Close closes every open session.
func (s *Pool) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for side, se := range s.sessions {
		_ = se.Close()
		delete(s.sessions, side)
	}
}

func (s *Pool) lockFor(side string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opening[side] == nil {
		s.opening[side] = &sync.Mutex{}
	}
	return s.opening[side]
}

// Get returns side's session if it is open.
func (s *Pool) Get(side string) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[side]
}

// Session returns side's session, logging on first.
func (s *Pool) Session(ctx context.Context, side string) (*Session, error) {
	lock := s.lockFor(side)
	lock.Lock()
	defer lock.Unlock()
	if se := s.Get(side); se != nil {
		return se, nil
	}
	c, err := ShellConfigFor(s.p, side)
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
func (s *Pool) firstNote() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	first := !s.noted
	s.noted = true
	return first
}

// logOn opens the session, asking about an unknown host key; a changed
// key is refused. A password is asked once per login, even when the
// host key question makes the login start over.
func (s *Pool) logOn(ctx context.Context, side string, c *profile.ShellConfig) (*Session, error) {
	typed := map[string]shell.Secret{}
	opts := Options{
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
		OnSecret: s.onSecret,
		Notice:   s.ask.Notify,
	}
	se, err := s.OpenFunc(ctx, s.p, side, opts)
	if hk, ok := UnknownHostKey(err); ok {
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
		if err := s.AcceptFunc(err); err != nil {
			return nil, err
		}
		se, err = s.OpenFunc(ctx, s.p, side, opts)
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
	s      *Pool
	side   string
	target string
}

func (l *lazyShell) Run(ctx context.Context, script string) (shell.Result, error) {
	se, err := l.s.Session(ctx, l.side)
	if err != nil {
		return shell.Result{}, err
	}
	return se.Shell.Run(ctx, script)
}

func (l *lazyShell) Target() string { return l.target }

// Close does nothing: Pool.Close closes the real session.
func (l *lazyShell) Close() error { return nil }
