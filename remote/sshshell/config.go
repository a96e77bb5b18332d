package sshshell

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ucpilot/ucpilot/remote/shell"
)

// AuthMethod selects how the client proves who it is.
type AuthMethod string

// Authentication methods.
const (
	AuthPassword AuthMethod = "password" // password, also answered to keyboard-interactive prompts
	AuthKey      AuthMethod = "key"      // private key file (OpenSSH/PEM), optionally encrypted
	AuthAgent    AuthMethod = "agent"    // keys held by ssh-agent (SSH_AUTH_SOCK)
)

// Config describes one SSH hop.
type Config struct {
	Host string
	Port int // default 22
	User string
	Auth AuthMethod

	Password      shell.Secret // AuthPassword
	KeyFile       string       // AuthKey
	KeyPassphrase shell.Secret // AuthKey, when the key file is encrypted
	AgentSocket   string       // AuthAgent; default $SSH_AUTH_SOCK

	// KnownHostsFile is checked for the server's host key. Default ~/.ssh/known_hosts.
	KnownHostsFile string
	// Jump, when set, is a host to connect through (like ssh -J). It is checked and
	// authenticated with its own settings.
	Jump *Config
	// Timeout bounds the TCP connect and SSH handshake. Default 20 s.
	Timeout time.Duration
	// PTY requests a pseudo-terminal for every command. Closing the
	// session of a cancelled command then hangs the terminal up, which
	// ends the remote process on any server (OpenSSH refuses the kill
	// signal for a forced command, and some servers ignore signals). The
	// price: stdout and stderr arrive as one stream, with terminal line
	// ends. Off by default.
	PTY bool
}

func (c Config) withDefaults() (Config, error) {
	if c.Port == 0 {
		c.Port = 22
	}
	if c.Timeout == 0 {
		c.Timeout = 20 * time.Second
	}
	if c.KnownHostsFile == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return c, fmt.Errorf("SSH: no known_hosts file given and the home directory is unknown (%v); "+
				"set the known_hosts path explicitly", err)
		}
		c.KnownHostsFile = filepath.Join(home, ".ssh", "known_hosts")
	}
	return c, nil
}

func (c Config) validate() error {
	if err := shell.ValidateHostname(c.Host); err != nil {
		return fmt.Errorf("SSH: %w", err)
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("SSH: port %d for %s is out of range 1-65535", c.Port, c.Host)
	}
	if c.User == "" {
		return fmt.Errorf("SSH: no user name given for %s", c.Host)
	}
	switch c.Auth {
	case AuthPassword:
		if c.Password.IsZero() {
			return fmt.Errorf("SSH: password authentication chosen for %s@%s but no password given", c.User, c.Host)
		}
	case AuthKey:
		if c.KeyFile == "" {
			return fmt.Errorf("SSH: key authentication chosen for %s@%s but no key file given", c.User, c.Host)
		}
	case AuthAgent:
	default:
		return fmt.Errorf("SSH: unknown authentication method %q for %s (use password, key or agent)", c.Auth, c.Host)
	}
	return nil
}
