package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ucpilot/ucpilot/engine"
)

// WritePerfdata writes one line of monitoring-plugin performance data:
//
//	| 'exch07_auth_cert_days'=12;60:;30: 'pool01_oauth_cert_days'=300;60:;30:
//
// Labels are the server's first DNS label and the metric name. The levels
// use the plugin range syntax: "60:" alerts below 60, which is what days
// left means (a bare "60" would alert above 60). Nothing is written when
// no result carries a metric. The line goes last in the text output:
// Nagios and Icinga read the performance data after the first "|" of the
// long output.
func WritePerfdata(w io.Writer, r engine.Report, t Thresholds) error {
	ss := samples(r)
	if len(ss) == 0 {
		return nil
	}
	parts := make([]string, 0, len(ss))
	seen := map[string]bool{}
	for _, s := range ss {
		label := perfLabel(s.server, s.metric)
		if seen[label] { // two servers whose first labels clash: keep the first
			continue
		}
		seen[label] = true
		parts = append(parts, fmt.Sprintf("'%s'=%s;%d:;%d:", label, strconv.FormatFloat(s.value, 'f', -1, 64), t.WarnDays, t.CriticalDays))
	}
	_, err := fmt.Fprintf(w, "| %s\n", strings.Join(parts, " "))
	return err
}

// perfLabel is short-name_metric with every character outside [a-z0-9_.-]
// replaced by "_": a label may hold neither "'" nor "=", and the names
// come from servers.
func perfLabel(host, metric string) string {
	short, _, _ := strings.Cut(host, ".")
	if short == "" {
		short = "run"
	}
	var b strings.Builder
	for _, c := range strings.ToLower(short) + "_" + metric {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
