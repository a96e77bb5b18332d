package classroom

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"

	"github.com/ucpilot/ucpilot/tui"
)

// session is one trainee's connection: its program, its lab, its record.
type session struct {
	s       *Server
	t       Trainee
	sess    ssh.Session
	ctx     context.Context
	cancel  context.CancelFunc
	program *tea.Program

	lastInput atomic.Int64 // unix nanoseconds of the last key press
	reason    atomic.Pointer[string]

	mu     sync.Mutex // guards lab, closed and the record file
	lab    *Lab
	closed bool
}

// handle serves one SSH session: the instructor's status, or a trainee's
// lab. Everything the session held is freed when it returns.
func (s *Server) handle(sess ssh.Session) {
	_, winCh, ok := sess.Pty()
	if !ok {
		refuse(sess, "this classroom needs a terminal: connect with ssh -t")
		return
	}
	if slices.Contains(s.cfg.Instructors, sess.User()) {
		s.serveInstructor(sess, winCh)
		return
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		refuse(sess, fmt.Sprintf("the classroom is full (%d sessions); try again in a while", s.cfg.MaxSessions))
		return
	}
	ss := &session{s: s, t: TraineeOf(sess.User(), sess.PublicKey()), sess: sess}
	ss.ctx, ss.cancel = context.WithCancel(sess.Context())
	defer ss.cancel()
	ls := &liveSession{end: ss.end, done: make(chan struct{})}
	defer close(ls.done)
	s.mu.Lock()
	if s.isStopping() {
		s.mu.Unlock()
		refuse(sess, "the classroom is closing")
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	s.claim(ss.t.ID(), ls)
	defer s.release(ss.t.ID(), ls)

	ss.lastInput.Store(time.Now().UnixNano())
	rec := ss.updateRecord(func(r *Record) { r.Online = true })
	s.logf("%s connected (%s)", ss.t.ID(), ss.t.Fingerprint)

	m, err := ss.newModel(rec)
	if err != nil {
		refuse(sess, err.Error())
		ss.updateRecord(func(r *Record) { r.Online = false })
		return
	}
	ss.program = tea.NewProgram(m, tea.WithInput(activityReader{ss}), tea.WithOutput(sess),
		tea.WithContext(ss.ctx), tea.WithAltScreen(), tea.WithoutSignalHandler())
	go ss.forwardWindow(winCh)
	go ss.watchIdle()
	_, runErr := ss.program.Run()
	ss.cancel()
	ss.closeLab()
	ss.updateRecord(func(r *Record) {
		r.Online = false
		r.LastActivity = time.Unix(0, ss.lastInput.Load())
	})
	why := "left"
	if r := ss.reason.Load(); r != nil {
		why = *r
		fmt.Fprintf(sess, "\r\nucpilot classroom: %s\r\n", *r)
	} else if runErr != nil && sess.Context().Err() != nil {
		why = "connection lost"
	}
	s.logf("%s disconnected: %s", ss.t.ID(), why)
	_ = sess.Exit(0)
}

func refuse(sess ssh.Session, why string) {
	fmt.Fprintf(sess.Stderr(), "ucpilot classroom: %s\r\n", why)
	_ = sess.Exit(1)
}

// end asks the program to quit, showing reason once the screen is back;
// a program that does not answer is killed a little later.
func (ss *session) end(reason string) {
	ss.reason.CompareAndSwap(nil, &reason)
	if ss.program != nil {
		go ss.program.Send(endMsg{})
	}
	time.AfterFunc(2*time.Second, ss.cancel)
}

func (ss *session) forwardWindow(winCh <-chan ssh.Window) {
	for {
		select {
		case <-ss.ctx.Done():
			return
		case w, ok := <-winCh:
			if !ok {
				return
			}
			ss.program.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		}
	}
}

// watchIdle ends a session with no key press for the idle timeout, and
// keeps the record's last activity current for the instructor.
func (ss *session) watchIdle() {
	idle := ss.s.cfg.IdleTimeout
	every := min(idle/4, 15*time.Second)
	tick := time.NewTicker(every)
	defer tick.Stop()
	saved := ss.lastInput.Load()
	for {
		select {
		case <-ss.ctx.Done():
			return
		case <-tick.C:
		}
		last := ss.lastInput.Load()
		if time.Since(time.Unix(0, last)) > idle {
			ss.end(fmt.Sprintf("closed after %s without a key press; your progress is saved", idle))
			return
		}
		if last != saved {
			saved = last
			ss.updateRecord(func(r *Record) { r.LastActivity = time.Unix(0, last) })
		}
	}
}

// activityReader notes when the trainee last typed.
type activityReader struct{ ss *session }

func (a activityReader) Read(p []byte) (int, error) {
	n, err := a.ss.sess.Read(p)
	if n > 0 {
		a.ss.lastInput.Store(time.Now().UnixNano())
	}
	return n, err
}

// updateRecord changes the trainee's record and saves it.
func (ss *session) updateRecord(change func(*Record)) Record {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	rec, err := ss.s.rec.load(ss.t)
	if err != nil {
		ss.s.logf("%s: %v (starting a new record)", ss.t.ID(), err)
		rec = Record{User: ss.t.User, Fingerprint: ss.t.Fingerprint}
	}
	now := time.Now()
	if rec.FirstSeen.IsZero() {
		rec.FirstSeen = now
	}
	rec.LastActivity = now
	change(&rec)
	if err := ss.s.rec.save(ss.t, rec); err != nil {
		ss.s.logf("%s: saving the record: %v", ss.t.ID(), err)
	}
	return rec
}

// adopt makes l the session's lab; false when the session already ended
// (the caller then closes l).
func (ss *session) adopt(l *Lab) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closed {
		return false
	}
	if ss.lab != nil && ss.lab.Close != nil {
		_ = ss.lab.Close()
	}
	ss.lab = l
	return true
}

func (ss *session) closeLab() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.closed = true
	if ss.lab != nil && ss.lab.Close != nil {
		_ = ss.lab.Close()
	}
	ss.lab = nil
}

// openLab starts the trainee's lab for scenario, rebuilt from the steps
// they completed there, and the TUI on it.
func (ss *session) openLab(scenario string) tea.Msg {
	l, err := ss.s.cfg.Open(ss.ctx, scenario)
	if err != nil {
		return labReadyMsg{err: err}
	}
	if !ss.adopt(l) {
		_ = l.Close()
		return nil
	}
	o := l.Options
	// Nothing a trainee does may reach the server's files or another
	// trainee: no profile, the clipboard only through their terminal.
	o.Profile, o.ProfilePath, o.OnProfileSaved = nil, "", nil
	o.Input, o.Output = nil, ss.sess
	o.Clipboard = &tui.TerminalClipboard{Out: ss.sess, Getenv: environ(ss.sess.Environ()).Getenv}
	o.Renderer = ss.renderer(o.Theme)
	if o.Runner != nil {
		return labReadyMsg{err: fmt.Errorf("classroom: the lab's runner must be Guide.Runner (a bug)")}
	}
	if o.Guide != nil {
		g := *o.Guide
		g.ProgressDir = ss.s.rec.progressDir(ss.t.ID())
		g.ProgressKey = progressKey(scenario)
		g.User = ss.t.User
		j := ss.s.rec.journal(ss.t.ID(), scenario)
		es, err := j.load()
		if err != nil {
			ss.s.logf("%s: %v (the lab starts afresh)", ss.t.ID(), err)
		}
		g.ResumeNote = rebuild(ss.ctx, g.Runner, o.Vars, es).note()
		g.Runner = recording(g.Runner, j, func(err error) { ss.s.logf("%s: %v", ss.t.ID(), err) })
		o.Guide = &g
	}
	ss.updateRecord(func(r *Record) { r.Scenario = scenario })
	ss.s.logf("%s works on %s", ss.t.ID(), scenario)
	return labReadyMsg{model: tui.NewModel(o), scenario: scenario}
}

// renderer draws in the colours the trainee's terminal has, as its TERM
// (and NO_COLOR, when the client sends it) says. The background cannot be
// asked without stealing the trainee's first keys: dark unless --theme
// light.
func (ss *session) renderer(theme string) *lipgloss.Renderer {
	pty, _, _ := ss.sess.Pty()
	env := environ(append(ss.sess.Environ(), "TERM="+pty.Term))
	r := lipgloss.NewRenderer(ss.sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	r.SetHasDarkBackground(theme != "light")
	return r
}

// environ is the environment the client sent (termenv.Environ).
type environ []string

func (e environ) Environ() []string { return e }

func (e environ) Getenv(k string) string {
	for _, kv := range e {
		if v, ok := strings.CutPrefix(kv, k+"="); ok {
			return v
		}
	}
	return ""
}
