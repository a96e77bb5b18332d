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
// normal entry point.
func (s *Shell) RunCommand(ctx context.Context, line string) (shell.Result, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return shell.Result{}, err
	}
	sess, err := s.client.NewSession()
	if err != nil {
		return shell.Result{}, &DroppedError{Target: s.target, Err: err}
	}
	defer sess.Close()
	out, errb := &syncBuffer{}, &syncBuffer{}
	sess.Stdout, sess.Stderr = out, errb
	if err := sess.Start(line); err != nil {
		return shell.Result{}, fmt.Errorf("SSH: %s refused to start the command: %w", s.target, err)
	}
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = sess.Signal(ssh.SIGKILL)
		_ = sess.Close()
		select {
		case <-done:
		case <-time.After(cancelGrace): // done is buffered: the waiter exits on its own later
		}
		return shell.Result{Stdout: out.String(), Stderr: errb.String(), ExitCode: -1, Duration: time.Since(start)},
			fmt.Errorf("SSH: command on %s stopped: %w", s.target, ctx.Err())
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
		return res, &DroppedError{Target: s.target, Err: err}
	}
	res.ExitCode = -1
	return res, fmt.Errorf("SSH: command on %s failed: %w", s.target, err)
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
