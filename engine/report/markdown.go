package report

import (
	"io"
	"strings"

	"github.com/ucpilot/ucpilot/engine"
)

// WriteMarkdown writes the report for an incident ticket: a summary
// table of every check, then each check that did not pass with its
// evidence, the pitfalls that explain it and the fix commands in fenced
// powershell blocks.
func WriteMarkdown(w io.Writer, r engine.Report) error {
	m := &textWriter{w: w}
	m.printf("# ucpilot check: %s\n\n", mdEscape(r.Profile))
	if r.Insecure {
		m.printf("> **WARNING: %s**\n\n", engine.InsecureBanner)
	}
	s := r.Summary
	m.printf("Topology `%s`, %d checks in %s: **%d pass, %d warn, %d fail, %d error, %d skipped**.\n\n",
		r.Topology, len(r.Checks), roundDuration(r.Duration), s.Pass, s.Warn, s.Fail, s.Error, s.Skipped)
	m.printf("| status | check | target | summary |\n| --- | --- | --- | --- |\n")
	for _, c := range r.Checks {
		m.printf("| %s %s | `%s` | %s | %s |\n", engine.Glyph(c.Status, false), c.Status, c.ID, mdCell(c.Target), mdCell(c.Summary))
	}
	if len(r.NotImplemented) > 0 {
		m.printf("\nNot run (no implementation yet): %s.\n", "`"+strings.Join(r.NotImplemented, "`, `")+"`")
	}
	for _, c := range r.Checks {
		if len(c.Servers) > 0 {
			m.markdownGrid(c)
		}
	}
	for _, c := range r.Checks {
		if c.Status != engine.StatusPass {
			m.detail(c)
		}
	}
	return m.err
}

func (m *textWriter) detail(c engine.Result) {
	m.printf("\n## %s %s: %s\n\n", engine.Glyph(c.Status, false), strings.ToUpper(string(c.Status)), mdEscape(c.Title))
	m.printf("- **Check:** `%s`\n", c.ID)
	if c.Target != "" {
		m.printf("- **Target:** `%s`\n", c.Target)
	}
	m.printf("- **Result:** %s\n", mdEscape(c.Summary))
	if c.Insecure {
		m.printf("- **TLS:** verification was off for this check\n")
	}
	if len(c.Evidence) > 0 {
		m.printf("\n**Evidence**\n\n")
		for _, e := range c.Evidence {
			if strings.Contains(e.Value, "\n") {
				fence := mdFence(e.Value)
				m.printf("- %s:\n\n%stext\n%s\n%s\n", mdEscape(e.Label), fence, strings.TrimRight(e.Value, "\n"), fence)
				continue
			}
			if strings.TrimSpace(e.Value) == "" {
				// An empty code span renders as stray backticks.
				m.printf("- %s: *(empty)*\n", mdEscape(e.Label))
				continue
			}
			m.printf("- %s: `%s`\n", mdEscape(e.Label), strings.ReplaceAll(e.Value, "`", "'"))
		}
	}
	if len(c.Pitfalls) > 0 {
		m.printf("\n**Known pitfalls:** `%s`\n", strings.Join(c.Pitfalls, "`, `"))
	}
	if c.Fix.Empty() {
		return
	}
	m.printf("\n**Fix**\n\n")
	if c.Fix.Text != "" {
		m.printf("%s\n", c.Fix.Text)
	}
	for _, cmd := range c.Fix.Commands {
		note := ""
		if cmd.Changes {
			note = " (changes the server)"
		}
		if cmd.Disruptive {
			note = " (disruptive: interrupts service)"
		}
		if cmd.Shell != "" || note != "" {
			label := cmd.Shell.Label()
			if label == "" {
				label = "Command"
			}
			m.printf("\n%s%s:\n", label, note)
		}
		m.printf("\n```powershell\n%s\n```\n", strings.TrimRight(cmd.Text, "\n"))
	}
}

// mdCell makes a value safe inside a table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(mdEscape(s), "|", `\|`)
}

// mdEscape keeps outside text (server answers end up in summaries) from
// turning into markup.
func mdEscape(s string) string {
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "'", "[", `\[`)
	return r.Replace(s)
}

// mdFence is a code fence longer than any run of backticks in s, so a
// value cannot close its block and go on as markup.
func mdFence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
			continue
		}
		run = 0
	}
	return strings.Repeat("`", max(3, longest+1))
}
