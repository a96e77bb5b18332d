package engine

import (
	"context"
	"encoding/json"
	"time"
)

// Summary counts results by status.
type Summary struct {
	Pass    int `json:"pass"`
	Warn    int `json:"warn"`
	Fail    int `json:"fail"`
	Error   int `json:"error"`
	Skipped int `json:"skipped"`
}

// Add counts one status.
func (s *Summary) Add(st Status) {
	switch st {
	case StatusPass:
		s.Pass++
	case StatusWarn:
		s.Warn++
	case StatusFail:
		s.Fail++
	case StatusError:
		s.Error++
	default:
		s.Skipped++
	}
}

// Total is the number of results counted.
func (s Summary) Total() int { return s.Pass + s.Warn + s.Fail + s.Error + s.Skipped }

// Summarize counts results.
func Summarize(results []Result) Summary {
	var s Summary
	for _, r := range results {
		s.Add(r.Status)
	}
	return s
}

// Exit codes of a check run. ExitCouldNotRun is the CLI's, for a bad
// profile or bad flags: no check ran at all.
const (
	ExitPass        = 0
	ExitWarn        = 1
	ExitFail        = 2
	ExitCouldNotRun = 3
)

// ExitCode maps a summary to the process exit code: 0 when everything
// passed (skips are fine), 1 with warnings, 2 with any fail or error.
func ExitCode(s Summary) int {
	switch {
	case s.Fail > 0 || s.Error > 0:
		return ExitFail
	case s.Warn > 0:
		return ExitWarn
	}
	return ExitPass
}

// Report is one finished run, ready to print.
type Report struct {
	Profile  string
	Topology string
	Duration time.Duration
	Summary  Summary
	Checks   []Result // in plan order
	// Insecure is true when TLS verification was off: every output says so
	// loudly.
	Insecure bool
	// NotImplemented lists checks the plan selected but could not run yet.
	NotImplemented []string
}

// NewReport orders results by the plan and summarizes them. Results for
// checks not in the plan are appended at the end.
func NewReport(plan *Plan, results []Result, d time.Duration) Report {
	byID := make(map[string]Result, len(results))
	for _, r := range results {
		byID[r.ID] = r
	}
	ordered := make([]Result, 0, len(results))
	for _, c := range plan.Checks {
		if r, ok := byID[c.Spec.ID]; ok {
			ordered = append(ordered, r)
			delete(byID, c.Spec.ID)
		}
	}
	for _, r := range results {
		if _, ok := byID[r.ID]; ok {
			ordered = append(ordered, r)
		}
	}
	return Report{
		Profile: plan.Profile.Label(), Topology: plan.Topology, Duration: d,
		Summary: Summarize(ordered), Checks: ordered, Insecure: plan.Net.Insecure,
		NotImplemented: plan.NotImplemented,
	}
}

// Collect runs the plan to the end and returns the report (the headless
// `ucpilot check`).
func Collect(ctx context.Context, plan *Plan, opts RunOptions) Report {
	start := time.Now()
	var results []Result
	for r := range Run(ctx, plan, opts) {
		results = append(results, r)
	}
	return NewReport(plan, results, time.Since(start))
}

type reportJSON struct {
	Profile        string   `json:"profile"`
	Topology       string   `json:"topology"`
	DurationMS     int64    `json:"duration_ms"`
	Summary        Summary  `json:"summary"`
	Checks         []Result `json:"checks"`
	Insecure       bool     `json:"insecure"`
	NotImplemented []string `json:"not_implemented,omitempty"`
}

// MarshalJSON writes the stable report shape.
func (r Report) MarshalJSON() ([]byte, error) {
	checks := r.Checks
	if checks == nil {
		checks = []Result{}
	}
	return json.Marshal(reportJSON{r.Profile, r.Topology, r.Duration.Milliseconds(), r.Summary, checks, r.Insecure, r.NotImplemented})
}

// UnmarshalJSON reads a saved report back.
func (r *Report) UnmarshalJSON(data []byte) error {
	var j reportJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*r = Report{j.Profile, j.Topology, time.Duration(j.DurationMS) * time.Millisecond, j.Summary, j.Checks, j.Insecure, j.NotImplemented}
	return nil
}
