package main

import (
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// The text output of a run ends with monitoring-plugin performance data,
// and --format openmetrics is read by Prometheus' own parser.
func TestCheckMonitoringOutputs(t *testing.T) {
	code, out, stderr := runCLI(t, "check", "--lab", "healthy")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	last := lines[len(lines)-1]
	if !regexp.MustCompile(`^\| 'exch01_auth_cert_days'=\d+;60:;30: 'pool01_oauth_cert_days'=\d+;60:;30:$`).MatchString(last) {
		t.Errorf("the text output should end with performance data, ends with %q", last)
	}

	code, out, stderr = runCLI(t, "check", "--lab", "healthy", "--format", "openmetrics")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	dec := expfmt.NewDecoder(strings.NewReader(out), expfmt.NewFormat(expfmt.TypeOpenMetrics))
	names := map[string]int{}
	for {
		var mf dto.MetricFamily
		err := dec.Decode(&mf)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("expfmt rejects the output: %v\n%s", err, out)
		}
		names[mf.GetName()] = len(mf.Metric)
	}
	if names["ucpilot_certificate_remaining_seconds"] != 2 || names["ucpilot_check_status"] < 10 {
		t.Errorf("families %v", names)
	}
	if code, _, stderr := runCLI(t, "check", "--lab", "healthy", "--format", "prometheus"); code != 3 {
		t.Errorf("an unknown format should exit 3, got %d %s", code, stderr)
	}
}
