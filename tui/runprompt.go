package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/remote/shell"
	"github.com/ucpilot/ucpilot/tui/components"
)

// runFlow is the root's part of running commands: the runner, the one
// command in flight from Troubleshoot, Browse or Checks, and the question
// box at the bottom of the screen (a confirmation word, a password, a
// yes/no about a host key). Questions from the Asker are shown here for
// the Guide's commands too.
type runFlow struct {
	c      *Common
	runner *CommandRunner // nil: the session runs no commands
	asker  *Asker         // nil: no runner asks anything
	redact func(string) string
	hosts  map[screenID]commandHost
	busy   bool // a command run with x is in flight

	input     textinput.Model
	confirm   *pendingRun   // waiting for its confirmation word
	retry     string        // why the last confirmation was not taken
	ask       *askRequest   // the question on screen
	queued    []*askRequest // questions that came while another was shown
	listening bool          // a listen command is waiting on the Asker
}

func newRunFlow(c *Common, o Options) *runFlow {
	in := textinput.New()
	in.Prompt = "> "
	in.PromptStyle = c.Styles.PaneFocused
	in.TextStyle = c.Styles.Plain
	in.Cursor.Style = c.Styles.Selected
	in.Cursor.SetMode(cursor.CursorStatic)
	in.EchoCharacter = '•'
	f := &runFlow{c: c, asker: o.Asker, redact: o.Redact, input: in, hosts: map[screenID]commandHost{}}
	if f.redact == nil {
		f.redact = func(s string) string { return s }
	}
	return f
}

// active reports whether a question has the keys.
func (f *runFlow) active() bool { return f.confirm != nil || f.ask != nil }

// openInput focuses an empty field, masked for a password.
func (f *runFlow) openInput(masked bool) {
	f.input.Reset()
	f.input.EchoMode = textinput.EchoNormal
	f.input.CharLimit = 64
	if masked {
		f.input.EchoMode = textinput.EchoPassword
		f.input.CharLimit = 1024
	}
	f.input.Focus()
}

func (f *runFlow) closeInput() {
	f.input.Reset() // a typed password leaves the field at once
	f.input.Blur()
	f.confirm, f.ask, f.retry = nil, nil, ""
}

// listen arms the Asker's listener unless one is waiting already.
func (f *runFlow) listen() tea.Cmd {
	if f.asker == nil || f.listening {
		return nil
	}
	f.listening = true
	return f.asker.listen()
}

// handleAsk shows a question from the Asker, or queues it behind the one
// on screen.
func (f *runFlow) handleAsk(msg askMsg) tea.Cmd {
	f.listening = false
	if f.active() {
		f.queued = append(f.queued, msg.req)
		return f.listen()
	}
	f.show(msg.req)
	return nil
}

func (f *runFlow) show(r *askRequest) {
	f.ask = r
	f.openInput(r.kind == askPassword)
}

// next shows the next queued question, or listens for one.
func (f *runFlow) next() tea.Cmd {
	if len(f.queued) > 0 {
		r := f.queued[0]
		f.queued = f.queued[1:]
		f.show(r)
		return nil
	}
	return f.listen()
}

// handleKey: enter answers, esc cancels, everything else is typing.
func (f *runFlow) handleKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		return f.answer(false)
	case tea.KeyEnter:
		return f.answer(true)
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return cmd
}

func (f *runFlow) answer(enter bool) tea.Cmd {
	typed := strings.TrimSpace(f.input.Value())
	if f.ask != nil && f.ask.kind == askPassword {
		typed = f.input.Value() // a password is taken exactly as typed
	}
	confirm, ask := f.confirm, f.ask
	if confirm != nil && enter && !strings.EqualFold(typed, confirm.pc.ConfirmWord) {
		// Asked again: closing would hand the next keys to the list below.
		word := confirm.pc.ConfirmWord
		f.retry = "typed " + quoteShort(typed) + ", needed " + word + ": type " + word + " to run it, or esc to cancel"
		f.input.Reset()
		return nil
	}
	f.closeInput()
	if ask != nil {
		return tea.Batch(f.reply(ask, enter, typed), f.next())
	}
	var follow tea.Cmd
	switch {
	case !enter:
		follow = statusCmd("cancelled: the command was not run", false)
	default:
		follow = f.start(*confirm, typed)
	}
	return tea.Batch(follow, f.next())
}

// reply sends the answer to the goroutine waiting for it. The password
// goes only there: it is in no message, status line or frame.
func (f *runFlow) reply(r *askRequest, enter bool, typed string) tea.Cmd {
	var rep askReply
	switch {
	case !enter:
		rep.err = ErrAskCancelled
	case r.kind == askPassword:
		rep.secret = shell.NewSecret(typed)
	default:
		rep.yes = strings.EqualFold(typed, "yes")
	}
	r.reply <- rep // buffered: never blocks
	if !enter {
		return statusCmd("cancelled: "+oneLine(r.label), false)
	}
	return nil
}

// lines draws the question box, nil without a question.
func (f *runFlow) lines(w int) []string {
	if !f.active() || w == 0 {
		return nil
	}
	s := f.c.Styles
	title := "Confirm"
	if f.ask != nil {
		title = f.ask.title
	}
	lines := []string{components.PaneTitle(s, title, "enter answers · esc cancels", w, true)}
	add := func(text string, faint bool) {
		for _, ln := range strings.Split(ansi.Wrap(text, max(w-2, 10), ""), "\n") {
			if faint {
				ln = s.Faint.Render(ln)
			}
			lines = append(lines, " "+ln)
		}
	}
	switch {
	case f.confirm != nil:
		lines = append(lines, confirmLines(s, w, f.confirm.pc)...)
		if f.retry != "" {
			add(s.StatusError.Render("! "+f.retry), false)
		}
	case f.ask.kind == askPassword:
		for _, n := range f.ask.lines {
			add(n, true)
		}
		add(f.ask.label+" (typing is hidden):", false)
	default:
		for _, n := range f.ask.lines {
			add(n, false)
		}
		add(f.ask.label+" Type yes:", false)
	}
	return append(lines, " "+f.input.View())
}

func quoteShort(s string) string {
	if len(s) > 20 {
		s = s[:20] + "…"
	}
	return `"` + s + `"`
}
