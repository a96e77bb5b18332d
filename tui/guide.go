package tui

import (
	"context"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/engine/verify"
	"github.com/ucpilot/ucpilot/knowledge"
)

// guideMode is what the Guide screen shows.
type guideMode int

const (
	guidePick     guideMode = iota // choose a topology
	guideStep                      // one step, full detail
	guideOverview                  // every step of the topology with its state
)

// promptKind is the question the text field at the bottom asks.
type promptKind int

const (
	promptNone   promptKind = iota
	promptRun               // confirm a changing command
	promptManual            // confirm a step no check can prove
	promptReset             // confirm forgetting the progress
)

// stepState is what this session learned about one step.
type stepState struct {
	verdict     verify.Verdict
	results     []engine.Result // in arrival order, dependencies included
	unavailable []string        // step checks that cannot run here, with the reason
	planErr     error
	pitfalls    []string // after a failed verification
	running     bool     // a command of the step is running
	last        *ranCommand
}

// ranCommand is the last command run from a step and how it ended.
type ranCommand struct {
	pending PendingCommand
	out     CommandOutcome
	err     error
}

// runnable is what x runs for a numbered command of the step document.
type runnable struct {
	cmd   knowledge.Command
	shell knowledge.Shell
	side  string
	with  *knowledge.Vars // the values to fill it with; nil = the session's
}

// guide walks a topology one step at a time: what to do and why, the
// commands with the environment's values, and a verification by the
// checks. A step is done when its checks pass, or, for a step no check can
// prove, when the user confirms it explicitly. Progress is kept per
// environment and resumed on the next visit.
type guide struct {
	c      *Common
	src    *GuideSource
	checks *CheckSource // nil: no automatic verification in this session
	store  *progress.Store
	prog   *progress.Progress
	notice string // one line about progress trouble (a corrupt file set aside)
	// stale are the steps saved as done before the environment restarted
	// (a lab starts from its scenario): shown as such until checked again.
	stale map[string]bool
	user  string
	now   func() time.Time

	mode   guideMode
	topos  listView
	steps  listView // the overview
	topo   *knowledge.Topology
	idx    int
	detail detailPane
	runs   []runnable     // parallel to detail.copies
	anchor map[string]int // document line of a section to scroll to
	states map[string]*stepState

	prompt  promptKind
	retry   string // why the last answer to the prompt was not taken
	pending PendingCommand
	input   textinput.Model

	verifySeq int
	cancel    context.CancelFunc
	results   <-chan engine.Result // of the verification under way

	width, height int
}

// guideMsg marks the guide's messages so the root routes them here even
// when another screen is showing (a verification finishes in the
// background).
type guideMsg interface{ isGuideMsg() }

type (
	guideVerifyPlanMsg struct {
		seq         int
		step        string
		results     <-chan engine.Result
		unavailable []string
		err         error
	}
	guideVerifyResultMsg struct {
		seq  int
		step string
		res  engine.Result
	}
	guideVerifyDoneMsg struct {
		seq  int
		step string
	}
	guideRanMsg struct {
		step    string
		pending PendingCommand
		out     CommandOutcome
		err     error
	}
)

func (guideVerifyPlanMsg) isGuideMsg()   {}
func (guideVerifyResultMsg) isGuideMsg() {}
func (guideVerifyDoneMsg) isGuideMsg()   {}
func (guideRanMsg) isGuideMsg()          {}

// addGuideScreen registers the Guide when the caller configured it, and
// unbinds its keys otherwise so help never lists them.
func addGuideScreen(screens map[screenID]Component, c *Common, o Options) {
	if o.Guide == nil {
		k := c.Keys
		for _, b := range k.guideBindings() {
			b.Unbind()
		}
		k.Guide.Unbind()
		return
	}
	// x either runs or says how to run by hand; help lists the one that
	// applies.
	if r := o.Guide.Runner; r != nil && r.Prepare != nil && r.Run != nil {
		c.Keys.GuideRunOff.Unbind()
	} else {
		c.Keys.GuideRun.Unbind()
	}
	screens[screenGuide] = newGuide(c, o.Guide, o.Checks)
}

func newGuide(c *Common, src *GuideSource, checks *CheckSource) *guide {
	g := &guide{c: c, src: src, checks: checks, user: guideUser(src), now: time.Now,
		detail: newDetailPane(c), states: map[string]*stepState{}, anchor: map[string]int{}}
	g.store, g.prog, g.notice = openProgress(src)
	g.stale = staleSteps(src, g.prog)
	in := textinput.New()
	in.Prompt = "> "
	in.PromptStyle = c.Styles.PaneFocused
	in.TextStyle = c.Styles.Plain
	in.Cursor.Style = c.Styles.Selected
	in.Cursor.SetMode(cursor.CursorStatic)
	in.CharLimit = 64
	g.input = in
	g.fillTopologies()
	for i, t := range c.Base.Topologies {
		if t.ID == src.Topology {
			g.topos.Select(i)
		}
	}
	return g
}

// fillTopologies lists the topologies with how far each one got.
func (g *guide) fillTopologies() {
	items := make([]listItem, 0, len(g.c.Base.Topologies))
	for _, t := range g.c.Base.Topologies {
		tp := g.prog.Topologies[t.ID]
		text := fmt.Sprintf("%s  (%d of %d steps done)", t.Title, verify.CountDone(&t, tp), len(t.Steps))
		items = append(items, listItem{Badge: t.ID, BadgeStyle: g.c.Styles.Faint, Text: text})
	}
	g.topos.SetItems(items)
}

func (g *guide) Title() string {
	if g.topo != nil && g.mode != guidePick {
		return "Guide · " + g.topo.ID
	}
	return "Guide"
}

func (g *guide) Capturing() bool   { return g.prompt != promptNone }
func (g *guide) Activate() tea.Cmd { return nil }

// state returns the session state of step id.
func (g *guide) state(id string) *stepState {
	s := g.states[id]
	if s == nil {
		s = &stepState{}
		g.states[id] = s
	}
	return s
}

func (g *guide) step() *knowledge.Step {
	if g.topo == nil || g.idx >= len(g.topo.Steps) {
		return nil
	}
	return &g.topo.Steps[g.idx]
}

func (g *guide) topoProgress() *progress.Topology { return g.prog.Topology(g.topo.ID) }

// openTopology starts the walk through t where the last visit stopped.
func (g *guide) openTopology(t *knowledge.Topology) {
	g.topo = t
	g.idx = verify.ResumeIndex(t, g.topoProgress())
	g.setMode(guideStep)
	g.refreshSteps()
	g.showStep(true)
}

// goTo opens step i and remembers it as the current step.
func (g *guide) goTo(i int) tea.Cmd {
	if g.topo == nil || i < 0 || i >= len(g.topo.Steps) {
		return nil
	}
	g.idx = i
	g.setMode(guideStep)
	g.topoProgress().Current = g.topo.Steps[i].ID
	g.refreshSteps()
	g.showStep(true)
	return g.save()
}

// save writes the progress; a failure is shown, never fatal.
func (g *guide) save() tea.Cmd {
	if g.store == nil {
		return nil
	}
	if err := g.store.Save(g.prog); err != nil {
		g.notice = oneLine(err.Error())
		return statusCmd("progress not saved: "+oneLine(err.Error()), true)
	}
	return nil
}

func (g *guide) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case guideVerifyPlanMsg:
		return g.handleVerifyPlan(msg)
	case guideVerifyResultMsg:
		return g.handleVerifyResult(msg)
	case guideVerifyDoneMsg:
		return g.handleVerifyDone(msg)
	case guideRanMsg:
		return g.handleRan(msg)
	case tea.KeyMsg:
		if g.prompt != promptNone {
			return g.handlePromptKey(msg)
		}
		switch g.mode {
		case guidePick:
			return g.handlePickKey(msg)
		case guideOverview:
			return g.handleOverviewKey(msg)
		}
		return g.handleStepKey(msg)
	}
	return nil
}

func (g *guide) handlePickKey(msg tea.KeyMsg) tea.Cmd {
	k := g.c.Keys
	switch {
	case key.Matches(msg, k.Select):
		if i := g.topos.Cursor(); i < len(g.c.Base.Topologies) {
			g.openTopology(&g.c.Base.Topologies[i])
		}
	default:
		moveList(&g.topos, msg, k)
	}
	return nil
}

func (g *guide) handleOverviewKey(msg tea.KeyMsg) tea.Cmd {
	k := g.c.Keys
	switch {
	case key.Matches(msg, k.Select):
		return g.goTo(g.steps.Cursor())
	case key.Matches(msg, k.GuideOverview):
		g.setMode(guideStep)
	case key.Matches(msg, k.GuideTopologies):
		g.toPicker()
	case key.Matches(msg, k.GuideReset):
		g.ask(promptReset)
	default:
		moveList(&g.steps, msg, k)
	}
	return nil
}

func (g *guide) handleStepKey(msg tea.KeyMsg) tea.Cmd {
	k := g.c.Keys
	switch {
	case key.Matches(msg, k.GuideNext):
		if g.idx+1 >= len(g.topo.Steps) {
			return statusCmd("this is the last step; o shows every step and what is left", false)
		}
		return g.goTo(g.idx + 1)
	case key.Matches(msg, k.GuidePrev):
		if g.idx == 0 {
			return statusCmd("this is the first step", false)
		}
		return g.goTo(g.idx - 1)
	case key.Matches(msg, k.GuideRun), key.Matches(msg, k.GuideRunOff):
		return g.runSelected()
	case key.Matches(msg, k.GuideVerify):
		return g.verify()
	case key.Matches(msg, k.GuideConfirm):
		return g.confirmManually()
	case key.Matches(msg, k.GuideOverview):
		g.setMode(guideOverview)
		g.steps.Select(g.idx)
	case key.Matches(msg, k.GuideTopologies):
		g.toPicker()
	case key.Matches(msg, k.GuideReset):
		g.ask(promptReset)
	case g.detail.handleScroll(msg):
	default:
		cmd, _ := g.detail.handleCopy(msg)
		return cmd
	}
	return nil
}

func (g *guide) toPicker() {
	g.fillTopologies()
	g.setMode(guidePick)
}

// setMode switches the view; the overview list is a column beside the
// step on wide screens and the whole body on its own, so sizes change.
func (g *guide) setMode(m guideMode) {
	g.mode = m
	g.layout()
}

// moveList moves a list's cursor for the navigation keys; it reports
// whether msg was one of them.
func moveList(l *listView, msg tea.KeyMsg, k *KeyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		l.Move(-1)
	case key.Matches(msg, k.Down):
		l.Move(1)
	case key.Matches(msg, k.PageUp):
		l.Move(-l.height)
	case key.Matches(msg, k.PageDown):
		l.Move(l.height)
	case key.Matches(msg, k.Top):
		l.Select(0)
	case key.Matches(msg, k.Bottom):
		l.Select(l.Len() - 1)
	default:
		return false
	}
	return true
}
