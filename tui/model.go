package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui/components"
	"github.com/ucpilot/ucpilot/tui/profileform"
)

// model is the root: it owns the screens, routes messages, keeps the
// navigation stack and draws the header, status line and footer.
type model struct {
	c       *Common
	screens map[screenID]Component
	browse  *browse // kept typed: openTopologyMsg needs SelectTopology
	stack   []screenID
	help    help.Model

	width, height int
	status        string
	statusErr     bool
	statusSeq     int
	// expire schedules the clearing of status seq; tests swap it to
	// observe it without sleeping.
	expire func(seq int) tea.Cmd
}

// NewModel builds the root model. Run uses it; tests drive it directly.
func NewModel(o Options) tea.Model { return newModel(o, resolveOutput(o, false)) }

func newModel(o Options, out outputTarget) *model {
	base := o.Base
	if base == nil {
		// Run refuses a nil base; a test or a caller of NewModel gets the
		// embedded one, or an empty one if even that fails to load.
		if b, err := knowledge.Load(); err == nil {
			base = b
		} else {
			base = &knowledge.Base{}
		}
	}
	styles := NewStyles(newRenderer(o, out))
	cb := o.Clipboard
	if cb == nil {
		cb = defaultClipboard(out)
	}
	c := &Common{Base: base, Vars: o.Vars, EnvLabel: o.EnvLabel, ReadOnly: o.ReadOnly,
		Styles: styles, Keys: DefaultKeyMap(), Clipboard: cb, Profile: o.Profile}
	o = wireRunners(c, o)
	m := &model{c: c, stack: []screenID{screenHome}, help: help.New(), expire: expireStatus}
	m.help.Styles = help.Styles{
		ShortKey: styles.HelpKey, ShortDesc: styles.HelpDesc, ShortSeparator: styles.HelpSep,
		FullKey: styles.HelpKey, FullDesc: styles.HelpDesc, FullSeparator: styles.HelpSep,
		Ellipsis: styles.HelpSep,
	}
	m.browse = newBrowse(c)
	m.screens = map[screenID]Component{
		screenTroubleshoot: newTroubleshoot(c),
		screenBrowse:       m.browse,
		screenIdentifiers:  newIdentifiers(c),
		screenHelp:         newHelpScreen(c),
	}
	addOptionalScreens(m.screens, c, o)
	addGuideScreen(m.screens, c, o)
	m.screens[screenHome] = newHome(c, m.screens)
	for id, s := range m.screens {
		if h, ok := s.(commandHost); ok {
			c.runs.hosts[id] = h
		}
	}
	m.syncKeys()
	return m
}

// Init starts listening for the runner's questions.
func (m *model) Init() tea.Cmd { return m.c.runs.listen() }

func (m *model) current() screenID { return m.stack[len(m.stack)-1] }
func (m *model) active() Component { return m.screens[m.current()] }
func (m *model) tooSmall() bool    { return m.width < minWidth || m.height < minHeight }
func (m *model) bodyHeight() int   { return max(m.height-3, 1) }
func (m *model) troubleshoot() *troubleshoot {
	return m.screens[screenTroubleshoot].(*troubleshoot)
}

// Update routes by message type, so a late result (a search answer, a copy
// outcome) reaches its screen even when the user has moved on.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.KeyMsg:
		if m.c.runs.active() && !key.Matches(msg, m.c.Keys.ForceQuit) {
			cmd = m.c.runs.handleKey(msg) // a question has every key
			break
		}
		cmd = m.handleKey(msg)
	case askMsg:
		cmd = m.c.runs.handleAsk(msg)
	case noticeMsg:
		m.c.runs.listening = false
		cmd = tea.Batch(m.setStatus(msg.text, false), m.c.runs.listen())
	case commandRanMsg:
		cmd = m.c.runs.finish(msg)
	case recheckMsg:
		if ch, ok := m.screens[screenChecks].(*checks); ok {
			cmd = ch.recheck(msg)
		}
	case navigateMsg:
		cmd = m.navigate(msg.to)
	case openTopologyMsg:
		m.browse.SelectTopology(msg.id)
		cmd = m.navigate(screenBrowse)
	case searchResultMsg:
		cmd = m.screens[screenTroubleshoot].Update(msg)
	case checkPlanMsg, checkResultMsg, checkDoneMsg, checkSpinMsg:
		cmd = m.screens[screenChecks].Update(msg) // late results still reach the run
	case profileform.SavedMsg:
		cmd = m.screens[screenProfile].Update(msg)
		m.resize(m.width, m.height) // re-render every command with the new names
	case guideMsg:
		if g, ok := m.screens[screenGuide]; ok {
			cmd = g.Update(msg) // a verification or command finishing in the background
		}
	case openPitfallsMsg:
		cmd = tea.Batch(m.navigate(screenTroubleshoot), m.troubleshoot().showEntries(msg.query, msg.hits))
	case backMsg:
		m.back()
	case copiedMsg:
		cmd = m.handleCopied(msg)
	case statusMsg:
		cmd = m.setStatus(msg.text, msg.isError)
	case clearStatusMsg:
		if msg.seq == m.statusSeq {
			m.status = ""
		}
	default:
		cmd = m.active().Update(msg)
	}
	m.syncKeys()
	return m, cmd
}

func (m *model) resize(w, h int) {
	m.width, m.height = w, h
	m.help.Width = w
	for _, s := range m.screens {
		s.SetSize(w, m.bodyHeight())
	}
}

// handleKey: ctrl+c always quits; while a text field has the keys, the
// screen gets every other key (so "q" types a q); otherwise the global keys
// come first.
func (m *model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	if key.Matches(msg, k.ForceQuit) {
		return tea.Quit
	}
	if m.active().Capturing() {
		return m.active().Update(msg)
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
		return m.handleRunes(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		if m.current() == screenHelp {
			m.back()
			return nil
		}
		return m.navigate(screenHelp)
	case key.Matches(msg, k.Search):
		if m.current() != screenTroubleshoot {
			// From elsewhere "/" starts a new search: a pasted error line
			// must not be glued to the last query. On Troubleshoot itself
			// it only returns to the field, to refine what is there.
			m.troubleshoot().clearQuery()
		}
		return m.navigate(screenTroubleshoot)
	case key.Matches(msg, k.Browse):
		return m.navigate(screenBrowse)
	case key.Matches(msg, k.Identifiers):
		return m.navigate(screenIdentifiers)
	case key.Matches(msg, k.Checks):
		return m.navigate(screenChecks)
	case key.Matches(msg, k.Profile):
		return m.navigate(screenProfile)
	case key.Matches(msg, k.Guide):
		return m.navigate(screenGuide)
	case key.Matches(msg, k.Back):
		m.back()
		return nil
	}
	if m.tooSmall() {
		return nil // the screen is not drawn; its keys would act blind
	}
	return m.active().Update(msg)
}

// handleRunes takes apart several runes that arrived in one read. Bubble
// Tea v1 delivers fast typing (or keys sent by tmux) as one message, and
// "/Ex" must still open the search and type "Ex" into it. A paste is text
// for the search field wherever it lands: pasting an error line is how an
// on-call engineer starts.
func (m *model) handleRunes(msg tea.KeyMsg) tea.Cmd {
	if msg.Paste {
		return tea.Batch(m.navigate(screenTroubleshoot), m.active().Update(msg))
	}
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		if m.active().Capturing() {
			// The rest is text for the field: one update, one search.
			rest := msg
			rest.Runes = msg.Runes[i:]
			return tea.Batch(append(cmds, m.active().Update(rest))...)
		}
		one := msg
		one.Runes = []rune{r}
		cmds = append(cmds, m.handleKey(one))
		m.syncKeys()
	}
	return tea.Batch(cmds...)
}

// navigate opens a screen. A screen already on the stack is returned to
// (the stack is cut above it), so esc always leads back towards Home.
func (m *model) navigate(to screenID) tea.Cmd {
	for i, id := range m.stack {
		if id == to {
			m.stack = m.stack[:i+1]
			return m.active().Activate()
		}
	}
	m.stack = append(m.stack, to)
	return m.active().Activate()
}

func (m *model) back() {
	if len(m.stack) > 1 {
		m.stack = m.stack[:len(m.stack)-1]
	}
}

// syncKeys switches every binding off, then on again where it does
// something now: the footer and key.Matches both follow.
func (m *model) syncKeys() {
	k := m.c.Keys
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	enable(&k.ForceQuit)
	if m.c.runs.active() {
		return // the question box has the keys
	}
	if !m.active().Capturing() {
		enable(&k.Quit, &k.Help, &k.Search)
		if m.current() != screenBrowse {
			enable(&k.Browse)
		}
		if m.current() != screenIdentifiers {
			enable(&k.Identifiers)
		}
		if _, ok := m.screens[screenChecks]; ok && m.current() != screenChecks {
			enable(&k.Checks)
		}
		// In the Guide, p is "previous step".
		if _, ok := m.screens[screenProfile]; ok && m.current() != screenProfile && m.current() != screenGuide {
			enable(&k.Profile)
		}
		if _, ok := m.screens[screenGuide]; ok && m.current() != screenGuide {
			enable(&k.Guide)
		}
		if len(m.stack) > 1 {
			enable(&k.Back)
		}
	}
	m.active().EnableKeys()
}

func (m *model) handleCopied(msg copiedMsg) tea.Cmd {
	if msg.err != nil {
		return m.setStatus("copy failed, select the command with the mouse instead: "+msg.err.Error(), true)
	}
	// Say where the text went first (the status bar cuts the command, not
	// the claim); the status line starts with "✓ ".
	head := msg.how + ": "
	room := max(m.width-3-ansi.StringWidth(head), 10)
	text := strings.Join(strings.Fields(msg.text), " ")
	return m.setStatus(head+ansi.Truncate(text, room, ellipsis), false)
}

func (m *model) setStatus(text string, isError bool) tea.Cmd {
	m.statusSeq++
	m.status, m.statusErr = m.c.runs.redact(text), isError
	return m.expire(m.statusSeq)
}

func expireStatus(seq int) tea.Cmd {
	return tea.Tick(statusExpiry*time.Second, func(time.Time) tea.Msg { return clearStatusMsg{seq} })
}

func (m *model) View() string {
	if m.width == 0 {
		return "" // no size yet: the first WindowSizeMsg follows at once
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	status := m.statusView()
	body := m.bodyView()
	if extra := strings.Count(status, "\n"); extra > 0 {
		// A long status takes a second line from the body's bottom.
		lines := strings.Split(body, "\n")
		body = strings.Join(lines[:max(len(lines)-extra, 0)], "\n")
	}
	parts := []string{
		m.headerView(),
		body,
		status,
		components.FitLine(m.help.ShortHelpView(m.footerBindings()), m.width),
	}
	return components.TrimRightLines(strings.Join(parts, "\n"))
}

// bodyView is the active screen, with the question box (when one is
// open) over its bottom lines.
func (m *model) bodyView() string {
	h := m.bodyHeight()
	box := m.c.runs.lines(m.width)
	if len(box) == 0 {
		return components.FitBlock(m.active().View(), m.width, h)
	}
	if len(box) > h {
		box = box[len(box)-h:] // the field and the question matter most
	}
	body := components.FitBlock(m.active().View(), m.width, h-len(box))
	if h == len(box) {
		return components.FitBlock(strings.Join(box, "\n"), m.width, h)
	}
	return body + "\n" + components.FitBlock(strings.Join(box, "\n"), m.width, len(box))
}

func (m *model) headerView() string {
	s := m.c.Styles
	left := s.Header.Render(" ucpilot · " + m.active().Title())
	right := ""
	if m.c.ReadOnly {
		right = s.HeaderMeta.Render("read-only ")
	}
	gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	return components.FitLine(left+strings.Repeat(" ", max(gap, 1))+right, m.width)
}

// statusView shows the last status, or the environment the commands are
// rendered for, which is worth seeing on every screen. Text longer than
// the width wraps to a second line rather than lose its end (the part
// that says what to do); only beyond that is it cut.
func (m *model) statusView() string {
	s := m.c.Styles
	text, style := " "+m.c.EnvLabel, s.Faint
	switch {
	case m.status != "" && m.statusErr:
		text, style = " ! "+m.status, s.StatusError
	case m.status != "":
		text, style = " ✓ "+m.status, s.StatusOK
	}
	lines := strings.Split(ansi.Wrap(text, max(m.width-3, 10), ""), "\n")
	if len(lines) > statusMaxLines {
		lines = lines[:statusMaxLines]
		lines[statusMaxLines-1] += ellipsis
	}
	for i, ln := range lines {
		if i > 0 {
			ln = "   " + strings.TrimLeft(ln, " ")
		}
		lines[i] = components.FitLine(style.Render(ln), m.width)
	}
	return strings.Join(lines, "\n")
}

// statusMaxLines bounds the status bar: the body gives up the rest.
const statusMaxLines = 2

// footerBindings: the focused screen's keys, then the global ones (only
// those enabled now are drawn).
func (m *model) footerBindings() []key.Binding {
	k := m.c.Keys
	if m.c.runs.active() {
		quit := k.ForceQuit
		quit.SetHelp(quit.Help().Key, "quit")
		return []key.Binding{quit}
	}
	out := append(m.active().ShortHelp(), bindings(&k.Search, &k.Back, &k.Help)...)
	if m.active().Capturing() {
		quit := k.ForceQuit // the full help says more; the footer has no room
		quit.SetHelp(quit.Help().Key, "quit")
		return append(out, quit)
	}
	return append(out, k.Quit)
}

func (m *model) tooSmallView() string {
	msg := fmt.Sprintf("The terminal is %dx%d; ucpilot needs at least %dx%d. "+
		"Enlarge the window (or make the font smaller). q or ctrl+c quits.",
		m.width, m.height, minWidth, minHeight)
	return components.TrimRightLines(components.FitBlock(m.c.Styles.Notice.Render(ansi.Wrap(msg, max(m.width, 10), "")), m.width, m.height))
}
