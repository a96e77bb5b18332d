// Package fixplan turns what a check run found into fix commands and runs
// them: it ranks the pitfalls the failing checks named (a configuration
// check's diagnosis before an end-to-end probe's guess), picks the commands
// a target can run, and repeats check, fix, check for a bounded number of
// rounds. The lab's --apply-fixes uses it; it knows nothing of the lab.
package fixplan

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
	"github.com/ucpilot/ucpilot/remote/shell"
)

// MaxRounds bounds Apply: one fault can hide another (no DNS
// name, so the metadata check never ran), and symptom guesses wait for a
// round of their own, so checks run again after each round; but a fix that
// does not help must not loop forever.
const MaxRounds = 4

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

// Command is one fix command to run: the pitfall it fixes, the shell kind
// it is typed in (knowledge.Shell values) and its rendered text.
type Command struct{ Pitfall, Shell, Text string }

// Round is what one round runs, and what it leaves out and why.
type Round struct {
	Run   []Command
	Notes []string
}

var (
	// placeholderRE finds text a person must fill in (<your admin account>).
	placeholderRE = regexp.MustCompile(`<[A-Za-z][^<>]*>`)
	// preparesRE finds read-only commands a later command of the same fix
	// needs: a variable assignment or a file written for the upload.
	preparesRE = regexp.MustCompile(`(?i)(^|;)\s*\$[a-z_]\w*\s*=[^=]|\bcertutil\s+-(en|de)code\b|\bOut-File\b|\bSet-Content\b|\bExport-Certificate\b`)
)

// Plan picks the commands of one round from the pitfalls the checks named:
// only pitfalls of the target's topology, only commands for a shell it
// has (available, by kind), up to each pitfall's last changing command (what
// follows verifies, and the checks verify again anyway). Read-only
// diagnostics are left out unless they prepare a later command; commands
// holding a placeholder are left to a person.
func Plan(kb *knowledge.Base, report engine.Report, topology string, vars knowledge.Vars, available map[string]bool) Round {
	var plan Round
	var causes, guessCmds []Command
	var guess *knowledge.Pitfall
	for _, n := range namedPitfalls(report) {
		p := kb.Pitfall(n.id)
		switch {
		case p == nil:
			plan.Notes = append(plan.Notes, n.id+": not in the knowledge base, nothing to run")
			continue
		case len(p.Topologies) > 0 && !slices.Contains(p.Topologies, topology):
			plan.Notes = append(plan.Notes, fmt.Sprintf("%s: applies to %s, not to this %s lab; not run", n.id, strings.Join(p.Topologies, ", "), topology))
			continue
		}
		cmds, notes := pitfallCommands(p, vars, available)
		plan.Notes = append(plan.Notes, notes...)
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
		if key := c.Shell + "\x00" + c.Text; !seen[key] {
			seen[key] = true
			plan.Run = append(plan.Run, c)
		}
	}
	return plan
}

// pitfallCommands returns the commands of p to run; none when p
// has no changing command the lab can run.
func pitfallCommands(p *knowledge.Pitfall, vars knowledge.Vars, available map[string]bool) ([]Command, []string) {
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
	var out []Command
	for i, c := range p.Commands[:last+1] {
		kind := string(c.Shell)
		switch {
		case !available[kind], placeholderRE.MatchString(texts[i]):
			continue
		case !c.Changes && !preparesRE.MatchString(texts[i]):
			continue // a diagnostic: the checks already told what it would show
		}
		out = append(out, Command{Pitfall: p.ID, Shell: kind, Text: texts[i]})
	}
	return out, notes
}

// Target is where fixes run.
type Target struct {
	Name     string // for the log: "lab", a host
	Topology string
	Vars     knowledge.Vars
	Shells   []string                      // the shell kinds it has
	Open     func(kind string) shell.Shell // a session of one of them
}

// Apply runs on t the fix commands of the pitfalls the failing checks name,
// and checks again with recheck, until all pass or MaxRounds run out. It
// uses only what the checks reported (never a list of the faults put
// there), and logs each command it runs, or leaves out, to log.
func Apply(ctx context.Context, kb *knowledge.Base, t Target, report engine.Report,
	recheck func() (engine.Report, error), log io.Writer) (engine.Report, error) {
	shells := map[string]shell.Shell{}
	available := map[string]bool{}
	for _, k := range t.Shells {
		available[k] = true
	}
	told := map[string]bool{}
	for round := 1; round <= MaxRounds && engine.ExitCode(report.Summary) != engine.ExitPass; round++ {
		plan := Plan(kb, report, t.Topology, t.Vars, available)
		for _, n := range plan.Notes {
			if !told[n] {
				told[n] = true
				fmt.Fprintf(log, "%s fix: %s\n", t.Name, n)
			}
		}
		if len(plan.Run) == 0 {
			fmt.Fprintf(log, "%s fix: the failing checks name no fix that runs in the %s; stopping\n", t.Name, t.Name)
			break
		}
		for _, c := range plan.Run {
			sh := shells[c.Shell]
			if sh == nil {
				sh = t.Open(c.Shell)
				shells[c.Shell] = sh
			}
			res, err := sh.Run(ctx, c.Text)
			status := "ok"
			if err != nil {
				status = "error: " + err.Error()
			} else if res.ExitCode != 0 {
				status = fmt.Sprintf("exit %d: %s", res.ExitCode, firstLine(res.Stderr))
			}
			fmt.Fprintf(log, "%s fix (round %d, %s, %s): %s\n    -> %s\n", t.Name, round, c.Pitfall, c.Shell, firstLine(c.Text), status)
		}
		var err error
		if report, err = recheck(); err != nil {
			return report, err
		}
	}
	return report, nil
}

// firstLine is the first line of s, with a mark when more follows.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
