package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui/components"
)

// copyable is a numbered thing the user can copy: a rendered command or an
// identifier's value.
type copyable struct {
	Text string
	line int // first line of the entry in the document, to scroll to it
	// run is what x runs for it; nil for what is only copied (an
	// identifier's value, a command with no template to validate).
	run *runnable
}

// docWriter lays out one entry for the detail pane: wrapped paragraphs,
// sections and numbered, copy-ready commands. Wrapping happens here, at the
// pane width, so long URLs break instead of running off the pane.
type docWriter struct {
	c        *Common
	width    int
	selected int // index of the selected copyable, marked with ">"
	lines    []string
	copies   []copyable
	// side is where the entry's cmd commands run (a step's side, or the
	// side a pitfall's steps share); "" when it cannot be told.
	side string
	// anchor is the line of the command output section, -1 without one.
	anchor int
}

func newDocWriter(c *Common, width, selected int) *docWriter {
	return &docWriter{c: c, width: max(width, 10), selected: selected, anchor: -1}
}

func (w *docWriter) String() string { return strings.Join(w.lines, "\n") }

// add appends text wrapped to the width, each line styled and indented.
// Lines break only at spaces (a word longer than the line is cut): breaking
// at "-" would turn "-AuthMetadataUrl" into what looks like two commands.
func (w *docWriter) add(style lipgloss.Style, indent int, text string) {
	pad := strings.Repeat(" ", indent)
	for _, para := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		wrapped := ansi.Wrap(para, max(w.width-indent, 4), "")
		for _, ln := range strings.Split(wrapped, "\n") {
			w.lines = append(w.lines, pad+style.Render(strings.TrimRight(ln, " ")))
		}
	}
}

func (w *docWriter) blank() {
	if n := len(w.lines); n > 0 && w.lines[n-1] != "" {
		w.lines = append(w.lines, "")
	}
}

func (w *docWriter) title(text string) { w.add(w.c.Styles.Heading, 0, text) }

// section starts a labelled block; an empty body skips it entirely.
func (w *docWriter) section(label string) {
	w.blank()
	w.lines = append(w.lines, w.c.Styles.Section.Render(label))
}

func (w *docWriter) para(text string) {
	if t := strings.TrimSpace(text); t != "" {
		w.add(w.c.Styles.Plain, 0, t)
	}
}

func (w *docWriter) faint(text string) { w.add(w.c.Styles.Faint, 0, text) }

// field writes "Label: value" with the value wrapped under it when long.
func (w *docWriter) field(label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	w.add(w.c.Styles.Plain, 0, w.c.Styles.Label.Render(label+":")+" "+value)
}

func (w *docWriter) bullets(items []string) {
	for _, it := range items {
		lines := strings.Split(ansi.Wrap(it, max(w.width-len(bulletGlyph), 4), ""), "\n")
		for i, ln := range lines {
			prefix := bulletGlyph
			if i > 0 {
				prefix = strings.Repeat(" ", len(bulletGlyph))
			}
			w.lines = append(w.lines, prefix+strings.TrimRight(ln, " "))
		}
	}
}

// badges writes the labels that change how an entry should be read.
func (w *docWriter) badges(parts ...string) {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) > 0 {
		w.add(w.c.Styles.Plain, 0, strings.Join(kept, "  "))
	}
}

// copyLine registers text as the next copyable and writes its header line
// ("[1] read-only · Exchange Management Shell") and the text itself, plain
// and on its own lines so a mouse selection takes exactly the command.
func (w *docWriter) copyLine(header, text string) {
	n := len(w.copies)
	marker := glyphBlank
	if n == w.selected {
		marker = glyphCursor
	}
	num := w.c.Styles.CommandNumber.Render(fmt.Sprintf("[%d]", n+1))
	w.copies = append(w.copies, copyable{Text: text, line: len(w.lines)})
	w.add(w.c.Styles.Plain, 0, marker+num+" "+header)
	// Commands and values break only at spaces, marked, never inside a
	// token: "-" starts a parameter, and a GUID cut in two copies wrong.
	for _, ln := range components.WrapCommand(text, w.width-2) {
		w.lines = append(w.lines, "  "+w.c.Styles.Command.Render(strings.TrimRight(ln, " ")))
	}
}

// command renders a knowledge.Command with the session's values and marks
// what running it does.
func (w *docWriter) command(cmd knowledge.Command, stepShell knowledge.Shell) {
	s := w.c.Styles
	effect := s.ReadOnly.Render("read-only")
	if cmd.Changes {
		effect = s.Changes.Render("changes server")
	}
	parts := []string{effect}
	if cmd.Disruptive {
		parts = append(parts, s.Disruptive.Render("disruptive"))
	}
	shell := cmd.Shell
	if shell == "" {
		shell = stepShell
	}
	if shell != "" {
		parts = append(parts, shell.Label())
	}
	w.copyLine(strings.Join(parts, " · "), knowledge.MustRender(cmd.Text, w.c.Vars))
	w.copies[len(w.copies)-1].run = &runnable{cmd: cmd, shell: shell, side: w.side}
	if cmd.Note != "" {
		w.add(s.Faint, 2, cmd.Note)
	}
}

func (w *docWriter) commands(label string, cmds []knowledge.Command, shell knowledge.Shell) {
	if len(cmds) == 0 {
		return
	}
	w.section(label)
	for _, c := range cmds {
		w.command(c, shell)
	}
}
