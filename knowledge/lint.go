package knowledge

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

var (
	reKebab   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	reCheckID = regexp.MustCompile(`^[a-z0-9]+([.\-][a-z0-9]+)*$`)
	reSeed    = regexp.MustCompile(`^seed:\d{3}_[0-9a-f]{16}\.txt$`)
)

// pasteBreakers are characters that word processors substitute and that
// PowerShell does not read as - or ': a pasted command fails on them.
var pasteBreakers = map[rune]string{
	'–': "en dash", '—': "em dash", '−': "minus sign", '‐': "Unicode hyphen", '‑': "non-breaking hyphen",
	'“': "curly double quote", '”': "curly double quote", '„': "low double quote",
	'‘': "curly single quote", '’': "curly single quote", '\u00a0': "non-breaking space",
}

// linter collects findings; each finding says what is wrong, where, and
// what to do about it.
type linter struct {
	b    *Base
	errs []error
}

func (l *linter) add(format string, args ...any) {
	l.errs = append(l.errs, fmt.Errorf(format, args...))
}

// Lint checks the knowledge base against the authoring rules of
// assets/README.md and returns every finding (nil when clean).
func (b *Base) Lint() []error {
	l := &linter{b: b}
	l.ids()
	l.references()
	l.pitfalls()
	l.steps()
	l.sourcesAll()
	l.shells()
	l.commands()
	l.guids()
	l.reachability()
	l.sharedPrincipalKey()
	l.sourceRows()
	l.keysReadForWriteBack()
	l.msonlineRetired()
	l.vocabulary()
	return l.errs
}

// ids finds malformed and duplicate ids.
func (l *linter) ids() {
	dup := func(kind string) func(id string) {
		seen := map[string]bool{}
		return func(id string) {
			key := strings.ToLower(id)
			if seen[key] {
				l.add("%s id %q is used twice: ids must be unique, rename one of them", kind, id)
			}
			seen[key] = true
		}
	}
	pit, step, ident, chk, cmd := dup("pitfall"), dup("step"), dup("identifier"), dup("check"), dup("cmdlet")
	kebab := func(kind, id string) {
		if !reKebab.MatchString(id) {
			l.add("%s id %q is not lowercase kebab-case (like metadata-url-jason)", kind, id)
		}
	}
	for _, p := range l.b.Pitfalls {
		pit(p.ID)
		kebab("pitfall", p.ID)
	}
	for _, t := range l.b.Topologies {
		if !slices.Contains(TopologyIDs(), t.ID) {
			l.add("topology id %q is not one of %s", t.ID, strings.Join(TopologyIDs(), ", "))
		}
		for _, s := range t.Steps {
			step(s.ID)
			kebab("step", s.ID)
		}
	}
	for _, id := range l.b.Identifiers {
		ident(id.ID)
		kebab("identifier", id.ID)
	}
	for _, c := range l.b.Checks {
		chk(c.ID)
		if !reCheckID.MatchString(c.ID) {
			l.add("check id %q is not lowercase words joined by dots (like dns.autodiscover)", c.ID)
		}
	}
	for _, c := range l.b.Cmdlets {
		cmd(c.Name)
		if strings.TrimSpace(c.Name) == "" {
			l.add("a cmdlet has no name")
		}
	}
}

// references finds names of pitfalls, checks and topologies that do not exist.
func (l *linter) references() {
	b := l.b
	pitfall := func(where, id string) {
		if b.Pitfall(id) == nil && !slices.ContainsFunc(b.Pitfalls, func(p Pitfall) bool { return p.ID == id }) {
			l.add("%s names pitfall %q, which does not exist: add assets/pitfalls/%s.yaml or fix the name", where, id, id)
		}
	}
	check := func(where, id string) {
		if b.Check(id) == nil {
			l.add("%s names check %q, which is not in assets/checks.yaml", where, id)
		}
	}
	topos := func(where string, ids []string) {
		for _, id := range ids {
			if !slices.Contains(TopologyIDs(), id) {
				l.add("%s lists topology %q; valid are %s", where, id, strings.Join(TopologyIDs(), ", "))
			}
		}
	}
	for _, t := range b.Topologies {
		for _, s := range t.Steps {
			for _, id := range s.Pitfalls {
				pitfall("step "+s.ID, id)
			}
			for _, id := range s.Verify.Checks {
				check("step "+s.ID+" verify.checks", id)
			}
		}
	}
	for _, p := range b.Pitfalls {
		for _, id := range p.Related {
			pitfall("pitfall "+p.ID+" related", id)
		}
		topos("pitfall "+p.ID, p.Topologies)
	}
	for _, c := range b.Checks {
		for _, id := range c.Pitfalls {
			pitfall("check "+c.ID, id)
		}
		for _, id := range c.DependsOn {
			check("check "+c.ID+" depends_on", id)
		}
		for _, id := range c.GatedBy {
			check("check "+c.ID+" gated_by", id)
		}
		topos("check "+c.ID, c.Topologies)
	}
}

// pitfalls finds pitfalls missing a required part.
func (l *linter) pitfalls() {
	for _, p := range l.b.Pitfalls {
		where := "pitfall " + p.ID
		if strings.TrimSpace(p.Title) == "" {
			l.add("%s has no title", where)
		}
		if len(p.Symptoms) == 0 {
			l.add("%s has no symptoms: add what the user sees, word for word where possible", where)
		}
		if strings.TrimSpace(p.Cause) == "" {
			l.add("%s has no cause", where)
		}
		if strings.TrimSpace(p.Fix) == "" {
			l.add("%s has no fix", where)
		}
		if p.Confidence != "" && p.Confidence != "unverified" {
			l.add("%s has confidence %q; the only value is \"unverified\" (or leave it out)", where, p.Confidence)
		}
	}
}

// steps finds steps without commands or without a way to verify them.
func (l *linter) steps() {
	for _, t := range l.b.Topologies {
		if len(t.Steps) == 0 {
			l.add("topology %s has no steps", t.ID)
		}
		for _, s := range t.Steps {
			where := "step " + s.ID
			if strings.TrimSpace(s.Title) == "" {
				l.add("%s has no title", where)
			}
			if len(s.Commands) == 0 {
				l.add("%s has no command: every step gives at least one command to copy", where)
			}
			if strings.TrimSpace(s.Verify.Text) == "" {
				l.add("%s has no verify text: say how to prove the step worked", where)
			}
			if len(s.Verify.Checks) == 0 && !s.Verify.Manual {
				l.add("%s verify has neither checks nor manual: true; name the checks that prove it, or mark it manual", where)
			}
			if !slices.Contains(StepSides(), s.Side) {
				l.add("%s has side %q; valid are %s", where, s.Side, strings.Join(StepSides(), ", "))
			}
		}
	}
}

// sourcesAll checks that every entry has sources and that each is a known
// seed or an https URL.
func (l *linter) sourcesAll() {
	b := l.b
	for _, p := range b.Pitfalls {
		l.sources("pitfall "+p.ID, p.Sources, true)
	}
	for _, t := range b.Topologies {
		l.sources("topology "+t.ID, t.Sources, false)
		for _, s := range t.Steps {
			l.sources("step "+s.ID, s.Sources, true)
		}
	}
	for _, id := range b.Identifiers {
		l.sources("identifier "+id.ID, id.Sources, true)
		for _, t := range id.Typos {
			if t.Source != "" {
				l.sources("identifier "+id.ID+" typo "+t.Value, []string{t.Source}, false)
			}
		}
	}
	for _, c := range b.Cmdlets {
		l.sources("cmdlet "+c.Name, c.Sources, true)
	}
	for _, c := range b.Checks {
		l.sources("check "+c.ID, c.Sources, true)
	}
}

func (l *linter) sources(where string, srcs []string, required bool) {
	if required && len(srcs) == 0 {
		l.add("%s has no sources: add seed:<file> or an https:// URL", where)
	}
	for _, s := range srcs {
		if err := checkSource(s); err != nil {
			l.add("%s: %v", where, err)
			continue
		}
		if _, ok := l.b.Source(s); !ok {
			l.add("%s cites %q, which no sources table lists: add {ref, title, url} for it to a file in assets/sources/ so readers see a title and an address", where, s)
		}
	}
}

// checkSource validates the form of one source reference; sourceTable checks
// that the sources table knows it.
func checkSource(s string) error {
	if strings.HasPrefix(s, "seed:") {
		if !reSeed.MatchString(s) {
			return fmt.Errorf("source %q is not seed:NNN_<16 hex>.txt", s)
		}
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(s, " \t") {
		return fmt.Errorf("source %q is neither seed:<file> nor an https:// URL", s)
	}
	return nil
}
