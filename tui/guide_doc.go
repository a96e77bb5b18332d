package tui

import (
	"fmt"
	"strings"

	"github.com/ucpilot/ucpilot/engine/verify"
	"github.com/ucpilot/ucpilot/knowledge"
)

// maxOutputLines bounds a command's output in the step; the rest is in the
// transcript.
const maxOutputLines = 15

// stepDocument lays out the current step: where it stands, what and why,
// the commands, the verification with its results, the pitfalls of a
// failure and the last command's output. Every command is numbered; runs
// keeps, for each number, what x runs.
func (g *guide) stepDocument() entryDoc {
	t, st, i := g.topo, g.step(), g.idx
	ss := g.state(st.ID)
	return func(w *docWriter) {
		g.runs = g.runs[:0]
		for k := range g.anchor {
			delete(g.anchor, k)
		}
		w.title(st.Title)
		meta := fmt.Sprintf("step %d of %d · %s", i+1, len(t.Steps), t.ID)
		if st.Optional {
			meta += " · optional"
		}
		w.faint(meta)
		w.field("Status", g.statusLine(st, ss))
		w.field("Where", whereToRun(st))
		w.section("What")
		w.para(st.What)
		w.section("Why")
		w.para(st.Why)
		if len(st.Prereqs) > 0 {
			w.section("Before you start")
			w.bullets(st.Prereqs)
		}
		if len(st.Commands) > 0 {
			w.section("Commands")
			for _, c := range st.Commands {
				g.runnableCommand(w, c, st.Shell, st.Side)
			}
			w.faint(g.runHint())
		}
		g.verifySection(w, st, ss)
		g.resultsSection(w, st, ss)
		g.lastRunSection(w, ss)
	}
}

// runnableCommand writes a numbered command and remembers what x runs for
// its number.
func (g *guide) runnableCommand(w *docWriter, c knowledge.Command, shell knowledge.Shell, side string) {
	w.command(c, shell)
	g.runs = append(g.runs, runnable{cmd: c, shell: shell, side: side})
}

func (g *guide) runHint() string {
	if r := g.src.Runner; r != nil {
		where := r.Label
		if where == "" {
			where = "its server"
		}
		return "x runs the command marked > on " + where + " (1-9 selects and copies); a command that changes something asks first."
	}
	return "Copy a command (c, or 1-9) and run it yourself: this session does not run commands."
}

func (g *guide) statusLine(st *knowledge.Step, ss *stepState) string {
	if d, ok := g.topoProgress().IsDone(st.ID); ok && g.stale[st.ID] {
		return fmt.Sprintf("↺ done before the lab restarted (%s): it may be undone now; v checks it again", d.When.Local().Format("2006-01-02 15:04"))
	} else if ok {
		return fmt.Sprintf("✓ done %s, %s", d.When.Local().Format("2006-01-02 15:04"), d.Verified())
	}
	switch ss.verdict {
	case verify.Running:
		return "checking…"
	case verify.Failed:
		return "✗ verification failed: see the pitfalls below"
	}
	return "· to do: run the commands, then verify (v)"
}

func (g *guide) verifySection(w *docWriter, st *knowledge.Step, ss *stepState) {
	w.section("Verify")
	w.para(st.Verify.Text)
	for _, c := range st.Verify.Commands {
		g.runnableCommand(w, c, st.Shell, st.Side)
	}
	if ok, why := autoVerifiable(st, g.checks); ok {
		w.faint("v runs the checks " + strings.Join(st.Verify.Checks, ", ") + "; the step is done when every one passes.")
	} else {
		w.faint("Cannot be verified automatically (" + why + "). Check it yourself as Verify says, then press m to confirm.")
	}
}

func (g *guide) resultsSection(w *docWriter, st *knowledge.Step, ss *stepState) {
	if ss.verdict == verify.None && ss.planErr == nil {
		return
	}
	w.section("Verification")
	g.anchor["verify"] = len(w.lines) - 1
	if ss.planErr != nil {
		w.add(w.c.Styles.StatusError, 0, "The checks could not be planned: "+oneLine(ss.planErr.Error()))
	}
	for _, r := range ss.results {
		line := fmt.Sprintf("%s %-5s %s  %s", statusGlyph(r.Status), r.Status, r.ID, oneLine(r.Summary))
		if !contains(st.Verify.Checks, r.ID) {
			line += "  (needed first)"
		}
		w.add(w.c.Styles.Plain, 0, line)
		if r.Status.Problem() {
			for j, e := range r.Evidence {
				if j == 4 {
					break
				}
				w.add(w.c.Styles.Faint, 4, e.Label+": "+e.Value)
			}
		}
	}
	for _, u := range ss.unavailable {
		w.add(w.c.Styles.Faint, 0, "- not run "+u)
	}
	switch ss.verdict {
	case verify.Running:
		w.faint(fmt.Sprintf("checking… %d results so far", len(ss.results)))
	case verify.Passed:
		w.add(w.c.Styles.StatusOK, 0, "Result: ✓ verified, the step is done. n goes to the next step.")
	case verify.Incomplete:
		w.add(w.c.Styles.Plain, 0, "Result: cannot be verified automatically here. Check it yourself (see Verify), then press m to confirm.")
	case verify.Failed:
		w.add(w.c.Styles.StatusError, 0, "Result: ✗ verification failed. The step is not done.")
		g.pitfallSection(w, ss.pitfalls)
	}
}

// pitfallSection shows the pitfalls that explain a failure, each with its
// fix and numbered commands that x can run.
func (g *guide) pitfallSection(w *docWriter, ids []string) {
	if len(ids) == 0 {
		return
	}
	w.section("What is probably wrong")
	for _, id := range ids {
		p := g.c.Base.Pitfall(id)
		if p == nil {
			w.faint("pitfall " + id + " (not in this knowledge base)")
			continue
		}
		w.blank()
		w.add(w.c.Styles.Label, 0, p.Title)
		w.field("Cause", p.Cause)
		w.field("Fix", p.Fix)
		for _, c := range p.Commands {
			g.runnableCommand(w, c, g.step().Shell, g.step().Side)
		}
	}
	w.faint("Apply the fix (x runs the command marked >), then press v to verify again.")
}

func (g *guide) lastRunSection(w *docWriter, ss *stepState) {
	switch {
	case ss.running:
		writeRanCommand(w, "Command", true, nil)
	case ss.last != nil:
		writeRanCommand(w, "Last command", false, ss.last)
	default:
		return
	}
	g.anchor["run"] = w.anchor
}
