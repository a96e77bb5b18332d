package report

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/ucpilot/ucpilot/engine"
)

func fleetReport() engine.Report {
	res := func(id, group, target string, st engine.Status, metrics ...engine.Metric) engine.Result {
		return engine.Result{ID: id, Group: group, Target: target, Status: st, Metrics: metrics}
	}
	checks := []engine.Result{
		res("fleet.exchange.authcert", "fleet", "exch01.contoso.com", engine.StatusPass, engine.Metric{Name: engine.MetricAuthCertDays, Value: 700}),
		res("fleet.exchange.authcert", "fleet", "exch07.contoso.com", engine.StatusWarn, engine.Metric{Name: engine.MetricAuthCertDays, Value: 12}),
		// The single-server check reads exch01's certificate too: one sample, the worst.
		res("ps.exchange.authconfig", "powershell", "exch01.contoso.com", engine.StatusPass, engine.Metric{Name: engine.MetricAuthCertDays, Value: 699}),
		res("fleet.sfb.oauthcert", "fleet", "fe06.contoso.com:4443", engine.StatusFail, engine.Metric{Name: engine.MetricOAuthCertDays, Value: -3}),
		res("bearer.ews", "bearer", "https://mail.contoso.com/EWS/Exchange.asmx", engine.StatusError),
		res("dns.pool", "dns", "pool01.contoso.com", engine.StatusSkipped),
		// A hostile target: quotes, a backslash and a line break reach labels escaped.
		res("fleet.exchange.clock", "fleet", "evil\"\\\nhost", engine.StatusPass),
	}
	return engine.Report{Profile: "t", Topology: "onprem", Duration: 1500 * time.Millisecond, Checks: checks, Summary: engine.Summarize(checks)}
}

func TestPerfdata(t *testing.T) {
	var b bytes.Buffer
	if err := WritePerfdata(&b, fleetReport(), Thresholds{WarnDays: 60, CriticalDays: 30}); err != nil {
		t.Fatal(err)
	}
	want := "| 'exch01_auth_cert_days'=699;60:;30: 'exch07_auth_cert_days'=12;60:;30: 'fe06_oauth_cert_days'=-3;60:;30:\n"
	if b.String() != want {
		t.Errorf("perfdata\n got %q\nwant %q", b.String(), want)
	}
	b.Reset()
	if err := WritePerfdata(&b, engine.Report{}, Thresholds{60, 30}); err != nil || b.Len() != 0 {
		t.Errorf("no metrics should write nothing, wrote %q (%v)", b.String(), err)
	}
}

func TestPerfLabelIsSafe(t *testing.T) {
	for _, host := range []string{"ex'ch=01.contoso.com", "EXCH 01", "", "éxch"} {
		l := perfLabel(host, "auth_cert_days")
		if strings.ContainsAny(l, "'= \t\n") {
			t.Errorf("perfLabel(%q) = %q", host, l)
		}
	}
}

// parseOpenMetrics reads the output with Prometheus' own OpenMetrics 1.0
// parser (expfmt), not one written here.
func parseOpenMetrics(t *testing.T, data []byte) map[string]*dto.MetricFamily {
	t.Helper()
	dec := expfmt.NewDecoder(bytes.NewReader(data), expfmt.NewFormat(expfmt.TypeOpenMetrics))
	fams := map[string]*dto.MetricFamily{}
	for {
		var mf dto.MetricFamily
		err := dec.Decode(&mf)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("expfmt rejects the output: %v\n%s", err, data)
		}
		fams[mf.GetName()] = &mf
	}
	return fams
}

func TestOpenMetricsParses(t *testing.T) {
	var b bytes.Buffer
	if err := WriteOpenMetrics(&b, fleetReport(), time.Unix(1764806400, 0)); err != nil {
		t.Fatal(err)
	}
	fams := parseOpenMetrics(t, b.Bytes())
	days := fams["ucpilot_certificate_remaining_seconds"]
	if days == nil || days.GetType() != dto.MetricType_GAUGE {
		t.Fatalf("no certificate days gauge: %v", fams)
	}
	got := map[string]float64{}
	for _, m := range days.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		got[labels["server"]+"/"+labels["certificate"]] = m.GetGauge().GetValue() / 86400
	}
	want := map[string]float64{"exch01.contoso.com/auth_cert": 699, "exch07.contoso.com/auth_cert": 12, "fe06.contoso.com/oauth_cert": -3}
	if len(got) != len(want) {
		t.Errorf("days = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("days[%s] = %v, want %v", k, got[k], v)
		}
	}
	status := map[string]float64{}
	for _, m := range fams["ucpilot_check_status"].Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		status[labels["check"]+"@"+labels["server"]] = m.GetGauge().GetValue()
	}
	for k, v := range map[string]float64{
		"fleet.exchange.authcert@exch07.contoso.com": 1, "fleet.sfb.oauthcert@fe06.contoso.com": 2,
		"bearer.ews@mail.contoso.com": 3, "dns.pool@pool01.contoso.com": -1, "fleet.exchange.clock@evil\"\\\nhost": 0,
	} {
		if s, ok := status[k]; !ok || s != v {
			t.Errorf("status[%q] = %v (present %v), want %v; all %v", k, s, ok, v, status)
		}
	}
	if n := fams["ucpilot_checks"]; n == nil || len(n.Metric) != 5 {
		t.Errorf("ucpilot_checks = %v", n)
	}
	if !strings.HasSuffix(b.String(), "# EOF\n") {
		t.Error("OpenMetrics output must end with # EOF")
	}
}

// TestPromtoolChecksMetrics runs Prometheus' promtool (Debian package
// prometheus, installed by .ci/run) over the output when it is present.
func TestPromtoolChecksMetrics(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (Debian package prometheus); expfmt's parser still checked the output")
	}
	var b bytes.Buffer
	if err := WriteOpenMetrics(&b, fleetReport(), time.Unix(1764806400, 0)); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = &b
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}
