// Package transcript keeps an append-only record of every command ucpilot
// ran on a server (time, target, command, exit status, an output excerpt,
// the checks re-run afterwards) as JSON lines in the user's state
// directory, with secrets redacted before anything reaches the disk, and
// exports it as Markdown for a change ticket.
package transcript

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ucpilot/ucpilot/internal/safetext"
)

// Entry kinds.
const (
	KindCommand = "command" // a command ran
	KindRecheck = "recheck" // checks re-run after the previous command
)

// Entry is one line of the transcript.
type Entry struct {
	Time     time.Time `json:"time"`
	Kind     string    `json:"kind"`
	Target   string    `json:"target"`
	Command  string    `json:"command,omitempty"`
	ExitCode int       `json:"exit_code"`
	Error    string    `json:"error,omitempty"`
	Output   string    `json:"output,omitempty"`
	Checks   []string  `json:"checks,omitempty"` // "ps.exchange.vdir-oauth: pass"
	// CutOff is true when the run was cancelled (or timed out) before the
	// command finished: its session was closed and the remote process
	// ended, so the command may have done only part of its work.
	CutOff bool `json:"cut_off,omitempty"`
}

// clean makes every text field safe to show: secrets redacted, control
// characters shown visibly, invalid UTF-8 replaced (see safetext).
func (e *Entry) clean(red *Redactor) {
	e.Target = safetext.Line(red.Redact(e.Target), safetext.MaxLine)
	e.Command = safetext.String(red.Redact(e.Command), 0)
	e.Error = safetext.String(red.Redact(e.Error), safetext.MaxValue)
	e.Output = safetext.String(red.Redact(e.Output), 0)
	for i := range e.Checks {
		e.Checks[i] = safetext.Line(red.Redact(e.Checks[i]), safetext.MaxLine)
	}
}

// EnvPath overrides the transcript location (tests, or a shared folder).
const EnvPath = "UCPILOT_TRANSCRIPT"

// DefaultPath is $UCPILOT_TRANSCRIPT, else $XDG_STATE_HOME/ucpilot/transcript.jsonl,
// else <user config dir>/ucpilot/transcript.jsonl.
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		return p, nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "ucpilot", "transcript.jsonl"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding a directory for the transcript: %w (set %s)", err, EnvPath)
	}
	return filepath.Join(d, "ucpilot", "transcript.jsonl"), nil
}

// Log appends entries to one transcript file.
type Log struct {
	path string
	red  *Redactor
	mu   sync.Mutex
	now  func() time.Time
}

// Open returns the transcript at path (created on the first Append).
// red may be nil, which still removes the credential patterns.
func Open(path string, red *Redactor) *Log {
	return &Log{path: path, red: red, now: time.Now}
}

// Path is where the transcript is written.
func (l *Log) Path() string { return l.path }

// ExcerptLines is how many lines of output are kept from each end.
const ExcerptLines = 40

// Excerpt keeps the first and last n lines of out, marking the cut.
func Excerpt(out string, n int) string {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(out, "\r\n", "\n"), "\n"), "\n")
	if len(lines) <= 2*n {
		return strings.Join(lines, "\n")
	}
	cut := fmt.Sprintf("… %d lines left out …", len(lines)-2*n)
	return strings.Join(append(append(append([]string{}, lines[:n]...), cut), lines[len(lines)-n:]...), "\n")
}

// Append redacts e and writes it as one line. The file and its directory
// are created private (0600 / 0700); an existing file with wider
// permissions is narrowed.
func (l *Log) Append(e Entry) error {
	if e.Time.IsZero() {
		e.Time = l.now()
	}
	e.Time = e.Time.UTC()
	e.Output = Excerpt(e.Output, ExcerptLines)
	e.Checks = append([]string(nil), e.Checks...)
	e.clean(l.red)
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	_ = f.Chmod(0o600)
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("transcript: writing %s: %w", l.path, err)
	}
	return f.Close()
}

// Entries reads the whole transcript; a missing file is an empty one. A
// line that does not parse is reported with its number.
func (l *Log) Entries() ([]Entry, error) {
	f, err := os.Open(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("transcript: %w", err)
	}
	defer f.Close()
	return ReadEntries(f, l.path)
}

// ReadEntries parses JSON lines; name labels errors.
func ReadEntries(r interface{ Read([]byte) (int, error) }, name string) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var e Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return out, fmt.Errorf("transcript %s, line %d: not a transcript entry: %w", name, n, err)
		}
		// A file written by an older version (or by hand) is cleaned as it
		// is read, so what it shows is as safe as what Append writes.
		e.clean(nil)
		out = append(out, e)
	}
	return out, sc.Err()
}

func jsonLine(e Entry) ([]byte, error) {
	b, err := json.Marshal(e)
	return append(b, '\n'), err
}
