// Package termwrap fits headless text to the terminal it is printed on:
// each long line wraps at the terminal's width, continuing under the
// column it belongs to (a table's title, a check's summary). Output that
// is not a terminal (a pipe, a file, a monitoring system) is left as it
// is, and so is any machine format: callers wrap text reports only.
package termwrap

import (
	"bytes"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"
)

// ForTerminal returns w wrapped at the terminal's width when w is a
// terminal, else w itself; flush writes what is left and must be called.
func ForTerminal(w io.Writer) (out io.Writer, flush func() error) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return w, func() error { return nil }
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width < 20 {
		return w, func() error { return nil }
	}
	tw := New(w, width)
	return tw, tw.Flush
}

// Writer wraps each line written through it at a width.
type Writer struct {
	w     io.Writer
	width int
	buf   []byte
}

// New wraps lines written to w at width cells.
func New(w io.Writer, width int) *Writer { return &Writer{w: w, width: width} }

// Write wraps the complete lines of p and keeps a partial last line for
// the next write (or Flush).
func (t *Writer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	for {
		i := bytes.IndexByte(t.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(t.buf[:i])
		t.buf = t.buf[i+1:]
		if _, err := io.WriteString(t.w, strings.Join(Line(line, t.width), "\n")+"\n"); err != nil {
			return len(p), err
		}
	}
}

// Flush writes a partial last line.
func (t *Writer) Flush() error {
	if len(t.buf) == 0 {
		return nil
	}
	line := string(t.buf)
	t.buf = nil
	_, err := io.WriteString(t.w, strings.Join(Line(line, t.width), "\n"))
	return err
}

// Line wraps one line at width, continuing under its hanging column.
func Line(line string, width int) []string {
	if width < 20 || ansi.StringWidth(line) <= width {
		return []string{line}
	}
	indent := hangingIndent(ansi.Strip(line), width)
	first := strings.Split(ansi.Wrap(line, width, ""), "\n")
	out := []string{strings.TrimRight(first[0], " ")}
	rest := strings.TrimSpace(strings.Join(first[1:], " "))
	pad := strings.Repeat(" ", indent)
	for _, ln := range strings.Split(ansi.Wrap(rest, width-indent, ""), "\n") {
		out = append(out, pad+strings.TrimRight(ln, " "))
	}
	return out
}

// hangingIndent is where continuation lines start: the last column of
// the line (text after two or more spaces) that begins in its first two
// thirds, else its own indentation and two more.
func hangingIndent(s string, width int) int {
	best := -1
	for i := 2; i < len(s) && i <= width*2/3; i++ {
		if s[i] != ' ' && s[i-1] == ' ' && s[i-2] == ' ' {
			best = ansi.StringWidth(s[:i])
		}
	}
	if best > 0 {
		return best
	}
	lead := len(s) - len(strings.TrimLeft(s, " "))
	return min(lead+2, width/2)
}
