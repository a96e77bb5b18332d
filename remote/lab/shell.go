package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
	"github.com/ucpilot/ucpilot/remote/shell"
)

var _ shell.Shell = (*Shell)(nil)

// shellHosts says on which lab machine each kind of shell runs.
var shellHosts = map[string]string{
	"ems": "exch01", "cmd": "exch01", "pki": "exch01", "sfbms": "fe01", "dns": "dc01",
	"graph": "admin01", "msonline": "admin01", "sfbonline": "admin01", "exo": "admin01",
}

// topologyShells lists the shell kinds that make sense in each topology.
var topologyShells = map[string][]string{
	"onprem":    {"ems", "sfbms", "cmd", "dns", "pki"},
	"hybrid":    {"sfbms", "ems", "graph", "msonline", "sfbonline", "cmd", "dns", "pki"},
	"sfbonline": {"ems", "graph", "msonline", "sfbonline", "exo", "cmd", "dns", "pki"},
}

// Shells returns the shell kinds this lab's topology has. A fix command for
// any other kind (a tenant cmdlet in an on-premises lab) does not apply.
func (l *Lab) Shells() []string { return append([]string(nil), topologyShells[l.state.Topology]...) }

// Shell is a PowerShell session on one lab machine. Variables persist from
// one Run to the next, as in an open console.
type Shell struct {
	lab  *Lab
	kind string
	host string
	mu   sync.Mutex
	vars map[string]ps.Value
}

// Shell opens a session of the given kind (the knowledge base's shell ids:
// ems, sfbms, graph, msonline, sfbonline, exo, cmd, dns, pki). A kind the
// topology lacks, or an unknown kind, yields a shell whose every Run fails
// with a message saying so.
func (l *Lab) Shell(kind string) *Shell {
	h := shellHosts[kind]
	if hh, _, ok := strings.Cut(kind, "@"); ok && shellHosts[hh] != "" { // sfbms@fe02: a given machine
		kind, h = hh, strings.TrimPrefix(kind[len(hh):], "@")
	}
	return &Shell{lab: l, kind: kind, host: h, vars: map[string]ps.Value{}}
}

// Target names where scripts run.
func (sh *Shell) Target() string {
	return fmt.Sprintf("%s.%s (lab %s, %s shell)", sh.host, labDomain, sh.lab.Info.Name, sh.kind)
}

// Close ends the session; the lab itself keeps running.
func (sh *Shell) Close() error { return nil }

func (sh *Shell) available() error {
	if shellHosts[sh.kind] == "" {
		return fmt.Errorf("the lab has no %q shell; kinds: ems, sfbms, graph, msonline, sfbonline, exo, cmd, dns, pki", sh.kind)
	}
	for _, k := range sh.lab.Shells() {
		if k == sh.kind {
			return nil
		}
	}
	return fmt.Errorf("the %s shell does not apply to this lab scenario (topology %s has %s)",
		sh.kind, sh.lab.state.Topology, strings.Join(sh.lab.Shells(), ", "))
}

var encodedRE = regexp.MustCompile(`(?i)-EncodedCommand\s+([A-Za-z0-9+/=]+)`)

// Run interprets script. Scripts rendered by shell.Script are understood
// (arguments become variables; with JSON the output comes back in the
// envelope), and so is a powershell.exe -EncodedCommand line.
func (sh *Shell) Run(ctx context.Context, script string) (shell.Result, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return shell.Result{}, err
	}
	if m := encodedRE.FindStringSubmatch(script); m != nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(script)), "powershell") {
		dec, err := shell.DecodeCommand(m[1])
		if err != nil {
			return shell.Result{}, err
		}
		script = dec
	}
	var res shell.Result
	if err := sh.available(); err != nil {
		res = shell.Result{Stderr: err.Error() + "\n", ExitCode: 1}
	} else {
		res = sh.run(script)
	}
	res.Duration = time.Since(start)
	return res, nil
}

func (sh *Shell) run(script string) shell.Result {
	body, jsonOut := script, false
	args := map[string]string{}
	if strings.HasPrefix(script, "# ucpilot script v1\n") {
		s, err := shell.ParseRendered(script)
		if err != nil {
			return shell.Result{Stderr: "lab: " + err.Error() + "\n", ExitCode: 1}
		}
		body, jsonOut, args = s.Body, s.JSON, s.Args
	}
	parsed, err := ps.Parse(body)
	if err != nil {
		return sh.failure(&ps.Error{Msg: err.Error(), Category: "ParserError", ID: "ParseException",
			ExType: "System.Management.Automation.ParseException"}, jsonOut, "")
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for k, v := range args {
		sh.vars[strings.ToLower(k)] = v
	}
	st := sh.lab.state
	st.mu.Lock()
	var out strings.Builder
	ip := &interp{lab: sh.lab, st: st, kind: sh.kind, host: sh.host, out: &out}
	ip.ps = ps.New(ip, sh.vars)
	vals, runErr := ip.ps.Run(parsed)
	st.mu.Unlock()
	if runErr != nil {
		return sh.failure(runErr, jsonOut, out.String()+ps.Render(vals))
	}
	if jsonOut {
		if vals == nil {
			vals = []ps.Value{}
		}
		return shell.Result{Stdout: out.String() + "\n" + shell.JSONMarker + "\n" + ps.ToJSON([]ps.Value(vals), 5, true)}
	}
	return shell.Result{Stdout: out.String() + ps.Render(vals)}
}

// failure reports an error like PowerShell: the error record on stderr and
// exit code 1 (the envelope's JSON error object when JSON was asked for).
func (sh *Shell) failure(err error, jsonOut bool, stdout string) shell.Result {
	var pe *ps.Error
	if !errors.As(err, &pe) {
		pe = &ps.Error{Msg: err.Error(), Category: "NotSpecified", ID: "LabError", ExType: "System.Exception"}
	}
	if jsonOut {
		obj := map[string]any{"error": map[string]string{"message": pe.Msg, "type": pe.ExType, "category": pe.Category,
			"errorId": pe.ID, "target": "", "position": ""}}
		b, _ := json.Marshal(obj)
		return shell.Result{Stdout: stdout, Stderr: string(b), ExitCode: 1}
	}
	var b strings.Builder
	if pe.Cmd != "" {
		b.WriteString(pe.Cmd + " : ")
	}
	b.WriteString(pe.Msg + "\n")
	fmt.Fprintf(&b, "    + CategoryInfo          : %s: (:) [%s], %s\n", pe.Category, pe.Cmd, shortType(pe.ExType))
	fmt.Fprintf(&b, "    + FullyQualifiedErrorId : %s\n", pe.ID)
	return shell.Result{Stdout: stdout, Stderr: b.String(), ExitCode: 1}
}

func shortType(t string) string {
	if i := strings.LastIndex(t, "."); i >= 0 {
		return t[i+1:]
	}
	return t
}
