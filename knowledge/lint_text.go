package knowledge

import (
	"fmt"
	"slices"
	"strings"
)

// shells finds shell values that are not in Shells.
func (l *linter) shells() {
	bad := func(where string, s Shell, required bool) {
		if s == "" && !required {
			return
		}
		if !s.Valid() {
			valid := make([]string, len(shells))
			for i, sh := range shells {
				valid[i] = string(sh.ID)
			}
			l.add("%s has shell %q; valid are %s", where, s, strings.Join(valid, ", "))
		}
	}
	l.eachCommand(func(where string, c Command) { bad(where, c.Shell, false) })
	for _, t := range l.b.Topologies {
		for _, s := range t.Steps {
			bad("step "+s.ID, s.Shell, true)
		}
	}
	for _, c := range l.b.Cmdlets {
		bad("cmdlet "+c.Name, c.Shell, true)
	}
}

// eachCommand calls f for every command of the base, with where it is.
func (l *linter) eachCommand(f func(where string, c Command)) {
	for _, p := range l.b.Pitfalls {
		for i, c := range p.Commands {
			f(fmt.Sprintf("pitfall %s command %d", p.ID, i+1), c)
		}
	}
	for _, t := range l.b.Topologies {
		for _, s := range t.Steps {
			for i, c := range s.Commands {
				f(fmt.Sprintf("step %s command %d", s.ID, i+1), c)
			}
			for i, c := range s.Verify.Commands {
				f(fmt.Sprintf("step %s verify command %d", s.ID, i+1), c)
			}
		}
	}
}

// commands checks templates and characters that break a paste.
func (l *linter) commands() {
	check := func(where, text string) {
		if strings.TrimSpace(text) == "" {
			l.add("%s is empty", where)
			return
		}
		l.template(where, text)
		for _, r := range text {
			if name, ok := pasteBreakers[r]; ok {
				l.add("%s contains a %s (%q): PowerShell does not read it as - or a quote when pasted; type the ASCII character", where, name, r)
				break
			}
		}
	}
	l.eachCommand(func(where string, c Command) { check(where, c.Text) })
	for _, c := range l.b.Cmdlets {
		if c.Example != "" {
			check("cmdlet "+c.Name+" example", c.Example)
		}
	}
}

// template checks that a command template parses, names only Vars fields
// and renders with the example values.
func (l *linter) template(where, text string) {
	fields, err := TemplateFields(text)
	if err != nil {
		l.add("%s: the template does not parse: %v", where, err)
		return
	}
	names := VarNames()
	for _, f := range fields {
		if !slices.Contains(names, f) {
			l.add("%s uses {{.%s}}, which knowledge.Vars does not define; use one of %s", where, f, strings.Join(names, ", "))
			return
		}
	}
	if _, err := Render(text, ExampleVars()); err != nil {
		l.add("%s: the template does not render with the example values: %v", where, err)
	}
}

// guids finds malformed GUIDs outside the places where a typo is quoted on
// purpose (identifier typos, pitfall symptoms, or a documented typo value).
func (l *linter) guids() {
	allowed := map[string]bool{}
	for _, id := range l.b.Identifiers {
		for _, t := range id.Typos {
			for _, g := range findGUIDAttempts(t.Value) {
				allowed[strings.ToLower(g)] = true
			}
		}
	}
	check := func(where, text string) {
		for _, g := range findGUIDAttempts(text) {
			if !allowed[strings.ToLower(g)] {
				l.add("%s has the malformed GUID %q (%s); a GUID is exactly 8-4-4-4-12 hex digits. If it quotes a typo on purpose, add it to the identifier's typos",
					where, g, groupShape(g))
			}
		}
	}
	l.eachText(check)
}

// groupShape describes the group lengths of a GUID-like string: "8-4-4-4-11".
func groupShape(g string) string {
	parts := strings.Split(g, "-")
	lens := make([]string, len(parts))
	for i, p := range parts {
		lens[i] = fmt.Sprint(len(p))
	}
	return "groups " + strings.Join(lens, "-")
}

// eachText calls f for every free text of the base where a malformed GUID
// is not expected (symptoms and typo values are left out on purpose).
func (l *linter) eachText(f func(where, text string)) {
	b := l.b
	for _, p := range b.Pitfalls {
		w := "pitfall " + p.ID
		f(w+" title", p.Title)
		f(w+" cause", p.Cause)
		f(w+" fix", p.Fix)
		f(w+" keywords", strings.Join(p.Keywords, " "))
	}
	l.eachCommand(func(where string, c Command) { f(where, c.Text+" "+c.Note) })
	for _, t := range b.Topologies {
		f("topology "+t.ID, t.Title+" "+t.Summary)
		for _, s := range t.Steps {
			f("step "+s.ID, strings.Join([]string{s.Title, s.What, s.Why, s.Verify.Text, strings.Join(s.Prereqs, " ")}, " "))
		}
	}
	for _, id := range b.Identifiers {
		f("identifier "+id.ID, strings.Join([]string{id.Name, id.Value, id.Product, id.Where, id.Notes}, " "))
	}
	for _, c := range b.Cmdlets {
		text := []string{c.Does, c.Example}
		for _, fl := range c.Fields {
			text = append(text, fl.Name, fl.Healthy)
		}
		f("cmdlet "+c.Name, strings.Join(text, " "))
	}
	for _, c := range b.Checks {
		f("check "+c.ID, c.Title+" "+c.What)
	}
}

// reachability proves each pitfall can be found: a search for its own title
// must list it in the top three.
func (l *linter) reachability() {
	ix := l.b.index
	if ix == nil {
		ix = buildIndex(l.b)
	}
	for _, p := range l.b.Pitfalls {
		if strings.TrimSpace(p.Title) == "" {
			continue
		}
		hits := ix.search(p.Title, 3)
		if !slices.ContainsFunc(hits, func(h Hit) bool { return h.Kind == KindPitfall && h.ID == p.ID }) {
			var got []string
			for _, h := range hits {
				got = append(got, h.ID)
			}
			l.add("pitfall %s is not reachable: searching its title %q returns %v; make the title more specific", p.ID, p.Title, got)
		}
	}
}
