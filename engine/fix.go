package engine

import (
	"strings"

	"github.com/ucpilot/ucpilot/knowledge"
)

// explain fills r.Fix from the pitfalls the check named: each pitfall's fix
// text and its commands rendered with the profile's values, deduplicated.
// Only warn, fail and error results get a fix; a pass or a skip has
// nothing to repair. Pitfall ids the knowledge base does not hold are kept
// in r.Pitfalls (they are the registry's ids) but add no fix.
func (p *Plan) explain(r *Result) {
	r.Pitfalls = dedupe(r.Pitfalls)
	if !r.Status.Problem() {
		r.Fix = Fix{}
		return
	}
	var texts []string
	if r.Fix.Text != "" {
		texts = append(texts, r.Fix.Text)
	}
	seen := map[string]bool{}
	var cmds []knowledge.Command
	add := func(c knowledge.Command) {
		c.Text = knowledge.MustRender(c.Text, p.Vars)
		if !seen[c.Text] {
			seen[c.Text] = true
			cmds = append(cmds, c)
		}
	}
	for _, c := range r.Fix.Commands {
		add(c)
	}
	var found []*knowledge.Pitfall
	for _, id := range r.Pitfalls {
		if pf := p.kb.Pitfall(id); pf != nil {
			found = append(found, pf)
		}
	}
	for _, pf := range found {
		fix := strings.TrimSpace(knowledge.MustRender(pf.Fix, p.Vars))
		if fix == "" {
			continue
		}
		if len(found) > 1 {
			fix = pf.Title + ": " + fix
		}
		texts = append(texts, fix)
		for _, c := range pf.Commands {
			add(c)
		}
	}
	r.Fix = Fix{Text: strings.Join(dedupe(texts), "\n\n"), Commands: cmds}
}

func dedupe(ss []string) []string {
	if len(ss) < 2 {
		return ss
	}
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
