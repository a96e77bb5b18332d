package sshshell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// AuthError says the server refused the credentials.
type AuthError struct {
	User, Host string
	Method     AuthMethod
	Err        error
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("SSH: authentication failed for user %s on host %s using %s (wrong password or key, "+
		"or the account may not log on over SSH: check AllowUsers/AllowGroups in sshd_config)",
		e.User, e.Host, e.Method)
}

func (e *AuthError) Unwrap() error { return e.Err }

// Shell runs scripts over one SSH connection; it is safe for concurrent Run calls.
type Shell struct {
	client *ssh.Client
	jump   *ssh.Client
	target string
	pty    bool
	// dead is closed when the connection ended; deadErr is why.
	dead    chan struct{}
	deadErr error
}

// watch notes when the connection ends, so a command waiting on it
// learns at once that it dropped.
func (s *Shell) watch() {
	s.dead = make(chan struct{})
	go func() {
		err := s.client.Wait()
		if err == nil {
			err = io.EOF
		}
		s.deadErr = err
		close(s.dead)
	}()
}

// Dial connects and authenticates (through cfg.Jump when set). ctx bounds the connect and
// handshake; the returned Shell outlives it.
func Dial(ctx context.Context, cfg Config) (*Shell, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Shell{target: cfg.Host + " via ssh", pty: cfg.PTY}
	if cfg.Jump != nil {
		jcfg, err := cfg.Jump.withDefaults()
		if err != nil {
			return nil, err
		}
		if err := jcfg.validate(); err != nil {
			return nil, fmt.Errorf("jump host: %w", err)
		}
		if s.jump, err = dialClient(ctx, nil, jcfg); err != nil {
			return nil, err
		}
		s.target = cfg.Host + " via ssh (through " + jcfg.Host + ")"
	}
	if s.client, err = dialClient(ctx, s.jump, cfg); err != nil {
		if s.jump != nil {
			_ = s.jump.Close()
		}
		return nil, err
	}
	s.watch()
	return s, nil
}

func dialClient(ctx context.Context, via *ssh.Client, cfg Config) (*ssh.Client, error) {
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	hk, err := hostKeyCallback(cfg.KnownHostsFile)
	if err != nil {
		return nil, err
	}
	auth, cleanup, err := authMethods(cfg)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	var conn net.Conn
	if via != nil {
		conn, err = via.DialContext(ctx, "tcp", addr)
	} else {
		conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("SSH: cannot connect to %s: %w", addr, err)
	}
	// The handshake has no context of its own: closing the connection is what stops it.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	cc, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{
		User: cfg.User, Auth: auth, HostKeyCallback: hk, Timeout: cfg.Timeout,
	})
	if err != nil {
		_ = conn.Close()
		return nil, handshakeError(ctx, cfg, addr, err)
	}
	return ssh.NewClient(cc, chans, reqs), nil
}

func handshakeError(ctx context.Context, cfg Config, addr string, err error) error {
	var unknown *UnknownHostKeyError
	var changed *HostKeyChangedError
	switch {
	case errors.As(err, &unknown):
		return unknown
	case errors.As(err, &changed):
		return changed
	case strings.Contains(err.Error(), "unable to authenticate"):
		return &AuthError{User: cfg.User, Host: cfg.Host, Method: cfg.Auth, Err: err}
	case ctx.Err() != nil:
		return fmt.Errorf("SSH: handshake with %s did not finish: %w", addr, ctx.Err())
	}
	return fmt.Errorf("SSH: handshake with %s failed: %w", addr, err)
}

// authMethods builds the client's methods; cleanup releases the agent connection.
func authMethods(cfg Config) ([]ssh.AuthMethod, func(), error) {
	none := func() {}
	switch cfg.Auth {
	case AuthPassword:
		pw := cfg.Password
		answer := func(_, _ string, qs []string, _ []bool) ([]string, error) {
			out := make([]string, len(qs))
			for i := range qs {
				out[i] = pw.Reveal()
			}
			return out, nil
		}
		return []ssh.AuthMethod{
			ssh.PasswordCallback(func() (string, error) { return pw.Reveal(), nil }),
			ssh.KeyboardInteractive(answer),
		}, none, nil
	case AuthKey:
		signer, err := loadKey(cfg.KeyFile, cfg.KeyPassphrase.Reveal())
		if err != nil {
			return nil, none, err
		}
		return []ssh.AuthMethod{ssh.PublicKeys(signer)}, none, nil
	default: // AuthAgent
		sock := cfg.AgentSocket
		if sock == "" {
			sock = os.Getenv("SSH_AUTH_SOCK")
		}
		if sock == "" {
			return nil, none, fmt.Errorf("SSH: agent authentication chosen but SSH_AUTH_SOCK is not set; " +
				"start ssh-agent and ssh-add your key, or use a key file")
		}
		conn, err := net.Dial("unix", sock)
		if err != nil {
			return nil, none, fmt.Errorf("SSH: cannot reach the ssh-agent at %s: %w", sock, err)
		}
		ag := agent.NewClient(conn)
		return []ssh.AuthMethod{ssh.PublicKeysCallback(ag.Signers)}, func() { _ = conn.Close() }, nil
	}
}

func loadKey(path, passphrase string) (ssh.Signer, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("SSH: cannot read key file: %w", err)
	}
	signer, err := ssh.ParsePrivateKey(pem)
	var missing *ssh.PassphraseMissingError
	switch {
	case err == nil:
		return signer, nil
	case errors.As(err, &missing) && passphrase == "":
		return nil, fmt.Errorf("SSH: key file %s is encrypted; give its passphrase", path)
	case errors.As(err, &missing):
		signer, err = ssh.ParsePrivateKeyWithPassphrase(pem, []byte(passphrase))
		if err != nil {
			return nil, fmt.Errorf("SSH: cannot decrypt key file %s (wrong passphrase?): %w", path, err)
		}
		return signer, nil
	}
	return nil, fmt.Errorf("SSH: key file %s is not a private key ssh understands: %w", path, err)
}
