package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/engine/verify"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui/components"
)

// RunAccessibleGuide runs the guide as plain line-by-line prompts for
// screen readers (--accessible, ACCESSIBLE=1): no screen drawing, no
// colour, every choice a numbered line answered with Enter. It reads
// o.Input (os.Stdin when nil) and writes o.Output (os.Stdout when nil).
// It uses o.Guide (progress, runner) and o.Checks (verification) as the
// full-screen guide does, and returns nil when the user quits or the
// input ends.
func RunAccessibleGuide(ctx context.Context, o Options) error {
	if o.Base == nil {
		return errors.New("tui: no knowledge base to guide through (Options.Base is nil)")
	}
	if len(o.Base.Topologies) == 0 {
		return errors.New("tui: the knowledge base holds no topology to guide through")
	}
	a := &accessibleGuide{o: o, src: o.Guide, ctx: ctx, out: o.Output, now: time.Now,
		states: map[string]*stepState{}}
	if a.src == nil {
		a.src = &GuideSource{}
	}
	in := o.Input
	if in == nil {
		in = os.Stdin
	}
	a.lines = components.ReadLines(in)
	if o.Output == nil {
		a.out = os.Stdout
	}
	a.user = guideUser(a.src)
	var notice string
	a.store, a.prog, notice = openProgress(a.src)
	a.stale = staleSteps(a.src, a.prog)
	a.say("ucpilot guide, accessible mode. Environment: %s", o.EnvLabel)
	if notice != "" {
		a.say("Note: %s", notice)
	}
	if !a.pickTopology() {
		return ctx.Err()
	}
	return a.loop(ctx)
}

// accessibleGuide is one line-by-line guide session.
type accessibleGuide struct {
	stale  map[string]bool // done before the environment restarted (staleSteps)
	o      Options
	src    *GuideSource
	ctx    context.Context
	lines  <-chan string
	out    io.Writer
	now    func() time.Time
	user   string
	store  *progress.Store
	prog   *progress.Progress
	topo   *knowledge.Topology
	idx    int
	states map[string]*stepState
	cmds   []runnable // the numbered commands last printed
}

func (a *accessibleGuide) say(format string, args ...any) {
	fmt.Fprintf(a.out, format+"\n", args...)
}

// ask prints a question and reads one line; ok is false at the end of
// the input.
func (a *accessibleGuide) ask(question string) (string, bool) {
	fmt.Fprint(a.out, question+" ")
	select {
	case line, ok := <-a.lines:
		if !ok {
			a.say("")
			return "", false
		}
		return strings.TrimSpace(line), true
	case <-a.ctx.Done():
		a.say("")
		return "", false
	}
}

func (a *accessibleGuide) pickTopology() bool {
	def := 1
	a.say("Topologies:")
	for i, t := range a.o.Base.Topologies {
		if t.ID == a.src.Topology {
			def = i + 1
		}
		tp := a.prog.Topologies[t.ID]
		a.say("  %d. %s (%s), %d of %d steps done", i+1, t.Title, t.ID, verify.CountDone(&t, tp), len(t.Steps))
	}
	for {
		ans, ok := a.ask(fmt.Sprintf("Topology number (Enter for %d):", def))
		if !ok {
			return false
		}
		n := def
		if ans != "" {
			v, err := strconv.Atoi(ans)
			if err != nil || v < 1 || v > len(a.o.Base.Topologies) {
				a.say("Please answer a number from 1 to %d.", len(a.o.Base.Topologies))
				continue
			}
			n = v
		}
		a.topo = &a.o.Base.Topologies[n-1]
		a.idx = verify.ResumeIndex(a.topo, a.prog.Topology(a.topo.ID))
		if len(a.topo.Steps) == 0 {
			a.say("This topology has no steps.")
			return false
		}
		return true
	}
}

// actions are the numbered choices after each step.
var accessibleActions = []string{"run a command", "verify", "confirm by hand", "next step", "previous step",
	"list the steps", "reset progress", "quit"}

func (a *accessibleGuide) loop(ctx context.Context) error {
	a.printStep()
	for {
		var menu []string
		for i, act := range accessibleActions {
			menu = append(menu, fmt.Sprintf("%d %s", i+1, act))
		}
		a.say("Choose: %s.", strings.Join(menu, ", "))
		ans, ok := a.ask("Choice:")
		if !ok {
			return ctx.Err()
		}
		switch choice(ans) {
		case "run a command":
			a.run(ctx)
		case "verify":
			a.verify(ctx)
		case "confirm by hand":
			a.confirm()
		case "next step":
			a.move(1)
		case "previous step":
			a.move(-1)
		case "list the steps":
			a.listSteps()
		case "reset progress":
			a.reset()
		case "quit":
			a.say("Progress is kept; the guide resumes at this step next time.")
			return nil
		default:
			a.say("Please answer a number from 1 to %d, or a word such as verify or next.", len(accessibleActions))
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// choice maps an answer (a number, or the start of an action's words) to
// an action.
func choice(ans string) string {
	ans = strings.ToLower(strings.TrimSpace(ans))
	if n, err := strconv.Atoi(ans); err == nil {
		if n >= 1 && n <= len(accessibleActions) {
			return accessibleActions[n-1]
		}
		return ""
	}
	if ans == "" {
		return ""
	}
	for _, act := range accessibleActions {
		if strings.HasPrefix(act, ans) || strings.HasPrefix(strings.TrimPrefix(act, "confirm by "), ans) {
			return act
		}
	}
	return ""
}

func (a *accessibleGuide) step() *knowledge.Step { return &a.topo.Steps[a.idx] }

func (a *accessibleGuide) state() *stepState {
	id := a.step().ID
	if a.states[id] == nil {
		a.states[id] = &stepState{}
	}
	return a.states[id]
}

func (a *accessibleGuide) save() {
	if a.store == nil {
		return
	}
	if err := a.store.Save(a.prog); err != nil {
		a.say("Progress not saved: %s", oneLine(err.Error()))
	}
}

func (a *accessibleGuide) move(delta int) {
	i := a.idx + delta
	if i < 0 || i >= len(a.topo.Steps) {
		a.say("There is no %s step.", map[bool]string{true: "next", false: "previous"}[delta > 0])
		return
	}
	a.idx = i
	a.prog.Topology(a.topo.ID).Current = a.step().ID
	a.save()
	a.printStep()
}

func (a *accessibleGuide) listSteps() {
	tp := a.prog.Topology(a.topo.ID)
	for i, st := range a.topo.Steps {
		state := "to do"
		if _, done := tp.IsDone(st.ID); done && a.stale[st.ID] {
			state = "done before the lab restarted, check it again"
		} else if done {
			state = "done"
		}
		if i == a.idx {
			state += ", current"
		}
		a.say("  %d. %s: %s", i+1, state, st.Title)
	}
}
