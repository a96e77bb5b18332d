package classroom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui"
)

// maxJournal bounds the commands kept per trainee and scenario (a lab's
// share of the state folder); a command run again right after itself is
// kept once.
const maxJournal = 500

// journalEntry is one command that changed the trainee's lab, kept as the
// knowledge base's template so it fills in the next lab's names and ports.
type journalEntry struct {
	Command knowledge.Command `json:"command"`
	Shell   knowledge.Shell   `json:"shell,omitempty"`
	Side    string            `json:"side,omitempty"`
}

// journal is the list of commands that changed a trainee's lab of one
// scenario, in the order they ran. Replaying it on a fresh lab of the
// same scenario rebuilds the lab the trainee left: the steps they
// completed, and whatever else they changed, hold again.
type journal struct {
	path string
	mu   sync.Mutex
}

func (r records) journal(id, scenario string) *journal {
	return &journal{path: filepath.Join(r.traineeDir(id), "commands-"+progress.FileName(progressKey(scenario)))}
}

func (j *journal) load() ([]journalEntry, error) {
	data, err := readBounded(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var es []journalEntry
	if err := json.Unmarshal(data, &es); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(j.path), err)
	}
	return es, nil
}

func (j *journal) add(e journalEntry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	es, err := j.load()
	if err != nil {
		return err
	}
	if n := len(es); n > 0 && es[n-1] == e {
		return nil
	}
	if len(es) >= maxJournal {
		return fmt.Errorf("more than %d commands changed this lab: later ones are not replayed on a reconnect", maxJournal)
	}
	data, err := json.MarshalIndent(append(es, e), "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return err
	}
	tmp := j.path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, j.path)
}

// journaled wraps a pending command with the request that prepared it.
type journaled struct {
	inner any
	req   tui.CommandRequest
}

// recording wraps r so every command that changes the lab and succeeds
// joins the journal; report hears when one could not be kept.
func recording(r *tui.CommandRunner, j *journal, report func(error)) *tui.CommandRunner {
	if r == nil {
		return nil
	}
	w := *r
	w.Prepare = func(req tui.CommandRequest) (tui.PendingCommand, error) {
		pc, err := r.Prepare(req)
		if err == nil && pc.Changes {
			pc.Handle = journaled{inner: pc.Handle, req: req}
		}
		return pc, err
	}
	w.Run = func(ctx context.Context, pc tui.PendingCommand, confirmation string) (tui.CommandOutcome, error) {
		jr, ok := pc.Handle.(journaled)
		if ok {
			pc.Handle = jr.inner
		}
		out, err := r.Run(ctx, pc, confirmation)
		if ok && err == nil && out.ExitCode == 0 {
			if jerr := j.add(journalEntry{Command: jr.req.Command, Shell: jr.req.Shell, Side: jr.req.Side}); jerr != nil {
				report(jerr)
			}
		}
		return out, err
	}
	return &w
}

// rebuildResult says what replaying a trainee's journal did.
type rebuildResult struct{ commands, failed int }

// rebuild runs the journal again on a fresh lab through the session's own
// runner (so only this trainee's lab is reached), with this lab's names.
// A command that fails now is counted, not fatal: the guide's verify (v)
// shows what holds.
func rebuild(ctx context.Context, runner *tui.CommandRunner, vars knowledge.Vars, es []journalEntry) rebuildResult {
	var res rebuildResult
	if runner == nil {
		return res
	}
	for _, e := range es {
		if ctx.Err() != nil {
			break
		}
		res.commands++
		pc, err := runner.Prepare(tui.CommandRequest{Command: e.Command, Shell: e.Shell, Side: e.Side, Vars: vars})
		if err != nil {
			res.failed++
			continue
		}
		if out, err := runner.Run(ctx, pc, pc.ConfirmWord); err != nil || out.ExitCode != 0 {
			res.failed++
		}
	}
	return res
}

// note is the line the guide shows on resuming.
func (r rebuildResult) note() string {
	if r.commands == 0 {
		return "welcome back: you ran no command on this lab yet, so it starts as the scenario does"
	}
	s := fmt.Sprintf("welcome back: your lab was rebuilt, the %d command(s) that changed it ran again", r.commands)
	if r.failed > 0 {
		s += fmt.Sprintf(" (%d failed)", r.failed)
	}
	return s + "; v verifies a step"
}
