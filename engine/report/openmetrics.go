package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/engine"
)

// ContentType is the media type of WriteOpenMetrics' output (for a
// Pushgateway PUT).
const ContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"

// statusCode is a check status as a gauge value, in the monitoring-plugin
// order: 0 pass, 1 warn, 2 fail, 3 error; a skipped check is -1 (it has no
// verdict, and an alert rule on "> 0" must not fire on it).
func statusCode(s engine.Status) int {
	switch s {
	case engine.StatusPass:
		return 0
	case engine.StatusWarn:
		return 1
	case engine.StatusFail:
		return 2
	case engine.StatusError:
		return 3
	}
	return -1
}

// WriteOpenMetrics writes the report in the OpenMetrics 1.0 text format:
//
//	ucpilot_certificate_remaining_seconds{server,certificate}  time until expiry
//	ucpilot_check_status{check,group,server}           0 pass … 3 error, -1 skipped
//	ucpilot_checks{status}                             results per status
//	ucpilot_run_duration_seconds, ucpilot_run_timestamp_seconds
//
// at is the run's end (the timestamp gauge, so an alert can tell a stale
// textfile from a fresh one). Label values are escaped; they come from
// servers.
func WriteOpenMetrics(w io.Writer, r engine.Report, at time.Time) error {
	om := &omWriter{w: w}
	// Prometheus wants base units, so the days the checks measure are
	// given as seconds (whole days: alerts work in days anyway).
	om.family("ucpilot_certificate_remaining_seconds", "Time until the signing certificate expires, in whole days; negative once expired.")
	for _, s := range samples(r) {
		om.sample("ucpilot_certificate_remaining_seconds", s.value*86400, "server", s.server, "certificate", strings.TrimSuffix(s.metric, "_days"))
	}
	om.family("ucpilot_check_status", "Outcome of one check on one server: 0 pass, 1 warn, 2 fail, 3 error, -1 skipped.")
	seen := map[string]bool{}
	for _, c := range withServers(r.Checks) {
		srv := server(c.Target)
		if key := c.ID + "\x00" + srv; seen[key] {
			continue // one series per check and server
		} else {
			seen[key] = true
		}
		om.sample("ucpilot_check_status", float64(statusCode(c.Status)), "check", c.ID, "group", c.Group, "server", srv)
	}
	om.family("ucpilot_checks", "Checks of the run by outcome.")
	counts := map[string]int{"pass": r.Summary.Pass, "warn": r.Summary.Warn, "fail": r.Summary.Fail, "error": r.Summary.Error, "skipped": r.Summary.Skipped}
	names := make([]string, 0, len(counts))
	for k := range counts {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		om.sample("ucpilot_checks", float64(counts[k]), "status", k)
	}
	om.family("ucpilot_run_duration_seconds", "Wall time of the check run.")
	om.sample("ucpilot_run_duration_seconds", r.Duration.Seconds())
	om.family("ucpilot_run_timestamp_seconds", "When the check run ended (Unix time).")
	om.sample("ucpilot_run_timestamp_seconds", float64(at.UnixMilli())/1000)
	om.printf("# EOF\n")
	return om.err
}

type omWriter struct {
	w   io.Writer
	err error
}

func (o *omWriter) printf(format string, a ...any) {
	if o.err == nil {
		_, o.err = fmt.Fprintf(o.w, format, a...)
	}
}

func (o *omWriter) family(name, help string) {
	o.printf("# TYPE %s gauge\n# HELP %s %s\n", name, name, help)
}

// sample writes name{k="v",...} value; labels come in pairs.
func (o *omWriter) sample(name string, v float64, labels ...string) {
	var b strings.Builder
	b.WriteString(name)
	if len(labels) > 0 {
		b.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(labels[i])
			b.WriteString(`="`)
			b.WriteString(escapeLabel(labels[i+1]))
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	o.printf("%s %s\n", b.String(), strconv.FormatFloat(v, 'g', -1, 64))
}

// escapeLabel escapes a label value as OpenMetrics requires: backslash,
// double quote and line feed.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}
