package knowledge

import (
	"bufio"
	"fmt"
	"io"
)

// ExportProcedureMarkdown writes one topology's procedure with the
// environment's values filled in, followed by the pitfalls its steps name:
// the document an admin attaches to a change ticket.
func (b *Base) ExportProcedureMarkdown(w io.Writer, topologyID string, v Vars, envLabel string) error {
	t := b.Topology(topologyID)
	if t == nil {
		return fmt.Errorf("unknown topology %q: expected one of onprem, hybrid, sfbonline", topologyID)
	}
	m := &mdWriter{w: bufio.NewWriter(w), b: b}
	m.f("# Change procedure: %s\n\n", t.Title)
	m.f("Environment: %s. Commands marked **changes** alter a server or tenant; **read-only** ones only look.\n\n", envLabel)
	m.topology(*t, v)
	seen := map[string]bool{}
	var ids []string
	for _, s := range t.Steps {
		for _, id := range s.Pitfalls {
			if !seen[id] && b.Pitfall(id) != nil {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(ids) > 0 {
		m.f("## Pitfalls of these steps\n\n")
		for _, id := range ids {
			m.pitfall(*b.Pitfall(id), v)
		}
	}
	if m.err != nil {
		return m.err
	}
	return m.w.Flush()
}
