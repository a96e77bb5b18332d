package tui

import (
	"fmt"
	"strings"

	"github.com/ucpilot/ucpilot/knowledge"
)

// An entryDoc writes one knowledge base entry into a docWriter. The detail
// pane keeps the function and calls it again on resize or when another
// command is selected, so wrapping always fits the pane.
type entryDoc func(w *docWriter)

// hitDoc picks the document for a search hit by its kind.
func hitDoc(h knowledge.Hit) entryDoc {
	switch {
	case h.Pitfall != nil:
		return pitfallDoc(h.Pitfall)
	case h.Step != nil:
		return stepDoc(h.Topology, h.Step)
	case h.Identifier != nil:
		return identifierDoc(h.Identifier)
	case h.Cmdlet != nil:
		return cmdletDoc(h.Cmdlet)
	}
	return func(w *docWriter) {
		w.title(h.Title)
		w.faint(fmt.Sprintf("%s %s: no details are stored for this kind of entry", h.Kind, h.ID))
	}
}

func pitfallDoc(p *knowledge.Pitfall) entryDoc {
	return func(w *docWriter) {
		s := w.c.Styles
		w.title(p.Title)
		var notOAuth, unverified string
		if p.NotOAuth {
			notOAuth = s.NotOAuth.Render("[not an OAuth problem]")
		}
		if p.Confidence == "unverified" {
			unverified = s.Unverified.Render("[unverified: no source confirms it]")
		}
		w.badges(notOAuth, unverified)
		applies := "all topologies"
		if len(p.Topologies) > 0 {
			applies = strings.Join(p.Topologies, ", ")
		}
		if p.Versions != "" {
			applies += "; " + p.Versions
		}
		w.faint("pitfall " + p.ID + " · applies to " + applies)
		// Cause and fix come first: whoever pasted the error already knows
		// the symptoms; they are below to confirm the match.
		w.section("Cause")
		w.para(p.Cause)
		w.section("Fix")
		w.para(p.Fix)
		w.side = pitfallSide(w.c.Base, p.ID)
		w.commands("Commands", p.Commands, "")
		if len(p.Symptoms) > 0 {
			w.section("Symptoms")
			w.bullets(p.Symptoms)
		}
		if len(p.Related) > 0 {
			w.section("Related")
			w.bullets(pitfallTitles(w.c.Base, p.Related))
		}
		sources(w, p.Sources)
	}
}

func stepDoc(t *knowledge.Topology, st *knowledge.Step) entryDoc {
	return func(w *docWriter) {
		w.title(st.Title)
		where := st.Side + " · " + st.Shell.Label()
		if t != nil {
			where = t.ID + " step " + stepNumber(t, st.ID) + " · " + where
		}
		if st.Optional {
			where += " · optional"
		}
		w.faint(where)
		w.section("What")
		w.para(st.What)
		w.section("Why")
		w.para(st.Why)
		if len(st.Prereqs) > 0 {
			w.section("Before you start")
			w.bullets(st.Prereqs)
		}
		w.side = st.Side
		w.commands("Commands", st.Commands, st.Shell)
		if st.Verify.Text != "" || len(st.Verify.Commands) > 0 {
			w.section("Verify")
			w.para(st.Verify.Text)
			for _, c := range st.Verify.Commands {
				w.command(c, st.Shell)
			}
			if len(st.Verify.Checks) > 0 {
				w.faint("checks: " + strings.Join(st.Verify.Checks, ", "))
			}
		}
		if len(st.Pitfalls) > 0 {
			w.section("Pitfalls")
			w.bullets(pitfallTitles(w.c.Base, st.Pitfalls))
		}
		sources(w, st.Sources)
	}
}

func identifierDoc(id *knowledge.Identifier) entryDoc {
	return func(w *docWriter) {
		w.title(id.Name)
		w.faint(id.Kind + " · " + id.Product)
		w.section("Value")
		w.copyLine("copy the value", id.Value)
		w.section("Where it appears")
		w.para(id.Where)
		if id.Notes != "" {
			w.section("Notes")
			w.para(id.Notes)
		}
		if len(id.Typos) > 0 {
			w.section("Typos seen in the wild")
			items := make([]string, 0, len(id.Typos))
			for _, t := range id.Typos {
				items = append(items, t.Value+" — "+t.Note)
			}
			w.bullets(items)
		}
		sources(w, id.Sources)
	}
}

func cmdletDoc(c *knowledge.Cmdlet) entryDoc {
	return func(w *docWriter) {
		w.title(c.Name)
		effect := "read-only"
		if c.Changes {
			effect = "changes server"
		}
		w.faint("cmdlet · " + c.Shell.Label() + " · " + effect)
		w.section("Does")
		w.para(c.Does)
		if c.Example != "" {
			w.commands("Example", []knowledge.Command{{Text: c.Example, Changes: c.Changes}}, c.Shell)
		}
		if len(c.Fields) > 0 {
			w.section("Fields that matter")
			items := make([]string, 0, len(c.Fields))
			for _, f := range c.Fields {
				items = append(items, f.Name+": healthy is "+f.Healthy)
			}
			w.bullets(items)
		}
		sources(w, c.Sources)
	}
}

func topologyDoc(t *knowledge.Topology) entryDoc {
	return func(w *docWriter) {
		w.title(t.Title)
		w.faint(fmt.Sprintf("topology %s · %d steps", t.ID, len(t.Steps)))
		w.blank()
		w.para(t.Summary)
		w.blank()
		w.faint("Choose a step to see what to run and how to verify it.")
		sources(w, t.Sources)
	}
}

// pitfallTitles names pitfalls by title; an id the base does not know is
// shown as is, so a dangling reference stays visible.
func pitfallTitles(b *knowledge.Base, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if p := b.Pitfall(id); p != nil {
			out = append(out, p.Title)
		} else {
			out = append(out, id)
		}
	}
	return out
}

func stepNumber(t *knowledge.Topology, id string) string {
	for i := range t.Steps {
		if t.Steps[i].ID == id {
			return fmt.Sprint(i + 1)
		}
	}
	return "?"
}

func sources(w *docWriter, src []string) {
	if len(src) == 0 {
		return
	}
	w.section("Sources")
	w.bullets(w.c.Base.SourceLabels(src))
}
