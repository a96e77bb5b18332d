package knowledge

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// exportDoc fixes the key order of the JSON export and turns nil lists into
// [] so consumers never see null.
type exportDoc struct {
	Identifiers []Identifier `json:"identifiers"`
	Topologies  []Topology   `json:"topologies"`
	Pitfalls    []Pitfall    `json:"pitfalls"`
	Cmdlets     []Cmdlet     `json:"cmdlets"`
	Checks      []CheckSpec  `json:"checks"`
	// Sources resolves every cited ref to a title and address.
	Sources []Source `json:"sources"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ExportJSON writes the whole knowledge base as one JSON document (for
// `ucpilot kb export --format json`). Command texts stay templates.
func (b *Base) ExportJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(exportDoc{
		Identifiers: nonNil(b.Identifiers), Topologies: nonNil(b.Topologies),
		Pitfalls: nonNil(b.Pitfalls), Cmdlets: nonNil(b.Cmdlets), Checks: nonNil(b.Checks),
		Sources: nonNil(b.Sources),
	})
}

// mdWriter keeps the first write error so the export code reads straight.
type mdWriter struct {
	w   *bufio.Writer
	b   *Base // resolves source refs to titles and addresses
	err error
}

func (m *mdWriter) f(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

// ExportMarkdown writes a readable runbook: the three procedures step by
// step with commands rendered with v, then the pitfalls, the identifiers and
// the cmdlets.
func (b *Base) ExportMarkdown(w io.Writer, v Vars) error {
	m := &mdWriter{w: bufio.NewWriter(w), b: b}
	m.f("# Exchange and Lync / Skype for Business server-to-server OAuth: runbook\n\n")
	m.f("Commands are filled in for domain %s. Commands marked **changes** alter a server or tenant; **read-only** ones only look.\n\n", v.Domain)
	for _, t := range b.Topologies {
		m.topology(t, v)
	}
	m.f("## Known pitfalls\n\n")
	for _, p := range b.Pitfalls {
		m.pitfall(p, v)
	}
	m.f("## Well-known identifiers\n\n| name | value | product | where |\n| --- | --- | --- | --- |\n")
	for _, id := range b.Identifiers {
		m.f("| %s | `%s` | %s | %s |\n", cell(id.Name), id.Value, cell(id.Product), cell(id.Where))
	}
	m.f("\n## Cmdlets\n\n")
	for _, c := range b.Cmdlets {
		m.f("### %s\n\n%s — %s. %s\n\n", c.Name, c.Shell.Label(), changesLabel(c.Changes), c.Does)
		if c.Example != "" {
			m.f("```powershell\n%s\n```\n\n", MustRender(c.Example, v))
		}
		for _, f := range c.Fields {
			m.f("- `%s`: healthy is %s\n", f.Name, f.Healthy)
		}
		if len(c.Fields) > 0 {
			m.f("\n")
		}
	}
	if m.err != nil {
		return m.err
	}
	return m.w.Flush()
}

func (m *mdWriter) topology(t Topology, v Vars) {
	m.f("## %s\n\n%s\n\n", t.Title, t.Summary)
	for i, s := range t.Steps {
		opt := ""
		if s.Optional {
			opt = " (optional)"
		}
		m.f("### %d. %s%s\n\n", i+1, s.Title, opt)
		m.f("*%s*, %s.\n\n%s\n\n", s.Shell.Label(), stepEffect(s), s.What)
		if s.Why != "" {
			m.f("Why: %s\n\n", s.Why)
		}
		m.commands(s.Commands, s.Shell, v)
		m.f("**Verify:** %s\n\n", s.Verify.Text)
		m.commands(s.Verify.Commands, s.Shell, v)
		if len(s.Verify.Checks) > 0 {
			m.f("Checks: %s\n\n", strings.Join(s.Verify.Checks, ", "))
		}
		if len(s.Pitfalls) > 0 {
			m.f("Pitfalls: %s\n\n", strings.Join(s.Pitfalls, ", "))
		}
		m.sources(s.Sources)
	}
}

func (m *mdWriter) pitfall(p Pitfall, v Vars) {
	m.f("### %s\n\n", p.Title)
	if p.NotOAuth {
		m.f("*Looks like an OAuth problem, but is not one.*\n\n")
	}
	if p.Confidence == "unverified" {
		m.f("*Unverified: no source confirms this; treat it as a hypothesis.*\n\n")
	}
	m.f("Id: `%s`\n\nSymptoms:\n\n", p.ID)
	for _, s := range p.Symptoms {
		m.f("- %s\n", s)
	}
	m.f("\nCause: %s\n\nFix: %s\n\n", strings.TrimSpace(p.Cause), strings.TrimSpace(p.Fix))
	m.commands(p.Commands, "", v)
	m.sources(p.Sources)
}

// sources lists cited sources by title and address, never by internal name.
func (m *mdWriter) sources(refs []string) {
	if len(refs) == 0 {
		return
	}
	m.f("Sources:\n\n")
	for _, l := range m.b.SourceLabels(refs) {
		m.f("- %s\n", l)
	}
	m.f("\n")
}

func (m *mdWriter) commands(cs []Command, shell Shell, v Vars) {
	for _, c := range cs {
		sh := shell
		if c.Shell != "" {
			sh = c.Shell
		}
		label := changesLabel(c.Changes)
		if c.Disruptive {
			label += ", disruptive"
		}
		where := ""
		if sh != "" {
			where = sh.Label() + ", "
		}
		m.f("(%s%s)\n\n```powershell\n%s\n```\n\n", where, label, MustRender(c.Text, v))
		if c.Note != "" {
			m.f("%s\n\n", c.Note)
		}
	}
}

func changesLabel(changes bool) string {
	if changes {
		return "changes"
	}
	return "read-only"
}

// cell keeps a table cell on one line and its pipes from splitting it.
func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), "\n", " "), "|", "\\|")
}

// stepEffect says what a step does to its side: "changes dns" only when
// one of its commands changes something, else "read-only" (a step that
// only checks names must not read as a DNS change in a change ticket).
func stepEffect(s Step) string {
	for _, c := range s.Commands {
		if c.Changes {
			return "changes " + s.Side
		}
	}
	return "read-only"
}
