package classroom

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
)

// serveInstructor shows the classroom's status, refreshed every few
// seconds, to an SSH user named in --instructor.
func (s *Server) serveInstructor(sess ssh.Session, winCh <-chan ssh.Window) {
	s.logf("instructor %s connected", sess.User())
	m := &statusModel{s: s, w: 80, h: 24}
	m.refresh()
	p := tea.NewProgram(m, tea.WithInput(sess), tea.WithOutput(sess), tea.WithContext(sess.Context()),
		tea.WithAltScreen(), tea.WithoutSignalHandler())
	go func() {
		for {
			select {
			case <-sess.Context().Done():
				return
			case <-s.stopped:
				p.Quit()
				return
			case w, ok := <-winCh:
				if !ok {
					return
				}
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	_, _ = p.Run()
	_ = sess.Exit(0)
}

type statusModel struct {
	s    *Server
	text string
	w, h int
}

type refreshMsg struct{}

func refreshLater() tea.Cmd {
	return tea.Tick(2*time.Second, func(time.Time) tea.Msg { return refreshMsg{} })
}

func (m *statusModel) refresh() {
	var b strings.Builder
	rows, bad, err := Status(m.s.cfg.StateDir, m.s.cfg.Base)
	if err != nil {
		fmt.Fprintf(&b, "cannot read the trainees: %v\n", err)
	} else {
		_ = WriteStatus(&b, rows, bad, time.Now())
	}
	m.text = b.String()
}

func (m *statusModel) Init() tea.Cmd { return refreshLater() }

func (m *statusModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case refreshMsg:
		m.refresh()
		return m, refreshLater()
	case tea.KeyMsg:
		switch msg.String() {
		case "q", "esc", "ctrl+c":
			return m, tea.Quit
		case "r":
			m.refresh()
		}
	}
	return m, nil
}

func (m *statusModel) View() string {
	head := fmt.Sprintf("ucpilot classroom: trainees (%s; refreshes itself, r now, q leaves)\n\n", time.Now().Format("15:04:05"))
	return fit(head+m.text, m.w, m.h)
}
