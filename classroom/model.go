package classroom

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/internal/safetext"
	"github.com/ucpilot/ucpilot/remote/lab"
)

// Messages of a trainee's session.
type (
	// labReadyMsg: the lab is up (model set) or could not start (err).
	labReadyMsg struct {
		model    tea.Model
		scenario string
		err      error
	}
	// endMsg: the server ends the session (idle, takeover, shutdown).
	endMsg struct{}
)

type phase int

const (
	picking phase = iota
	starting
	running
)

// sessionModel is the whole program of a trainee's session: a scenario
// picker, then the TUI on their lab (the same root model `ucpilot` runs).
type sessionModel struct {
	ss        *session
	scenarios []lab.ScenarioInfo
	cursor    int
	phase     phase
	scenario  string
	notice    string
	inner     tea.Model
	w, h      int
}

// newModel starts on the picker, or straight on the lab when the
// instructor assigned a scenario (scenarios.yaml, then --scenario).
func (ss *session) newModel(rec Record) (*sessionModel, error) {
	m := &sessionModel{ss: ss, scenarios: lab.List(), w: 80, h: 24}
	fixed, err := assignedScenario(ss.s.cfg.StateDir, ss.t.User)
	if err != nil {
		ss.s.logf("%v", err)
	}
	if fixed == "" {
		fixed = ss.s.cfg.Scenario
	}
	for i, sc := range m.scenarios {
		if sc.Name == rec.Scenario {
			m.cursor = i
		}
	}
	if fixed != "" {
		if m.index(fixed) < 0 {
			m.notice = fmt.Sprintf("the scenario assigned to you (%s) does not exist; pick one", safetext.Line(fixed, 40))
		} else {
			m.phase, m.scenario = starting, fixed
		}
	}
	return m, nil
}

func (m *sessionModel) index(name string) int {
	for i, sc := range m.scenarios {
		if sc.Name == name {
			return i
		}
	}
	return -1
}

func (m *sessionModel) Init() tea.Cmd {
	if m.phase == starting {
		return m.start(m.scenario)
	}
	return nil
}

func (m *sessionModel) start(name string) tea.Cmd {
	m.phase, m.scenario = starting, name
	return func() tea.Msg { return m.ss.openLab(name) }
}

func (m *sessionModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case endMsg:
		return m, tea.Quit
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case labReadyMsg:
		if msg.err != nil {
			m.phase, m.notice = picking, "the lab did not start: "+safetext.Line(msg.err.Error(), 200)
			return m, nil
		}
		m.phase, m.inner = running, msg.model
		init := m.inner.Init()
		var size tea.Cmd
		m.inner, size = m.inner.Update(tea.WindowSizeMsg{Width: m.w, Height: m.h})
		return m, tea.Batch(init, size)
	}
	switch m.phase {
	case running:
		var cmd tea.Cmd
		m.inner, cmd = m.inner.Update(msg)
		return m, cmd
	case picking:
		if k, ok := msg.(tea.KeyMsg); ok {
			return m, m.pickKey(k)
		}
	case starting:
		if k, ok := msg.(tea.KeyMsg); ok && k.String() == "ctrl+c" {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m *sessionModel) pickKey(k tea.KeyMsg) tea.Cmd {
	switch k.String() {
	case "up", "k":
		m.cursor = max(m.cursor-1, 0)
	case "down", "j":
		m.cursor = min(m.cursor+1, len(m.scenarios)-1)
	case "home", "g":
		m.cursor = 0
	case "end", "G":
		m.cursor = len(m.scenarios) - 1
	case "enter":
		if len(m.scenarios) > 0 {
			return m.start(m.scenarios[m.cursor].Name)
		}
	case "q", "esc", "ctrl+c":
		return tea.Quit
	}
	return nil
}

func (m *sessionModel) View() string {
	switch m.phase {
	case running:
		return m.inner.View()
	case starting:
		return fit(fmt.Sprintf("ucpilot classroom\n\nStarting your lab: %s …\n(progress you made on it before is replayed first)", m.scenario), m.w, m.h)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ucpilot classroom: welcome, %s\n", safetext.Line(m.ss.t.User, 40))
	b.WriteString("Pick a lab scenario (↑/↓, enter starts it, q leaves).\n")
	if m.notice != "" {
		b.WriteString("! " + m.notice + "\n")
	}
	b.WriteString("\n")
	head := strings.Count(b.String(), "\n")
	rows := max(m.h-head-2, 1)
	first := 0
	if m.cursor >= rows {
		first = m.cursor - rows + 1
	}
	nameW := 0
	for _, sc := range m.scenarios {
		nameW = max(nameW, len(sc.Name))
	}
	for i := first; i < len(m.scenarios) && i < first+rows; i++ {
		sc := m.scenarios[i]
		mark := "  "
		if i == m.cursor {
			mark = "> "
		}
		fmt.Fprintf(&b, "%s%-*s  %-9s  %s\n", mark, nameW, sc.Name, sc.Topology, sc.Title)
	}
	b.WriteString("\nYour progress is kept per scenario: pick one again to resume it.")
	return fit(b.String(), m.w, m.h)
}

// fit cuts text to the terminal so nothing wraps or scrolls.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "…")
	}
	return strings.Join(lines, "\n")
}
