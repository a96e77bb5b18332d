package sshshell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/ucpilot/ucpilot/remote/shell"
)

var _ shell.Shell = (*Shell)(nil)

// DroppedError means the connection ended before the command reported an exit status.
type DroppedError struct {
	Target string
	Err    error
}

func (e *DroppedError) Error() string {
	return fmt.Sprintf("SSH: the connection to %s dropped before the command finished (network break, "+
		"server restart, or sshd killed the session): %v", e.Target, e.Err)
}

func (e *DroppedError) Unwrap() error { return e.Err }

// cancelGrace is how long Run waits, after a cancel, for the server to close the
// session. OpenSSH keeps a session open until its process exits, and a process that
// ignores the kill signal would hold Run; past the grace Run returns and the session is
// left to close in the background (at the latest when the Shell is closed).
const cancelGrace = 200 * time.Millisecond

// syncBuffer is written by the session's copy goroutines and may be read while a
// cancelled session is still draining.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Run runs script through powershell.exe -EncodedCommand in a new session.
func (s *Shell) Run(ctx context.Context, script string) (shell.Result, error) {
	line, err := shell.CommandLine(script)
	if err != nil {
		return shell.Result{}, err
	}
	return s.RunCommand(ctx, line)
}

// RunCommand runs a raw command line (for diagnostics such as `whoami`); Run is the
// normal entry point. Every wait watches ctx and the connection: a connection that
// ended gives a *DroppedError, and a cancel closes the session, sends the remote
// process KILL (OpenSSH honours it unless the session runs a forced command) and,
// with Config.PTY, hangs up its terminal, which ends it on any server.
func (s *Shell) RunCommand(ctx context.Context, line string) (shell.Result, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return shell.Result{}, err
	}
	select {
	case <-s.dead:
		return shell.Result{}, &DroppedError{Target: s.target, Err: s.deadErr}
	default:
	}
	sess, err := s.newSession(ctx)
	if err != nil {
		return shell.Result{}, err
	}
	defer sess.Close()
	out, errb := &syncBuffer{}, &syncBuffer{}
	sess.Stdout, sess.Stderr = out, errb
	if s.pty {
		// A wide terminal keeps PowerShell from wrapping its output.
		if err := sess.RequestPty("dumb", 50, 4000, ssh.TerminalModes{ssh.ECHO: 0}); err != nil {
			return shell.Result{}, s.failed(ctx, "refused a terminal for the command", err)
		}
	}
	if err := sess.Start(line); err != nil {
		return shell.Result{}, s.failed(ctx, "refused to start the command", err)
	}
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case err = <-done:
	case <-s.dead:
		return shell.Result{Stdout: out.String(), Stderr: errb.String(), ExitCode: -1, Duration: time.Since(start)},
			&DroppedError{Target: s.target, Err: s.deadErr}
	case <-ctx.Done():
		_ = sess.Signal(ssh.SIGKILL)
		_ = sess.Close()
		select {
		case <-done:
		case <-s.dead:
		case <-time.After(cancelGrace): // done is buffered: the waiter exits on its own later
		}
		return shell.Result{Stdout: out.String(), Stderr: errb.String(), ExitCode: -1, Duration: time.Since(start)},
			fmt.Errorf("SSH: command on %s cut off (its session was closed and the process told to stop): %w", s.target, ctx.Err())
	}
	res := shell.Result{Stdout: out.String(), Stderr: errb.String(), Duration: time.Since(start)}
	var exit *ssh.ExitError
	var missing *ssh.ExitMissingError
	switch {
	case err == nil:
		return res, nil
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitStatus()
		return res, nil
	case errors.As(err, &missing), errors.Is(err, io.EOF):
		res.ExitCode = -1
		s.settle(ctx)
		return res, &DroppedError{Target: s.target, Err: err}
	}
	res.ExitCode = -1
	return res, fmt.Errorf("SSH: command on %s failed: %w", s.target, err)
}

// newSession opens a session channel. x/crypto/ssh's NewSession has no context and
// waits for the server's answer; on a connection that died without a word it would
// wait forever, so the wait also ends when ctx does or the connection is seen gone.
func (s *Shell) newSession(ctx context.Context) (*ssh.Session, error) {
	type opened struct {
		sess *ssh.Session
		err  error
	}
	ch := make(chan opened, 1)
	go func() {
		se, err := s.client.NewSession()
		ch <- opened{se, err}
	}()
	release := func() {
		// The open may still succeed later: close what it brings.
		go func() {
			if o := <-ch; o.sess != nil {
				_ = o.sess.Close()
			}
		}()
	}
	select {
	case o := <-ch:
		var refused *ssh.OpenChannelError
		if errors.As(o.err, &refused) {
			return nil, fmt.Errorf("SSH: %s refused a session for the command: %w", s.target, o.err)
		}
		if o.err != nil {
			// The connection is ending: wait until it has, so the next
			// command sees it gone instead of opening a channel on a dying
			// connection (which x/crypto/ssh can leave waiting forever).
			s.settle(ctx)
			return nil, &DroppedError{Target: s.target, Err: o.err}
		}
		return o.sess, nil
	case <-s.dead:
		release()
		return nil, &DroppedError{Target: s.target, Err: s.deadErr}
	case <-ctx.Done():
		release()
		return nil, fmt.Errorf("SSH: %s opened no session for the command before it was stopped (is the connection alive?): %w",
			s.target, ctx.Err())
	}
}

// settle waits, briefly, for a connection that looks gone to be seen gone (see
// newSession). A channel can also end without an exit status on a live connection, so
// the wait is bounded.
func (s *Shell) settle(ctx context.Context) {
	select {
	case <-s.dead:
	case <-ctx.Done():
	case <-time.After(cancelGrace):
	}
}

// failed names a failure to set up a session; on a connection that ended, it is the
// dropped connection that is reported.
func (s *Shell) failed(ctx context.Context, what string, err error) error {
	select {
	case <-s.dead:
		return &DroppedError{Target: s.target, Err: s.deadErr}
	default:
	}
	if errors.Is(err, io.EOF) {
		s.settle(ctx)
		return &DroppedError{Target: s.target, Err: err}
	}
	return fmt.Errorf("SSH: %s %s: %w", s.target, what, err)
}

// Target implements shell.Shell.
func (s *Shell) Target() string { return s.target }

// Close closes the connection (and the jump connection).
func (s *Shell) Close() error {
	err := s.client.Close()
	if s.jump != nil {
		if jerr := s.jump.Close(); err == nil {
			err = jerr
		}
	}
	return err
}
