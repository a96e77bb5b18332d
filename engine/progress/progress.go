// Package progress keeps how far a user got in a guided procedure, per
// environment (a profile path, or "lab:<scenario>"): for each topology the
// steps done, when, and what proved them (the checks and their statuses, or
// a person's explicit confirmation), and the step the user was on.
//
// Files are written atomically (a temp file in the same directory, fsync,
// rename), so a kill at any moment leaves either the old file or the new
// one. A file that does not parse, or that a newer ucpilot wrote, is moved
// aside and reported; it never stops the caller.
package progress

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Version is the file format this package writes. A file with a higher
// version is set aside rather than misread.
const Version = 1

// CheckStatus is one check that ran to verify a step, and its outcome.
type CheckStatus struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// StepDone records a step that was verified.
type StepDone struct {
	Step string    `json:"step"`
	When time.Time `json:"when"`
	// Checks proved the step (every one passed), or …
	Checks []CheckStatus `json:"checks,omitempty"`
	// … ConfirmedBy names the person who confirmed a step no check can
	// prove.
	ConfirmedBy string `json:"confirmed_by,omitempty"`
}

// Verified says in words what proved the step.
func (d StepDone) Verified() string {
	if d.ConfirmedBy != "" {
		return "confirmed by " + d.ConfirmedBy + " manually"
	}
	parts := make([]string, 0, len(d.Checks))
	for _, c := range d.Checks {
		parts = append(parts, c.ID+" "+c.Status)
	}
	return strings.Join(parts, ", ")
}

// Topology is the progress through one topology's procedure.
type Topology struct {
	Current string     `json:"current,omitempty"` // id of the step the user was on
	Done    []StepDone `json:"done,omitempty"`    // in the order they were done
}

// IsDone returns the record of step id, if it is done.
func (t *Topology) IsDone(id string) (StepDone, bool) {
	if t == nil {
		return StepDone{}, false
	}
	for _, d := range t.Done {
		if d.Step == id {
			return d, true
		}
	}
	return StepDone{}, false
}

// MarkDone records d, replacing an earlier record of the same step.
func (t *Topology) MarkDone(d StepDone) {
	t.Undo(d.Step)
	t.Done = append(t.Done, d)
}

// Undo forgets that step id was done (its verification failed since).
func (t *Topology) Undo(id string) {
	kept := t.Done[:0]
	for _, d := range t.Done {
		if d.Step != id {
			kept = append(kept, d)
		}
	}
	t.Done = kept
}

// Progress is everything stored for one environment.
type Progress struct {
	Version    int                  `json:"version"`
	Key        string               `json:"key"`
	Updated    time.Time            `json:"updated"`
	Topologies map[string]*Topology `json:"topologies"`
}

// New returns empty progress for key.
func New(key string) *Progress {
	return &Progress{Version: Version, Key: key, Topologies: map[string]*Topology{}}
}

// Topology returns the progress of topology id, creating it if needed.
func (p *Progress) Topology(id string) *Topology {
	if p.Topologies == nil {
		p.Topologies = map[string]*Topology{}
	}
	t := p.Topologies[id]
	if t == nil {
		t = &Topology{}
		p.Topologies[id] = t
	}
	return t
}

// Clone returns a deep copy (a save can then run while the UI goes on).
func (p *Progress) Clone() *Progress {
	out := *p
	out.Topologies = make(map[string]*Topology, len(p.Topologies))
	for id, t := range p.Topologies {
		c := &Topology{Current: t.Current, Done: make([]StepDone, len(t.Done))}
		for i, d := range t.Done {
			d.Checks = append([]CheckStatus(nil), d.Checks...)
			c.Done[i] = d
		}
		out.Topologies[id] = c
	}
	return &out
}

// Errors Load reports with the file it set aside; test with errors.Is.
var (
	ErrCorrupt = errors.New("progress file is corrupt")
	ErrNewer   = errors.New("progress file was written by a newer ucpilot")
)

// SetAsideError says a progress file could not be used and where it went.
// Load still returns usable (empty) progress with it.
type SetAsideError struct {
	Path    string // the file that was read
	MovedTo string // where it is now ("" if the move failed too)
	Reason  error  // ErrCorrupt or ErrNewer, wrapped with the detail
	MoveErr error  // why it could not be moved, if it could not
}

func (e *SetAsideError) Error() string {
	what := fmt.Sprintf("progress %s: %v", e.Path, e.Reason)
	if e.MoveErr != nil {
		return what + fmt.Sprintf("; it could not be moved aside (%v), so the next save replaces it", e.MoveErr)
	}
	return what + "; moved it to " + filepath.Base(e.MovedTo) + " and started afresh"
}

func (e *SetAsideError) Unwrap() error { return e.Reason }

// DefaultDir is where progress lives: $XDG_STATE_HOME/ucpilot/progress,
// ~/.local/state/ucpilot/progress on other Unix systems, and the user
// config directory's ucpilot/progress on Windows and macOS.
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "ucpilot", "progress"), nil
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, ".local", "state", "ucpilot", "progress"), nil
		}
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no place for progress files: %w (set XDG_STATE_HOME)", err)
	}
	return filepath.Join(d, "ucpilot", "progress"), nil
}

// FileName turns a key into a safe file name: the readable part keeps
// letters, digits, '.', '-' and '_', and a short hash of the whole key
// keeps two keys that read alike (/a/b and /a_b) apart.
func FileName(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := strings.Trim(b.String(), "._")
	if len(name) > 60 {
		name = name[len(name)-60:] // the end of a path names the file
	}
	sum := sha256.Sum256([]byte(key))
	if name == "" {
		name = "progress"
	}
	return name + "-" + hex.EncodeToString(sum[:4]) + ".json"
}
