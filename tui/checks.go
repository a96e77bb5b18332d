package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/tui/fleet"
)

// CheckSource is what the Checks screen runs. Plan is called for every run
// (R) and every single re-run (r), off the UI goroutine, with the profile
// the session has at that moment (nil when none exists yet; a profile
// saved in the form is used from the next run on). The lab ignores p and
// plans its own scenario.
type CheckSource struct {
	// Label names what is checked ("profile contoso.com", "lab scenario
	// healthy"); empty means the plan's profile label.
	Label string
	// Plan builds the checks; ctx ends when the user cancels the run.
	Plan func(ctx context.Context, p *profile.Profile) (*engine.Plan, error)
	// RunOptions bound each run (per-check and overall time limits).
	RunOptions engine.RunOptions
	// Manual leaves the first run to the user (R) instead of starting it
	// when the screen first opens.
	Manual bool
}

// Messages of a run. Each carries the id of the run it belongs to; the
// screen drops those of a run it has replaced, so a late result of a
// cancelled run never overwrites a newer one.
type (
	// checkPlanMsg: the plan is made and the engine started (or planning
	// failed).
	checkPlanMsg struct {
		run     int
		plan    *engine.Plan
		results <-chan engine.Result
		only    string // the check a single re-run is for
		err     error
	}
	// checkResultMsg carries one finished check.
	checkResultMsg struct {
		run int
		res engine.Result
	}
	// checkDoneMsg: the engine closed the channel, every check reported.
	checkDoneMsg struct{ run int }
	// checkSpinMsg wraps the spinner's tick so it is routed here even
	// when another screen is showing, and so each run has one tick chain.
	checkSpinMsg struct {
		run  int
		tick spinner.TickMsg
	}
)

// checkRow is one check in the list: what was planned and, once it
// finished, its result.
type checkRow struct {
	check   engine.Check
	res     *engine.Result
	running bool
}

// checks is the Checks screen: the live list of checks, the selected
// check's evidence and its fix.
type checks struct {
	c        *Common
	src      *CheckSource
	plan     *engine.Plan // of the last full run: what was left out and why
	rows     []checkRow   // grouped for display
	cursor   int
	offset   int
	focus    pane // paneChecks, paneEvidence or paneFix
	evidence detailPane
	fix      detailPane
	spin     spinner.Model

	run        int // id of the current (or last) run
	cancel     context.CancelFunc
	results    <-chan engine.Result
	running    bool
	cancelling bool
	only       string // set while a single re-run is under way
	planErr    error
	started    time.Time
	elapsed    time.Duration
	ranOnce    bool
	moved      bool             // the user moved the cursor during this run
	now        func() time.Time // swapped by tests
	out        runOutput        // the last fix command run with x
	grid       *fleet.Model     // the servers × settings of a fleet check, open with g

	width, height int
}

// The checks screen's panes, left to right.
const (
	paneChecks pane = iota
	paneEvidence
	paneFix
)

func newChecks(c *Common, src *CheckSource) *checks {
	// ASCII frames that no status glyph uses ("-" is skipped, so the Line
	// spinner would read as a verdict), and that every console font has.
	frames := spinner.Spinner{Frames: []string{".", "o", "O", "o"}, FPS: time.Second / 6}
	sp := spinner.New(spinner.WithSpinner(frames), spinner.WithStyle(c.Styles.Faint))
	ch := &checks{c: c, src: src, evidence: newDetailPane(c), fix: newDetailPane(c), spin: sp, now: time.Now}
	ch.showSelected()
	return ch
}

// addOptionalScreens registers the screens that need something from the
// caller, and unbinds the keys of those left out so help never lists a
// key that does nothing.
func addOptionalScreens(screens map[screenID]Component, c *Common, o Options) {
	k := c.Keys
	if o.Checks != nil && o.Checks.Plan != nil {
		screens[screenChecks] = newChecks(c, o.Checks)
	} else {
		k.Checks.Unbind()
		k.Rerun.Unbind()
		k.RerunAll.Unbind()
		k.CancelRun.Unbind()
		k.NextFailure.Unbind()
	}
	if o.ProfilePath != "" {
		screens[screenProfile] = newProfileForm(c, o.ProfilePath, o.Accessible, o.OnProfileSaved)
	} else {
		k.Profile.Unbind()
	}
}

func (ch *checks) Title() string   { return "Checks" }
func (ch *checks) Capturing() bool { return ch.grid != nil } // the grid takes every key (/ filters)

// Activate starts the first run the first time the screen opens; after
// that the results stay until the user asks for a new run.
func (ch *checks) Activate() tea.Cmd {
	if ch.ranOnce || ch.running || ch.src.Manual {
		return nil
	}
	return ch.start("")
}

func (ch *checks) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case checkPlanMsg:
		return ch.handlePlan(msg)
	case checkResultMsg:
		return ch.handleResult(msg)
	case checkDoneMsg:
		ch.handleDone(msg)
	case checkSpinMsg:
		return ch.handleSpin(msg)
	case tea.KeyMsg:
		return ch.handleKey(msg)
	}
	return nil
}

// start begins a run of every check (only == "") or of one check and the
// checks it depends on. A run under way is cancelled first: its late
// messages carry the old id and are dropped.
func (ch *checks) start(only string) tea.Cmd {
	if only == "" {
		return ch.startSet(nil)
	}
	return ch.startSet([]string{only})
}

// startSet runs the checks ids and what they depend on; nil runs every
// check.
func (ch *checks) startSet(ids []string) tea.Cmd {
	if ch.cancel != nil {
		ch.cancel()
	}
	ch.run++
	ctx, cancel := context.WithCancel(context.Background())
	ch.cancel = cancel
	only := strings.Join(ids, ",")
	ch.running, ch.cancelling, ch.ranOnce = true, false, true
	ch.only, ch.planErr, ch.results = only, nil, nil
	ch.started, ch.moved = ch.now(), false
	for i := range ch.rows {
		if only == "" || contains(ids, ch.rows[i].check.Spec.ID) {
			ch.rows[i].running = true
		}
	}
	ch.showSelected()
	// The closure gets copies: it runs on another goroutine and never
	// reads the model.
	src, p, run := ch.src, ch.c.Profile, ch.run
	plan := func() tea.Msg {
		pl, err := src.Plan(ctx, p)
		if err == nil && only != "" {
			pl, err = planSubset(pl, ids)
		}
		if err != nil {
			return checkPlanMsg{run: run, only: only, err: err}
		}
		return checkPlanMsg{run: run, plan: pl, only: only, results: engine.Run(ctx, pl, src.RunOptions)}
	}
	return tea.Batch(plan, ch.wrapSpin(ch.spin.Tick))
}

// planSubset narrows a plan to ids and what they wait for (Plan.Subset);
// an error says when nothing asked for is planned any more.
func planSubset(p *engine.Plan, ids []string) (*engine.Plan, error) {
	out := p.Subset(ids)
	switch {
	case len(ids) == 1 && len(out.Checks) == 0:
		return nil, fmt.Errorf("check %s is no longer planned (the profile or its topology changed?); R runs every check", ids[0])
	case len(out.Checks) == 0:
		return nil, fmt.Errorf("none of the checks %s is planned here; R runs every check", strings.Join(ids, ", "))
	}
	return out, nil
}

// waitResult reads the run's next result; the screen re-arms it.
func (ch *checks) waitResult() tea.Cmd {
	run := ch.run
	return nextResult(ch.results, func(res engine.Result) tea.Msg { return checkResultMsg{run: run, res: res} }, checkDoneMsg{run: run})
}

func (ch *checks) handlePlan(msg checkPlanMsg) tea.Cmd {
	if msg.run != ch.run {
		return nil
	}
	if msg.err != nil {
		ch.finishRun()
		if ch.cancelling {
			return statusCmd("run cancelled before the checks started", false)
		}
		ch.planErr = msg.err
		return statusCmd("could not plan the checks: "+msg.err.Error(), true)
	}
	if msg.only == "" {
		ch.plan = msg.plan
		ch.setRows(msg.plan.Checks)
	} else {
		ch.markRunning(msg.plan.Checks)
	}
	ch.results = msg.results
	return ch.waitResult()
}

func (ch *checks) handleResult(msg checkResultMsg) tea.Cmd {
	if msg.run != ch.run {
		return nil // a replaced run: its reader stops here
	}
	res := msg.res
	for i := range ch.rows {
		if ch.rows[i].check.Spec.ID == res.ID {
			ch.rows[i].res, ch.rows[i].running = &res, false
		}
	}
	if ch.selectedID() == res.ID {
		ch.showSelected()
	}
	return ch.waitResult()
}

func (ch *checks) handleDone(msg checkDoneMsg) {
	if msg.run != ch.run {
		return
	}
	ch.finishRun()
	if ch.only == "" && !ch.moved {
		ch.selectWorst()
	}
}

// selectWorst puts the cursor on the first failed (or errored, else
// warned) check when a full run ends, so an on-call engineer lands on the
// problem, not on the first green row. A cursor the user moved stays.
func (ch *checks) selectWorst() {
	for _, want := range [][]engine.Status{{engine.StatusFail, engine.StatusError}, {engine.StatusWarn}} {
		for i, r := range ch.rows {
			if r.res != nil && slices.Contains(want, r.res.Status) {
				ch.cursor = i
				ch.scrollList()
				ch.showSelected()
				return
			}
		}
	}
}

// finishRun closes the run; a row still spinning (it cannot, by the
// engine's promise, but a UI must not spin forever) stops.
func (ch *checks) finishRun() {
	ch.elapsed = ch.now().Sub(ch.started)
	ch.running, ch.results = false, nil
	for i := range ch.rows {
		ch.rows[i].running = false
	}
	if ch.cancel != nil {
		ch.cancel()
		ch.cancel = nil
	}
	ch.showSelected()
}

// cancelRun stops the run; the engine reports the unfinished checks as
// skipped ("cancelled") promptly, and those results still arrive.
func (ch *checks) cancelRun() tea.Cmd {
	if !ch.running || ch.cancel == nil {
		return nil
	}
	ch.cancelling = true
	ch.cancel()
	return statusCmd("cancelling the run…", false)
}

func (ch *checks) handleSpin(msg checkSpinMsg) tea.Cmd {
	if msg.run != ch.run || !ch.running {
		return nil // the chain ends with the run
	}
	var cmd tea.Cmd
	ch.spin, cmd = ch.spin.Update(msg.tick)
	return ch.wrapSpin(cmd)
}

// wrapSpin tags a spinner tick with the run it belongs to.
func (ch *checks) wrapSpin(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	run := ch.run
	return func() tea.Msg {
		msg := cmd()
		if t, ok := msg.(spinner.TickMsg); ok {
			return checkSpinMsg{run: run, tick: t}
		}
		return msg
	}
}
