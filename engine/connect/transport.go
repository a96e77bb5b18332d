package connect

import (
	"errors"
	"fmt"
	"os"

	"github.com/ucpilot/ucpilot/remote/sshshell"
	"github.com/ucpilot/ucpilot/remote/winrmshell"
)

func (s *Session) sshConfig(host string) (sshshell.Config, error) {
	c := sshshell.Config{
		Host: host, Port: s.cfg.Port, User: s.cfg.User, Auth: sshshell.AuthMethod(s.auth()),
		Password: s.secret, KnownHostsFile: s.p.ResolvePath(s.cfg.KnownHosts),
	}
	if s.cfg.KeyFile != "" {
		c.KeyFile = s.p.ResolvePath(s.cfg.KeyFile)
	}
	j := s.cfg.Jump
	if j == nil {
		return c, nil
	}
	jc := &sshshell.Config{Host: j.Host, Port: j.Port, User: j.User, Auth: sshshell.AuthMethod(j.Auth),
		KnownHostsFile: c.KnownHostsFile}
	if jc.User == "" {
		jc.User = s.cfg.User
	}
	if jc.Auth == "" {
		jc.Auth = sshshell.AuthAgent
	}
	if j.KeyFile != "" {
		jc.KeyFile = s.p.ResolvePath(j.KeyFile)
	}
	if jc.Auth == sshshell.AuthPassword {
		if s.jumpSec.IsZero() {
			sec, _, err := s.opts.secretFor(&s.cfg, jc.User, jc.Host, "", s.cfg.Remember)
			if err != nil {
				return c, fmt.Errorf("jump host: %w", err)
			}
			s.jumpSec = sec
			s.opts.register(sec)
		}
		jc.Password = s.jumpSec
	}
	c.Jump = jc
	return c, nil
}

func (s *Session) winrmConfig(host string) winrmshell.Config {
	c := winrmshell.Config{
		Host: host, Port: s.cfg.Port, User: s.cfg.User, Password: s.secret,
		Auth: winrmshell.Auth(s.auth()), AllowHTTP: !s.cfg.UseHTTPS(),
	}
	// The profile's CA file also signs the WinRM listener in most labs.
	if path := s.p.CAFilePath(); path != "" {
		if pem, err := os.ReadFile(path); err == nil {
			c.CACertPEM = pem
		}
	}
	return c
}

// UnknownHostKey returns the unknown-host-key error inside err, so the
// caller can show its Fingerprint and ask.
func UnknownHostKey(err error) (*sshshell.UnknownHostKeyError, bool) {
	var e *sshshell.UnknownHostKeyError
	ok := errors.As(err, &e)
	return e, ok
}

// AcceptHostKey records the host key of an *sshshell.UnknownHostKeyError
// in the known_hosts file that was checked. Call it only after the user
// compared the fingerprint and said yes. A changed host key is refused:
// the old entry must be removed by hand by someone who knows why it
// changed.
func AcceptHostKey(err error) error {
	var changed *sshshell.HostKeyChangedError
	if errors.As(err, &changed) {
		return fmt.Errorf("refusing to accept a CHANGED host key for %s: remove the old entry (%v) yourself "+
			"once you know why the server's key changed", changed.Host, changed.Known)
	}
	e, ok := UnknownHostKey(err)
	if !ok {
		return fmt.Errorf("AcceptHostKey: %v is not an unknown-host-key error", err)
	}
	return sshshell.AddKnownHost(e.File, e.Host, e.Key)
}
