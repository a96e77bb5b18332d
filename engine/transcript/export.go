package transcript

import (
	"fmt"
	"io"
	"strings"
)

// Export writes entries in format ("markdown" or "json", the JSON lines as
// stored). Entries were redacted when they were written.
func Export(w io.Writer, entries []Entry, format string) error {
	switch strings.ToLower(format) {
	case "markdown", "md":
		return exportMarkdown(w, entries)
	case "json", "jsonl":
		for _, e := range entries {
			b, err := jsonLine(e)
			if err != nil {
				return err
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("transcript export: unknown format %q (use markdown or json)", format)
}

func exportMarkdown(w io.Writer, entries []Entry) error {
	var b strings.Builder
	b.WriteString("# ucpilot transcript\n\n")
	if len(entries) == 0 {
		b.WriteString("No commands were run.\n")
	}
	for _, e := range entries {
		if e.Kind == KindRecheck {
			b.WriteString("Checks re-run afterwards:\n\n")
			for _, c := range e.Checks {
				fmt.Fprintf(&b, "- %s\n", c)
			}
			b.WriteString("\n")
			continue
		}
		fmt.Fprintf(&b, "## %s — %s\n\n", e.Time.UTC().Format("2006-01-02 15:04:05Z"), e.Target)
		b.WriteString(fence(e.Command, "powershell"))
		status := fmt.Sprintf("exit code %d", e.ExitCode)
		if e.Error != "" {
			status = "not completed: " + e.Error
		}
		if e.CutOff {
			status = "cut off: the run was cancelled before the command finished, and it was stopped on the server; it may have done only part of its work (" + status + ")"
		}
		fmt.Fprintf(&b, "Result: %s\n\n", status)
		if strings.TrimSpace(e.Output) != "" {
			b.WriteString(fence(e.Output, "text"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fence wraps text in a code fence longer than any backtick run inside it.
func fence(text, lang string) string {
	ticks := "```"
	for strings.Contains(text, ticks) {
		ticks += "`"
	}
	return ticks + lang + "\n" + strings.TrimRight(text, "\n") + "\n" + ticks + "\n\n"
}
