// Package connect turns a profile's shell: settings into a live
// shell.Shell (SSH, WinRM or a local PowerShell), finding the password in
// the environment, the OS keyring or a prompt, in that order. Secrets are
// never read from the profile and every revealed secret is handed to
// Options.OnSecret, so the transcript can redact it.
package connect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/localshell"
	"github.com/ucpilot/ucpilot/remote/shell"
	"github.com/ucpilot/ucpilot/remote/sshshell"
	"github.com/ucpilot/ucpilot/remote/winrmshell"
)

// Sides a profile can hold a shell for.
const (
	SideExchange = "exchange"
	SideSfB      = "sfb"
)

// Options supply what a login may need from the caller.
type Options struct {
	// Prompt asks for a password; nil means nobody can be asked (headless),
	// and a login that needs a password without password_env or a stored
	// one fails with ErrNoSecretSource.
	Prompt Prompt
	// OnSecret receives every secret used for a login, before it is used
	// (register it with the transcript's Redactor).
	OnSecret func(shell.Secret)
	// Notice receives messages worth showing (keyring unavailable, empty
	// password variable). nil discards them.
	Notice func(msg string)
	// Keyring overrides the OS keyring (tests).
	Keyring Keyring
	// Getenv overrides os.Getenv (tests).
	Getenv func(string) string
	// Timeout bounds connecting and logging on (default 30 s).
	Timeout time.Duration
}

func (o *Options) getenv(k string) string {
	if o.Getenv != nil {
		return o.Getenv(k)
	}
	return os.Getenv(k)
}

func (o *Options) keyring() Keyring {
	if o.Keyring != nil {
		return o.Keyring
	}
	return osKeyring{}
}

func (o *Options) notice(msg string) {
	if o.Notice != nil {
		o.Notice(msg)
	}
}

func (o *Options) register(s shell.Secret) {
	if o.OnSecret != nil && !s.IsZero() {
		o.OnSecret(s)
	}
}

// Session is one side's open shell and how it logged on.
type Session struct {
	Side   string
	Shell  shell.Shell
	Source Source // where the password came from (SourceNone without one)

	cfg     profile.ShellConfig
	p       *profile.Profile
	secret  shell.Secret
	jumpSec shell.Secret
	opts    Options
}

// Transports are replaceable so tests can log on without a server.
var (
	dialSSH  = func(ctx context.Context, c sshshell.Config) (shell.Shell, error) { return sshshell.Dial(ctx, c) }
	newWinRM = func(c winrmshell.Config) (shell.Shell, error) { return winrmshell.New(c) }
	newLocal = func() (shell.Shell, error) { return localshell.New("") }
)

// Open connects to the side's shell ("exchange" or "sfb") as the profile
// describes it. An unknown SSH host key comes back as
// *sshshell.UnknownHostKeyError: show its Fingerprint, and on the user's
// yes call AcceptHostKey and Open again. A changed key
// (*sshshell.HostKeyChangedError) must not be accepted from the UI.
// When the profile says remember: true and the password was typed, it is
// stored in the keyring after the login succeeds.
func Open(ctx context.Context, p *profile.Profile, side string, opts Options) (*Session, error) {
	c, err := ShellConfigFor(p, side)
	if err != nil {
		return nil, err
	}
	s := &Session{Side: side, cfg: *c, p: p, opts: opts}
	if s.Shell, err = s.dial(ctx, c.Host); err != nil {
		return nil, err
	}
	if c.Remember && s.Source == SourcePrompt {
		if err := Remember(opts.keyring(), s.user(), c.Host, s.secret); err != nil {
			opts.notice(err.Error() + "; the password was used but not stored")
		}
	}
	return s, nil
}

// ShellConfigFor returns the side's shell: settings or an error naming the
// key to add.
func ShellConfigFor(p *profile.Profile, side string) (*profile.ShellConfig, error) {
	var c *profile.ShellConfig
	switch side {
	case SideExchange:
		c = p.Exchange.Shell
	case SideSfB:
		c = p.SfB.Shell
	default:
		return nil, fmt.Errorf("connect: unknown side %q (want exchange or sfb)", side)
	}
	if c == nil {
		return nil, fmt.Errorf("the profile has no %s.shell key: add one (transport, host, user) to run the credentialed checks on that side", side)
	}
	return c, nil
}

// ForHost opens another shell with the same transport and credentials on
// host (another Front End of the pool, to compare certificates). The
// password is not asked again.
func (s *Session) ForHost(ctx context.Context, host string) (shell.Shell, error) {
	if err := shell.ValidateHostname(host); err != nil {
		return nil, err
	}
	return s.dial(ctx, host)
}

// Remember stores the session's password in the OS keyring (the TUI's
// "remember this password" choice after a successful login).
func (s *Session) Remember() error {
	if s.secret.IsZero() {
		return errors.New("this login used no password, so there is nothing to remember")
	}
	return Remember(s.opts.keyring(), s.user(), s.cfg.Host, s.secret)
}

// Close closes the shell.
func (s *Session) Close() error { return s.Shell.Close() }

func (s *Session) user() string { return s.cfg.User }

func (s *Session) auth() string {
	if s.cfg.Auth != "" {
		return s.cfg.Auth
	}
	if s.cfg.Transport == profile.TransportWinRM {
		return "ntlm"
	}
	return "password"
}

// needsPassword says whether the main login needs a password.
func (s *Session) needsPassword() bool {
	switch s.auth() {
	case "password", "ntlm", "basic":
		return true
	case "kerberos": // a credential cache is used when there is one
		return s.cfg.PasswordEnv != "" || s.opts.getenv("KRB5CCNAME") == ""
	}
	return false
}

func (s *Session) dial(ctx context.Context, host string) (shell.Shell, error) {
	timeout := s.opts.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if s.cfg.Transport == profile.TransportLocal {
		return newLocal()
	}
	if s.secret.IsZero() && s.needsPassword() {
		sec, src, err := s.opts.secretFor(&s.cfg, s.user(), s.cfg.Host, s.cfg.PasswordEnv, s.cfg.Remember)
		if err != nil {
			return nil, err
		}
		s.secret, s.Source = sec, src
		s.opts.register(sec)
	}
	switch s.cfg.Transport {
	case profile.TransportSSH:
		cfg, err := s.sshConfig(host)
		if err != nil {
			return nil, err
		}
		return dialSSH(ctx, cfg)
	case profile.TransportWinRM:
		return newWinRM(s.winrmConfig(host))
	}
	return nil, fmt.Errorf("connect: transport %q is not ssh, winrm or local", s.cfg.Transport)
}
