package tui

import (
	"context"
	"errors"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/remote/shell"
)

// Asker carries questions from code that runs off the UI goroutine (a
// command runner logging on to a server) to the person at the TUI, and the
// answers back. Bubble Tea owns the terminal, so nothing else may read it:
// the runner's goroutine blocks in Password or YesNo while the root model
// shows the question (a masked field for a password) and replies when the
// user presses enter or esc.
//
// Create it with NewAsker, pass it in Options.Asker, and Close it when the
// TUI has ended: a question still waiting then fails instead of hanging.
type Asker struct {
	reqs    chan *askRequest
	notices chan string
	done    chan struct{}
	once    sync.Once
}

// askKind is what a question wants back.
type askKind int

const (
	askPassword askKind = iota + 1 // a secret, typed into a masked field
	askYesNo                       // "yes" to agree; anything else is no
)

type askRequest struct {
	kind  askKind
	title string   // the box title ("Log on", "Unknown SSH host key")
	label string   // the question itself
	lines []string // details shown above the field (a fingerprint, a note)
	reply chan askReply
}

type askReply struct {
	secret shell.Secret
	yes    bool
	err    error
}

// ErrAskCancelled is returned when the user pressed esc on a question.
var ErrAskCancelled = errors.New("cancelled by the user")

// errAskClosed is returned once the TUI has ended.
var errAskClosed = errors.New("the terminal UI has ended, nobody can answer")

// NewAsker returns an Asker with nobody listening yet.
func NewAsker() *Asker {
	return &Asker{reqs: make(chan *askRequest), notices: make(chan string, 16), done: make(chan struct{})}
}

// Close ends the Asker: questions waiting or asked later fail at once.
func (a *Asker) Close() { a.once.Do(func() { close(a.done) }) }

// Password asks for a secret in a masked field. label says for what
// ("Password for CONTOSO\admin@exch01.contoso.com (ssh)"); notes are shown
// under it. The typed text never appears on screen, in the status line or
// in an error.
func (a *Asker) Password(ctx context.Context, label string, notes ...string) (shell.Secret, error) {
	r, err := a.ask(ctx, &askRequest{kind: askPassword, title: "Log on", label: label, lines: notes})
	return r.secret, err
}

// YesNo asks a question the user answers by typing yes; details are shown
// above it (a host key's fingerprint).
func (a *Asker) YesNo(ctx context.Context, title, question string, details ...string) (bool, error) {
	r, err := a.ask(ctx, &askRequest{kind: askYesNo, title: title, label: question, lines: details})
	return r.yes, err
}

// Notify puts msg in the status line. It never blocks: when the UI is
// busy with a question and earlier notices fill the queue, msg is dropped.
func (a *Asker) Notify(msg string) {
	select {
	case a.notices <- msg:
	default:
	}
}

func (a *Asker) ask(ctx context.Context, r *askRequest) (askReply, error) {
	r.reply = make(chan askReply, 1)
	select {
	case a.reqs <- r:
	case <-a.done:
		return askReply{}, errAskClosed
	case <-ctx.Done():
		return askReply{}, ctx.Err()
	}
	select {
	case rep := <-r.reply:
		return rep, rep.err
	case <-a.done:
		return askReply{}, errAskClosed
	case <-ctx.Done():
		return askReply{}, ctx.Err()
	}
}

// Messages the root model gets from the Asker.
type (
	askMsg    struct{ req *askRequest }
	noticeMsg struct{ text string }
)

// listen waits for the next question or notice. The root re-arms it after
// each notice, and after each question once it is answered, so one
// question is on screen at a time; the others wait in the channel.
func (a *Asker) listen() tea.Cmd {
	if a == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case r := <-a.reqs:
			return askMsg{req: r}
		case n := <-a.notices:
			return noticeMsg{text: n}
		case <-a.done:
			return nil
		}
	}
}
