package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/knowledge"
)

func sampleReport() engine.Report {
	checks := []engine.Result{
		{ID: "dns.pool", Group: "dns", Title: "Pool resolves", Target: "pool01.contoso.com", Status: engine.StatusPass,
			Summary: "pool01.contoso.com resolves to 10.0.0.7", Duration: 12 * time.Millisecond},
		{ID: "metadata.sfb", Group: "metadata", Title: "SfB metadata", Target: "https://pool01.contoso.com/metadata/jason/1",
			Status: engine.StatusFail, Summary: "the URL says jason | not json", Duration: 1500 * time.Millisecond,
			Evidence: []engine.Evidence{{Label: "status line", Value: "HTTP/1.1 404 Not Found"}, {Label: "body", Value: "line1\nline2"}},
			Pitfalls: []string{"metadata-url-jason"}, Insecure: true,
			Fix: engine.Fix{Text: "Use json.", Commands: []knowledge.Command{{Text: "Get-PartnerApplication | fl", Shell: knowledge.ShellEMS}}}},
		{ID: "tls.pool", Group: "tls", Title: "Pool cert", Status: engine.StatusWarn, Summary: "expires in 12 days"},
		{ID: "bearer.ews", Group: "bearer", Title: "EWS", Status: engine.StatusError, Summary: "connection refused"},
		{ID: "metadata.realm", Group: "metadata", Title: "Realm", Status: engine.StatusSkipped, Summary: "skipped: metadata.sfb failed"},
	}
	return engine.Report{Profile: "lab", Topology: "onprem", Duration: 2 * time.Second, Summary: engine.Summarize(checks), Checks: checks, Insecure: true}
}

func TestWriteJSONShape(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"profile", "topology", "duration_ms", "summary", "checks"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("report JSON lacks %q", k)
		}
	}
	sum := raw["summary"].(map[string]any)
	if sum["pass"] != 1.0 || sum["fail"] != 1.0 || sum["skipped"] != 1.0 {
		t.Errorf("summary %v", sum)
	}
	check := raw["checks"].([]any)[0].(map[string]any)
	var keys []string
	for k := range check {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"duration_ms", "evidence", "fix", "group", "id", "pitfalls", "status", "summary", "target", "title"}
	if !slices.Equal(keys, want) {
		t.Errorf("check keys %v, want %v", keys, want)
	}
	if check["evidence"] == nil || check["duration_ms"] != 12.0 {
		t.Errorf("a pass must carry [] evidence and whole ms: %v", check)
	}
	if fix := check["fix"].(map[string]any); fix["commands"] == nil || fix["text"] != "" {
		t.Errorf("fix shape %v", fix)
	}
	var back engine.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Checks[1].Duration != 1500*time.Millisecond || !reflect.DeepEqual(back.Checks[1].Evidence, r.Checks[1].Evidence) || !back.Insecure {
		t.Errorf("round trip lost data: %+v", back.Checks[1])
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, sampleReport()); err != nil { // a buffer is not a terminal: no colour
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes written to a non-terminal")
	}
	for _, want := range []string{"TLS CERTIFICATE VERIFICATION WAS OFF", "metadata.sfb", "fail", "HTTP/1.1 404 Not Found",
		"> Get-PartnerApplication | fl", "1 pass, 1 warn, 1 fail, 1 error, 1 skipped", "pitfalls: metadata-url-jason"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct {
		ascii bool
		marks []string
	}{{false, []string{"✓ pass", "! warn", "✗ fail", "E error", "- skipped"}}, {true, []string{"+ pass", "! warn", "x fail", "E error", "- skipped"}}} {
		buf.Reset()
		WriteTextWith(&buf, sampleReport(), TextOptions{ASCII: tc.ascii, Color: true})
		for _, m := range tc.marks {
			if !strings.Contains(buf.String(), m) {
				t.Errorf("ascii=%v: no %q", tc.ascii, m)
			}
		}
		if !strings.Contains(buf.String(), "\x1b[31m") {
			t.Error("colour requested but not written")
		}
		if tc.ascii && strings.ContainsAny(buf.String(), "✓✗") {
			t.Error("ASCII mode wrote Unicode glyphs")
		}
	}
}

func TestWriteMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"> **WARNING: TLS CERTIFICATE VERIFICATION WAS OFF",
		"| status | check | target | summary |",
		"| ✗ fail | `metadata.sfb` |",
		`the URL says jason \| not json`, // pipes escaped inside the table
		"## ✗ FAIL: SfB metadata",
		"```powershell\nGet-PartnerApplication | fl\n```",
		"```text\nline1\nline2\n```",
		"**Known pitfalls:** `metadata-url-jason`",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "## ✓") {
		t.Error("passing checks get no detail section")
	}
	if n := strings.Count(out, "\n## "); n != 4 {
		t.Errorf("%d detail sections, want 4 (every non-pass check)", n)
	}
}
