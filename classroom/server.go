// Package classroom is `ucpilot serve`: an SSH server (charmbracelet/wish
// over golang.org/x/crypto/ssh) that hands every trainee who connects the
// full TUI on a lab of their own. A trainee is an SSH user name plus the
// key they logged in with; their guided-mode progress lives in the state
// folder and their lab is rebuilt from it when they come back.
//
// Bounds: a maximum of sessions, one session per trainee (a new one takes
// over), an idle timeout, no shell, command, subsystem (sftp, scp) or port
// forwarding, and commands only ever run in the session's own lab.
package classroom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui"
)

// Lab is one trainee's private lab with the TUI options that work on it.
type Lab struct {
	// Options configure the TUI on this lab. Guide.Runner and Checks must
	// reach this lab only; ProfilePath must be "" (no profile is ever
	// written on the server).
	Options  tui.Options
	Topology string
	Close    func() error
}

// Opener starts a fresh lab of a scenario.
type Opener func(ctx context.Context, scenario string) (*Lab, error)

// Defaults for the bounds.
const (
	DefaultMaxSessions = 30
	DefaultIdleTimeout = 30 * time.Minute
	// stopGrace is how long SIGTERM waits for sessions to save and end.
	stopGrace = 3 * time.Second
)

// Config is what `ucpilot serve` was started with.
type Config struct {
	Listen         string
	StateDir       string
	AuthorizedKeys string   // "" admits any key (passwords are always refused)
	Instructors    []string // SSH users who see the status instead of a lab
	Scenario       string   // "" lets each trainee pick (unless scenarios.yaml names one)
	MaxSessions    int
	IdleTimeout    time.Duration
	Base           *knowledge.Base
	Open           Opener
	Log            io.Writer
	// Ready, when set, hears the address once the server listens.
	Ready func(addr string)
}

// Server is a running classroom.
type Server struct {
	cfg     Config
	rec     records
	srv     *ssh.Server
	slots   chan struct{}
	conns   atomic.Int32
	stopped chan struct{} // closed when shutdown begins

	mu   sync.Mutex
	live map[string]*liveSession // by trainee id
	wg   sync.WaitGroup          // session handlers
}

// liveSession is what a takeover or a shutdown needs of a session.
type liveSession struct {
	end  func(reason string)
	done chan struct{}
}

// Serve runs the classroom until ctx ends, then stops within a few seconds:
// every session is asked to quit (progress is saved as it goes; the
// trainee's record on the way out), and the connections are closed.
func Serve(ctx context.Context, cfg Config) error {
	s, err := newServer(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	s.logf("classroom listening on %s (state %s, at most %d sessions)", ln.Addr(), cfg.StateDir, cfg.MaxSessions)
	if cfg.Ready != nil {
		cfg.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	select {
	case err := <-errc:
		s.srv.Close()
		return err
	case <-ctx.Done():
	}
	s.logf("stopping: saving progress and closing sessions")
	ln.Close()
	s.stop()
	s.srv.Close()
	waitTimeout(&s.wg, time.Second) // handlers save their records after the close
	return nil
}

func newServer(cfg Config) (*Server, error) {
	if cfg.StateDir == "" {
		return nil, errors.New("no state folder (--state DIR)")
	}
	if cfg.Open == nil || cfg.Base == nil {
		return nil, errors.New("classroom: no lab opener or knowledge base (a bug)")
	}
	if len(cfg.Instructors) > 0 && cfg.AuthorizedKeys == "" {
		return nil, errors.New("--instructor needs --authorized-keys: without it anyone could log on as the instructor")
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.AuthorizedKeys != "" {
		if _, err := readAuthorizedKeys(cfg.AuthorizedKeys); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("state folder: %w", err)
	}
	s := &Server{cfg: cfg, rec: records{dir: cfg.StateDir}, slots: make(chan struct{}, cfg.MaxSessions),
		stopped: make(chan struct{}), live: map[string]*liveSession{}}
	s.markAllOffline()
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(filepath.Join(cfg.StateDir, "host_ed25519")),
		wish.WithPublicKeyAuth(s.admit),
		// A connection that never opens a session, or a session whose
		// program is stuck, still ends: this backstop is later than the
		// sessions' own idle timeout.
		wish.WithIdleTimeout(cfg.IdleTimeout+time.Minute),
		func(srv *ssh.Server) error {
			// Only an interactive terminal: no command (scp is one), no
			// subsystem (sftp). Port forwarding is refused by leaving its
			// callbacks unset.
			srv.SessionRequestCallback = func(_ ssh.Session, kind string) bool { return kind == "shell" }
			srv.ConnCallback = s.countConn
			srv.Handler = s.handle
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("host key in %s: %w", cfg.StateDir, err)
	}
	s.srv = srv
	return s, nil
}

// admit decides on a public key; without --authorized-keys any key enters
// (the key still names the trainee). The file is read at each login, so
// the instructor can add a trainee without a restart.
func (s *Server) admit(_ ssh.Context, key ssh.PublicKey) bool {
	if s.cfg.AuthorizedKeys == "" {
		return true
	}
	keys, err := readAuthorizedKeys(s.cfg.AuthorizedKeys)
	if err != nil {
		s.logf("authorized keys: %v", err)
		return false
	}
	for _, k := range keys {
		if ssh.KeysEqual(k, key) {
			return true
		}
	}
	return false
}

// countConn refuses connections beyond twice the session limit, so
// clients that never log on cannot exhaust the server.
func (s *Server) countConn(_ ssh.Context, c net.Conn) net.Conn {
	if int(s.conns.Add(1)) > 2*s.cfg.MaxSessions {
		s.conns.Add(-1)
		return nil
	}
	return &countedConn{Conn: c, s: s}
}

type countedConn struct {
	net.Conn
	s    *Server
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.s.conns.Add(-1) })
	return c.Conn.Close()
}

// claim registers a trainee's session, ending an older one of the same
// trainee first (they reconnected before the old connection timed out).
func (s *Server) claim(id string, ls *liveSession) {
	s.mu.Lock()
	old := s.live[id]
	s.live[id] = ls
	s.mu.Unlock()
	if old != nil {
		old.end("you connected again from elsewhere; this session ended")
		select {
		case <-old.done:
		case <-time.After(10 * time.Second):
		}
	}
}

func (s *Server) release(id string, ls *liveSession) {
	s.mu.Lock()
	if s.live[id] == ls {
		delete(s.live, id)
	}
	s.mu.Unlock()
}

// stop asks every session to quit and waits a few seconds for them.
func (s *Server) stop() {
	close(s.stopped)
	s.mu.Lock()
	for _, ls := range s.live {
		ls.end("the classroom is closing; your progress is saved")
	}
	s.mu.Unlock()
	waitTimeout(&s.wg, stopGrace)
}

func (s *Server) isStopping() bool {
	select {
	case <-s.stopped:
		return true
	default:
		return false
	}
}

// markAllOffline clears the online flags a killed server left behind.
func (s *Server) markAllOffline() {
	recs, _, _, err := s.rec.all()
	if err != nil {
		return
	}
	for _, r := range recs {
		if r.Online {
			r.Online = false
			_ = s.rec.save(Trainee{User: r.User, Fingerprint: r.Fingerprint}, r)
		}
	}
}

func (s *Server) logf(format string, a ...any) {
	fmt.Fprintf(s.cfg.Log, time.Now().Format("15:04:05 ")+format+"\n", a...)
}

func waitTimeout(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}
