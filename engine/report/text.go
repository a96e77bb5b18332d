// Package report writes a finished check run (engine.Report) for people
// and programs: text for a terminal, Markdown for a ticket, JSON for tools.
// It is the only part of the engine that looks at the terminal.
package report

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/ucpilot/ucpilot/engine"
)

// TextOptions chooses how text output looks.
type TextOptions struct {
	Color bool // ANSI colours (never alone: a glyph and the status word are always there)
	ASCII bool // ASCII glyphs for terminals and fonts without ✓ and ✗
}

// DetectTextOptions picks colour only for a terminal without NO_COLOR or
// TERM=dumb, and ASCII glyphs when the locale is not UTF-8.
func DetectTextOptions(w io.Writer) TextOptions {
	var o TextOptions
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		o.Color = os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	}
	o.ASCII = !utf8Locale()
	return o
}

// utf8Locale reads the locale the POSIX way (LC_ALL, then LC_CTYPE, then
// LANG). With none set, Windows consoles are taken as able to show Unicode
// and anything else as the C locale.
func utf8Locale() bool {
	if os.Getenv("UCPILOT_ASCII") != "" {
		return false
	}
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := os.Getenv(k); v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return runtime.GOOS == "windows"
}

var ansi = map[engine.Status]string{
	engine.StatusPass: "\x1b[32m", engine.StatusWarn: "\x1b[33m", engine.StatusFail: "\x1b[31m",
	engine.StatusError: "\x1b[35m", engine.StatusSkipped: "\x1b[2m",
}

// WriteText writes the report for a person, choosing colour and glyphs
// for w (see DetectTextOptions).
func WriteText(w io.Writer, r engine.Report) error {
	return WriteTextWith(w, r, DetectTextOptions(w))
}

// WriteTextWith writes the report with explicit options.
func WriteTextWith(w io.Writer, r engine.Report, o TextOptions) error {
	tw := &textWriter{w: w, o: o}
	tw.printf("ucpilot check: %s (%s), %d checks in %s\n", r.Profile, r.Topology, len(r.Checks), roundDuration(r.Duration))
	if r.Insecure {
		tw.banner()
	}
	tw.printf("\n")
	idWidth := 0
	for _, c := range r.Checks {
		idWidth = max(idWidth, len(c.ID))
	}
	for _, c := range r.Checks {
		tw.result(c, idWidth)
	}
	s := r.Summary
	tw.printf("\n%d pass, %d warn, %d fail, %d error, %d skipped\n", s.Pass, s.Warn, s.Fail, s.Error, s.Skipped)
	if len(r.NotImplemented) > 0 {
		tw.printf("not run (no implementation yet): %s\n", strings.Join(r.NotImplemented, ", "))
	}
	if r.Insecure {
		tw.banner()
	}
	return tw.err
}

type textWriter struct {
	w   io.Writer
	o   TextOptions
	err error
}

func (t *textWriter) printf(format string, a ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, a...)
	}
}

func (t *textWriter) banner() {
	mark := "!!"
	if t.o.Color {
		t.printf("\x1b[1;41;97m %s %s \x1b[0m\n", mark, engine.InsecureBanner)
		return
	}
	t.printf("%s %s\n", mark, engine.InsecureBanner)
}

func (t *textWriter) result(c engine.Result, idWidth int) {
	status := fmt.Sprintf("%s %-7s", engine.Glyph(c.Status, t.o.ASCII), c.Status)
	if t.o.Color {
		status = ansi[c.Status] + status + "\x1b[0m"
	}
	pad := strings.Repeat(" ", 9+2+idWidth+2)
	// A summary that runs over lines is indented under itself, so no line
	// of it can pose as a row of its own.
	t.printf("%s  %-*s  %s\n", status, idWidth, c.ID, indentLines(c.Summary, pad))
	if len(c.Servers) > 0 {
		t.grid(c, pad)
	}
	if c.Status == engine.StatusPass {
		return
	}
	line := func(label, value string) {
		t.printf("%s%s: %s\n", pad, label, indentLines(value, pad+"  "))
	}
	if c.Target != "" {
		line("target", c.Target)
	}
	for _, e := range c.Evidence {
		line(e.Label, e.Value)
	}
	if len(c.Pitfalls) > 0 {
		line("pitfalls", strings.Join(c.Pitfalls, ", "))
	}
	if c.Fix.Text != "" {
		line("fix", c.Fix.Text)
	}
	for _, cmd := range c.Fix.Commands {
		t.printf("%s  > %s\n", pad, indentLines(cmd.Text, pad+"    "))
	}
	if c.Insecure {
		line("tls", "verification was off for this check")
	}
}

func indentLines(s, pad string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad)
}

// roundDuration keeps durations short: milliseconds under a second,
// tenths above.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}
