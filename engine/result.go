// Package engine turns the knowledge base's check specs into concrete checks
// for a profile (Plan), runs them concurrently with deadlines and streams
// each Result as soon as it is ready (Run), explains findings with the
// knowledge base's pitfalls and renders their fix commands with the
// profile's values, and collects a finished run into a Report (written out
// by engine/report). The check implementations are listed in Builtins. It
// never imports UI code or a terminal package: the TUI and the headless
// commands share it.
package engine

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ucpilot/ucpilot/internal/safetext"
	"github.com/ucpilot/ucpilot/knowledge"
)

// Status is the outcome of one check. The values are stable: JSON reports
// and exit codes depend on them.
type Status string

const (
	StatusPass    Status = "pass"
	StatusWarn    Status = "warn"    // works, but something needs attention soon (expiry, a missing optional record)
	StatusFail    Status = "fail"    // the check ran and found the integration broken
	StatusError   Status = "error"   // the check could not reach a verdict (network down, timeout, bad answer)
	StatusSkipped Status = "skipped" // not run: a dependency did not pass, or the run was cancelled
)

// Statuses returns every status, best first.
func Statuses() []Status {
	return []Status{StatusPass, StatusWarn, StatusFail, StatusError, StatusSkipped}
}

// Problem reports whether s calls for attention (and so for a fix).
func (s Status) Problem() bool { return s == StatusWarn || s == StatusFail || s == StatusError }

// Glyph is the status mark that reads without colour.
func Glyph(s Status, ascii bool) string {
	uni := map[Status]string{StatusPass: "✓", StatusWarn: "!", StatusFail: "✗", StatusError: "E", StatusSkipped: "-"}
	asc := map[Status]string{StatusPass: "+", StatusWarn: "!", StatusFail: "x", StatusError: "E", StatusSkipped: "-"}
	if ascii {
		return asc[s]
	}
	return uni[s]
}

// InsecureBanner is the warning every output carries when TLS
// verification was off.
const InsecureBanner = "TLS CERTIFICATE VERIFICATION WAS OFF (tls.insecure: true). " +
	"These results do not show whether the certificates are trusted, and anyone in the network path could have answered."

// Evidence is one thing the check actually saw: a status line, a header, a
// field value, a certificate's subject or dates.
type Evidence struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Fix is what to do about a finding: the explanation and copy-ready
// commands, already rendered with the profile's values.
type Fix struct {
	Text     string              `json:"text"`
	Commands []knowledge.Command `json:"commands"`
}

// Empty reports whether the fix says nothing.
func (f Fix) Empty() bool { return f.Text == "" && len(f.Commands) == 0 }

// Result is the outcome of one check. A CheckFunc fills Status, Summary,
// Evidence, Pitfalls and Facts (and Target when it refines it); the engine
// fills ID, Group, Title, Fix, Duration and Insecure.
type Result struct {
	ID       string
	Group    string
	Title    string
	Target   string
	Status   Status
	Summary  string
	Evidence []Evidence
	// Pitfalls are ids of knowledge base pitfalls that explain the finding.
	Pitfalls []string
	Fix      Fix
	Duration time.Duration
	// Insecure is true when TLS verification was off for this check.
	Insecure bool
	// Facts are values a check publishes for the checks that depend on it
	// (the realm a metadata document states, the addresses a name resolved
	// to). Keys are the Fact* constants. They are not part of the JSON.
	Facts map[string]string
	// Metrics are numbers a monitoring system graphs (days a certificate
	// has left); the perfdata and OpenMetrics writers read them.
	Metrics []Metric
	// Settings are the values one server showed, by setting (a row of the
	// fleet grid); Servers are the per-server results of a fleet check,
	// each with the server's name as its Target.
	Settings []Setting
	Servers  []Result
	// moreEvidence counts the rows Add dropped past MaxEvidence.
	moreEvidence int
}

// Metric is one measured number of a result. Name is a snake_case word
// stable across runs (auth_cert_days); the server it belongs to is the
// result's Target.
type Metric struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Setting is one value a server showed for one setting of a fleet
// check (a cell of the grid), judged on its own.
type Setting struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Status Status `json:"status"`
}

// Metric names the built-in checks publish.
const (
	MetricAuthCertDays  = "auth_cert_days"  // Exchange auth certificate: days until NotAfter
	MetricOAuthCertDays = "oauth_cert_days" // SfB OAuthTokenIssuer certificate: days until NotAfter
)

// SetMetric records (or replaces) one metric.
func (r *Result) SetMetric(name string, v float64) {
	for i := range r.Metrics {
		if r.Metrics[i].Name == name {
			r.Metrics[i].Value = v
			return
		}
	}
	r.Metrics = append(r.Metrics, Metric{Name: name, Value: v})
}

// MaxEvidence bounds the evidence rows one result keeps: a server that
// sends thirty thousand junk keys yields the first rows and a line saying
// how many more there were, not thirty thousand rows.
const MaxEvidence = 40

// Facts published by the built-in checks.
const (
	FactRealm      = "realm"      // OAuth realm stated by a metadata document's issuer
	FactIssuer     = "issuer"     // full issuer (appid@realm)
	FactAddresses  = "addresses"  // comma-separated addresses a name resolved to
	FactThumbprint = "thumbprint" // SHA-1 thumbprint of a signing certificate, upper-case hex
)

// Add appends one evidence line and returns r for chaining in checks.
// Past MaxEvidence rows it only counts them (see makeSafe).
func (r *Result) Add(label, value string) *Result {
	if len(r.Evidence) >= MaxEvidence {
		r.moreEvidence++
		return r
	}
	r.Evidence = append(r.Evidence, Evidence{Label: label, Value: value})
	return r
}

// makeSafe is the one boundary between what checks saw and what any view
// or report shows: every secret the run knows is redacted (redact may be
// nil), control characters are shown visibly, invalid UTF-8 is replaced,
// long values are cut with a note, and the evidence is capped at
// MaxEvidence rows plus one saying how many more there were. The engine
// calls it on every result it sends, so the TUI, the text, JSON and
// Markdown reports and saved reports all see the same safe text.
func makeSafe(r *Result, redact func(string) string) {
	clean := func(s string, line bool, max int) string {
		if redact != nil && s != "" {
			s = redact(s)
		}
		if line {
			return safetext.Line(s, max)
		}
		return safetext.String(s, max)
	}
	r.Target = clean(r.Target, true, safetext.MaxLine)
	r.Summary = clean(r.Summary, false, safetext.MaxLine)
	more := r.moreEvidence
	if len(r.Evidence) > MaxEvidence {
		more += len(r.Evidence) - MaxEvidence
		r.Evidence = r.Evidence[:MaxEvidence:MaxEvidence]
	}
	ev := make([]Evidence, len(r.Evidence), len(r.Evidence)+1)
	for i, e := range r.Evidence {
		ev[i] = Evidence{Label: clean(e.Label, true, safetext.MaxLine), Value: clean(e.Value, false, safetext.MaxValue)}
	}
	if more > 0 {
		label := "more"
		if n := len(ev); n > 0 {
			label = ev[n-1].Label
		}
		ev = append(ev, Evidence{Label: label, Value: fmt.Sprintf("and %s more like it (not shown)", thousands(more))})
	}
	if r.Evidence != nil || more > 0 {
		r.Evidence = ev
	}
	r.moreEvidence = 0
	for i := range r.Settings {
		r.Settings[i].Name = clean(r.Settings[i].Name, true, safetext.MaxLine)
		r.Settings[i].Value = clean(r.Settings[i].Value, true, safetext.MaxLine)
	}
	for i := range r.Servers {
		makeSafe(&r.Servers[i], redact)
	}
	r.Fix.Text = clean(r.Fix.Text, false, 0)
	if len(r.Fix.Commands) > 0 {
		cmds := make([]knowledge.Command, len(r.Fix.Commands))
		for i, c := range r.Fix.Commands {
			c.Text = clean(c.Text, false, 0)
			cmds[i] = c
		}
		r.Fix.Commands = cmds
	}
}

// thousands writes n with comma separators (29,994).
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// SetFact records a fact for dependants.
func (r *Result) SetFact(key, value string) {
	if r.Facts == nil {
		r.Facts = map[string]string{}
	}
	r.Facts[key] = value
}

type resultJSON struct {
	ID         string     `json:"id"`
	Group      string     `json:"group"`
	Title      string     `json:"title"`
	Target     string     `json:"target"`
	Status     Status     `json:"status"`
	Summary    string     `json:"summary"`
	Evidence   []Evidence `json:"evidence"`
	Pitfalls   []string   `json:"pitfalls"`
	Fix        Fix        `json:"fix"`
	DurationMS int64      `json:"duration_ms"`
	Insecure   bool       `json:"insecure,omitempty"`
	Metrics    []Metric   `json:"metrics,omitempty"`
	Settings   []Setting  `json:"settings,omitempty"`
	Servers    []Result   `json:"servers,omitempty"`
}

// MarshalJSON writes the stable shape: lists are [] rather than null, and
// the duration is whole milliseconds.
func (r Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{
		ID: r.ID, Group: r.Group, Title: r.Title, Target: r.Target, Status: r.Status,
		Summary: r.Summary, Evidence: r.Evidence, Pitfalls: r.Pitfalls, Fix: r.Fix,
		DurationMS: r.Duration.Milliseconds(), Insecure: r.Insecure, Metrics: r.Metrics,
		Settings: r.Settings, Servers: r.Servers,
	}
	if j.Evidence == nil {
		j.Evidence = []Evidence{}
	}
	if j.Pitfalls == nil {
		j.Pitfalls = []string{}
	}
	if j.Fix.Commands == nil {
		j.Fix.Commands = []knowledge.Command{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes, so saved reports load back.
func (r *Result) UnmarshalJSON(data []byte) error {
	var j resultJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*r = Result{
		ID: j.ID, Group: j.Group, Title: j.Title, Target: j.Target, Status: j.Status,
		Summary: j.Summary, Evidence: j.Evidence, Pitfalls: j.Pitfalls, Fix: j.Fix,
		Duration: time.Duration(j.DurationMS) * time.Millisecond, Insecure: j.Insecure, Metrics: j.Metrics,
		Settings: j.Settings, Servers: j.Servers,
	}
	return nil
}
