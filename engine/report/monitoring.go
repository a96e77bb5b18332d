package report

// The formats monitoring systems read: monitoring-plugin performance data
// (Nagios, Icinga, Checkmk, Naemon) appended to the text report, and the
// OpenMetrics text format for node_exporter's textfile collector or a
// Pushgateway. Both read only results' statuses, targets and metrics.

import (
	"net"
	"net/url"
	"strings"

	"github.com/ucpilot/ucpilot/engine"
)

// Thresholds are the certificate days-left levels stated with the
// performance data (profile monitoring.warn_days / critical_days).
type Thresholds struct {
	WarnDays, CriticalDays int
}

// server is the host a result's target names: the host of a URL, the host
// of host:port, or the target itself.
func server(target string) string {
	t := strings.TrimSpace(target)
	if strings.Contains(t, "://") {
		if u, err := url.Parse(t); err == nil && u.Hostname() != "" {
			return strings.ToLower(u.Hostname())
		}
	}
	if h, _, err := net.SplitHostPort(t); err == nil {
		return strings.ToLower(h)
	}
	return strings.ToLower(t)
}

// sample is one metric of one server, the worst seen when several results
// report the same (a fleet check and the single-server check both read
// exch01's auth certificate).
type sample struct {
	server, metric, check string
	value                 float64
}

// samples collects the results' metrics in report order, one per server
// and metric name, keeping the lowest value (the fewest days left).
func samples(r engine.Report) []sample {
	var out []sample
	at := map[string]int{}
	for _, c := range withServers(r.Checks) {
		for _, m := range c.Metrics {
			s := sample{server: server(c.Target), metric: m.Name, check: c.ID, value: m.Value}
			key := s.server + "\x00" + s.metric
			if i, ok := at[key]; ok {
				if s.value < out[i].value {
					out[i] = s
				}
				continue
			}
			at[key] = len(out)
			out = append(out, s)
		}
	}
	return out
}

// withServers lists the results and, after each fleet check, its
// per-server results (which carry the per-server metrics).
func withServers(checks []engine.Result) []engine.Result {
	out := make([]engine.Result, 0, len(checks))
	for _, c := range checks {
		out = append(out, c)
		out = append(out, c.Servers...)
	}
	return out
}
