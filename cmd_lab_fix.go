package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
)

// maxFixRounds bounds --apply-fixes: one fault can hide another (no DNS
// name, so the metadata check never ran), and symptom guesses wait for a
// round of their own, so checks run again after each round; but a fix that
// does not help must not loop forever.
const maxFixRounds = 4

// symptomChecks probe the chain end to end (a Bearer challenge, a storage
// test). The pitfalls they name are guesses from a symptom, while the
// checks that read the configuration name a cause. A round fixes the
// causes first; the guesses only when no configuration check names a fix.
var symptomChecks = map[string]bool{"bearer.ews": true, "bearer.autodiscover": true, "ps.sfb.exstorage": true}

// namedPitfall is a pitfall some non-passing check named.
type namedPitfall struct {
	id string
	// alternatives is the fewest pitfalls a check naming it offered: 1 is
	// a diagnosis, more is a list of suspects.
	alternatives int
	symptomOnly  bool
	order        int
}

// namedPitfalls lists the pitfalls the non-passing checks named, most
// specific first (fewest alternatives, then first seen).
func namedPitfalls(r engine.Report) []namedPitfall {
	byID := map[string]*namedPitfall{}
	var out []*namedPitfall
	for _, c := range r.Checks {
		if c.Status != engine.StatusFail && c.Status != engine.StatusError && c.Status != engine.StatusWarn {
			continue
		}
		ids := c.Pitfalls // the engine lists each once
		for _, id := range ids {
			n := byID[id]
			if n == nil {
				n = &namedPitfall{id: id, alternatives: len(ids), symptomOnly: true, order: len(out)}
				byID[id] = n
				out = append(out, n)
			}
			n.alternatives = min(n.alternatives, len(ids))
			n.symptomOnly = n.symptomOnly && symptomChecks[c.ID]
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].alternatives < out[j].alternatives })
	res := make([]namedPitfall, len(out))
	for i, n := range out {
		res[i] = *n
	}
	return res
}

// fixCommand is one command the loop runs in the lab.
type fixCommand struct{ pitfall, kind, text string }

// labFixPlan is what one round runs, and what it leaves out and why.
type labFixPlan struct {
	run   []fixCommand
	notes []string
}

var (
	// placeholderRE finds text a person must fill in (<your admin account>).
	placeholderRE = regexp.MustCompile(`<[A-Za-z][^<>]*>`)
	// preparesRE finds read-only commands a later command of the same fix
	// needs: a variable assignment or a file written for the upload.
	preparesRE = regexp.MustCompile(`(?i)(^|;)\s*\$[a-z_]\w*\s*=[^=]|\bcertutil\s+-(en|de)code\b|\bOut-File\b|\bSet-Content\b|\bExport-Certificate\b`)
)

// planLabFixes picks the commands of one round from the pitfalls the
// checks named: only pitfalls of the lab's topology, only commands for a
// shell the lab has, up to each pitfall's last changing command (what
// follows verifies, and the checks verify again anyway). Read-only
// diagnostics are left out unless they prepare a later command; commands
// holding a placeholder are left to a person.
func planLabFixes(kb *knowledge.Base, report engine.Report, topology string, vars knowledge.Vars, available map[string]bool) labFixPlan {
	var plan labFixPlan
	var causes, guessCmds []fixCommand
	var guess *knowledge.Pitfall
	for _, n := range namedPitfalls(report) {
		p := kb.Pitfall(n.id)
		switch {
		case p == nil:
			plan.notes = append(plan.notes, n.id+": not in the knowledge base, nothing to run")
			continue
		case len(p.Topologies) > 0 && !slices.Contains(p.Topologies, topology):
			plan.notes = append(plan.notes, fmt.Sprintf("%s: applies to %s, not to this %s lab; not run", n.id, strings.Join(p.Topologies, ", "), topology))
			continue
		}
		cmds, notes := pitfallCommands(p, vars, available)
		plan.notes = append(plan.notes, notes...)
		switch {
		case len(cmds) == 0:
		case !n.symptomOnly:
			causes = append(causes, cmds...)
		case guess == nil || len(p.Related) < len(guess.Related):
			// Guesses go one at a time, the narrowest first: a pitfall
			// related to many others is an umbrella, tried last.
			guess, guessCmds = p, cmds
		}
	}
	chosen := causes
	if len(chosen) == 0 {
		chosen = guessCmds
	}
	seen := map[string]bool{}
	for _, c := range chosen {
		if key := c.kind + "\x00" + c.text; !seen[key] {
			seen[key] = true
			plan.run = append(plan.run, c)
		}
	}
	return plan
}

// pitfallCommands returns the commands of p to run in the lab; none when p
// has no changing command the lab can run.
func pitfallCommands(p *knowledge.Pitfall, vars knowledge.Vars, available map[string]bool) ([]fixCommand, []string) {
	var notes []string
	texts := make([]string, len(p.Commands))
	last := -1
	for i, c := range p.Commands {
		texts[i] = knowledge.MustRender(c.Text, vars)
		runnable := available[string(c.Shell)] && !placeholderRE.MatchString(texts[i])
		if c.Changes && runnable {
			last = i
		}
		if c.Changes && placeholderRE.MatchString(texts[i]) {
			notes = append(notes, fmt.Sprintf("%s: skipped, it needs a value only a person knows: %s", p.ID, firstLine(texts[i])))
		}
	}
	var out []fixCommand
	for i, c := range p.Commands[:last+1] {
		kind := string(c.Shell)
		switch {
		case !available[kind], placeholderRE.MatchString(texts[i]):
			continue
		case !c.Changes && !preparesRE.MatchString(texts[i]):
			continue // a diagnostic: the checks already told what it would show
		}
		out = append(out, fixCommand{p.ID, kind, texts[i]})
	}
	return out, notes
}

// applyLabFixes runs, inside the lab, the fix commands of the pitfalls the
// failing checks name, and checks again, until all pass or the rounds run
// out. It uses only what the checks reported, never the lab's own list of
// faults, and reports each command it runs, or leaves out, on stderr.
func applyLabFixes(ctx context.Context, kb *knowledge.Base, l *lab.Lab, report engine.Report,
	run func() (engine.Report, error), stderr io.Writer) (engine.Report, error) {
	shells := map[string]*lab.Shell{}
	available := map[string]bool{}
	for _, k := range l.Shells() {
		available[k] = true
	}
	vars := labVars(l.Env())
	told := map[string]bool{}
	for round := 1; round <= maxFixRounds && engine.ExitCode(report.Summary) != engine.ExitPass; round++ {
		plan := planLabFixes(kb, report, l.Env().Topology, vars, available)
		for _, n := range plan.notes {
			if !told[n] {
				told[n] = true
				fmt.Fprintf(stderr, "lab fix: %s\n", n)
			}
		}
		if len(plan.run) == 0 {
			fmt.Fprintln(stderr, "lab fix: the failing checks name no fix that runs in the lab; stopping")
			break
		}
		for _, c := range plan.run {
			sh := shells[c.kind]
			if sh == nil {
				sh = l.Shell(c.kind)
				shells[c.kind] = sh
			}
			res, err := sh.Run(ctx, c.text)
			status := "ok"
			if err != nil {
				status = "error: " + err.Error()
			} else if res.ExitCode != 0 {
				status = fmt.Sprintf("exit %d: %s", res.ExitCode, firstLine(res.Stderr))
			}
			fmt.Fprintf(stderr, "lab fix (round %d, %s, %s): %s\n    -> %s\n", round, c.pitfall, c.kind, firstLine(c.text), status)
		}
		var err error
		if report, err = run(); err != nil {
			return report, err
		}
	}
	return report, nil
}
