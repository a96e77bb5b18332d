// Package engine turns the knowledge base's check specs into concrete checks
// for a profile (Plan), runs them concurrently with deadlines and streams
// each Result as soon as it is ready (Run), explains findings with the
// knowledge base's pitfalls and renders their fix commands with the
// profile's values, and writes reports (text, JSON, Markdown). It never
// imports UI code: the TUI and the headless commands share it.
package engine

import (
	"encoding/json"
	"time"

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

// Statuses lists every status, best first.
var Statuses = []Status{StatusPass, StatusWarn, StatusFail, StatusError, StatusSkipped}

// Problem reports whether s calls for attention (and so for a fix).
func (s Status) Problem() bool { return s == StatusWarn || s == StatusFail || s == StatusError }

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
}

// Facts published by the built-in checks.
const (
	FactRealm      = "realm"      // OAuth realm stated by a metadata document's issuer
	FactIssuer     = "issuer"     // full issuer (appid@realm)
	FactAddresses  = "addresses"  // comma-separated addresses a name resolved to
	FactThumbprint = "thumbprint" // SHA-1 thumbprint of a signing certificate, upper-case hex
)

// Add appends one evidence line and returns r for chaining in checks.
func (r *Result) Add(label, value string) *Result {
	r.Evidence = append(r.Evidence, Evidence{Label: label, Value: value})
	return r
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
}

// MarshalJSON writes the stable shape: lists are [] rather than null, and
// the duration is whole milliseconds.
func (r Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{
		ID: r.ID, Group: r.Group, Title: r.Title, Target: r.Target, Status: r.Status,
		Summary: r.Summary, Evidence: r.Evidence, Pitfalls: r.Pitfalls, Fix: r.Fix,
		DurationMS: r.Duration.Milliseconds(), Insecure: r.Insecure,
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
		Duration: time.Duration(j.DurationMS) * time.Millisecond, Insecure: j.Insecure,
	}
	return nil
}
