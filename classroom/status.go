package classroom

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/internal/safetext"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
)

// StatusRow is one trainee as the instructor sees them.
type StatusRow struct {
	User          string    `json:"user"`
	Fingerprint   string    `json:"fingerprint"`
	Scenario      string    `json:"scenario"`
	Step          string    `json:"step"`       // the step they are on ("" before the guide)
	StepsDone     int       `json:"steps_done"` // verified steps of the scenario's procedure
	StepsTotal    int       `json:"steps_total"`
	ChecksPassing int       `json:"checks_passing"` // distinct checks that proved their steps
	Online        bool      `json:"online"`
	LastActivity  time.Time `json:"last_activity"`
}

// Status reads every trainee in the state folder dir. bad counts records
// that could not be read.
func Status(dir string, kb *knowledge.Base) (rows []StatusRow, bad int, err error) {
	r := records{dir: dir}
	recs, ids, bad, err := r.all()
	if err != nil {
		return nil, bad, err
	}
	topo := map[string]string{}
	for _, s := range lab.List() {
		topo[s.Name] = s.Topology
	}
	for i, rec := range recs {
		row := StatusRow{User: rec.User, Fingerprint: rec.Fingerprint, Scenario: rec.Scenario,
			Online: rec.Online, LastActivity: rec.LastActivity}
		if rec.Scenario != "" {
			fillProgress(&row, r.progressDir(ids[i]), rec.Scenario, topo[rec.Scenario], kb)
		}
		rows = append(rows, row)
	}
	return rows, bad, nil
}

func fillProgress(row *StatusRow, dir, scenario, topology string, kb *knowledge.Base) {
	store, err := progress.NewStore(dir)
	if err != nil {
		return
	}
	p, err := store.Load(progressKey(scenario))
	if err != nil {
		return
	}
	tp := p.Topologies[topology]
	if t := kb.Topology(topology); t != nil {
		row.StepsTotal = len(t.Steps)
	}
	if tp == nil {
		return
	}
	row.Step, row.StepsDone = strings.TrimPrefix(tp.Current, topology+"-"), len(tp.Done)
	if row.Step == "" {
		// The guide saves the step only on a move.
		row.Step = strings.TrimPrefix(firstToDo(kb.Topology(topology), tp), topology+"-")
	}
	passing := map[string]bool{}
	for _, d := range tp.Done {
		for _, c := range d.Checks {
			if c.Status == "pass" {
				passing[c.ID] = true
			}
		}
	}
	row.ChecksPassing = len(passing)
}

func firstToDo(t *knowledge.Topology, tp *progress.Topology) string {
	if t == nil {
		return ""
	}
	for _, st := range t.Steps {
		if _, done := tp.IsDone(st.ID); !done {
			return st.ID
		}
	}
	return "(all done)"
}

// progressKey is where the guide keeps a lab scenario's progress (as
// `ucpilot lab` does, in the trainee's own folder here).
func progressKey(scenario string) string { return "lab:" + scenario }

// WriteStatus prints rows as a table; now dates the "ago" column.
func WriteStatus(w io.Writer, rows []StatusRow, bad int, now time.Time) error {
	if len(rows) == 0 {
		fmt.Fprintln(w, "No trainees yet: none has connected to this classroom.")
	} else {
		rows = append([]StatusRow(nil), rows...)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Online && !rows[j].Online })
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TRAINEE (KEY)\tSCENARIO\tSTEP\tDONE\tCHECKS\tLAST ACTIVITY")
		for _, r := range rows {
			step := r.Step
			if step == "" {
				step = "-"
			}
			scenario := r.Scenario
			if scenario == "" {
				scenario = "(choosing)"
			}
			fmt.Fprintf(tw, "%s %s\t%s\t%s\t%d/%d\t%d\t%s\n", safetext.Line(r.User, 24), shortKey(r.Fingerprint),
				safetext.Line(scenario, 32), safetext.Line(step, 40), r.StepsDone, r.StepsTotal, r.ChecksPassing,
				lastActivity(r, now))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if bad > 0 {
		fmt.Fprintf(w, "(%d trainee record(s) could not be read)\n", bad)
	}
	return nil
}

// shortKey keeps enough of a fingerprint to tell two trainees of one
// name apart on an 80-column screen: (ksUD) for SHA256:ksUDu2ki….
func shortKey(fp string) string {
	fp = strings.TrimPrefix(safetext.Line(fp, 80), "SHA256:")
	if len(fp) > 4 {
		fp = fp[:4]
	}
	return "(" + fp + ")"
}

func lastActivity(r StatusRow, now time.Time) string {
	if r.LastActivity.IsZero() {
		return "-"
	}
	ago := now.Sub(r.LastActivity).Round(time.Second)
	var s string
	switch {
	case ago < time.Minute:
		s = "just now"
	case ago < time.Hour:
		s = fmt.Sprintf("%dm ago", int(ago.Minutes()))
	case ago < 48*time.Hour:
		s = fmt.Sprintf("%dh ago", int(ago.Hours()))
	default:
		s = r.LastActivity.Local().Format("2006-01-02")
	}
	if r.Online {
		s = "online, " + s
	}
	return strings.TrimSpace(s)
}
