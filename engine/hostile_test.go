package engine

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ucpilot/ucpilot/engine/transcript"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// hostilePlan is a plan of one real check against the world, run through
// the engine's runner (so the boundary that makes results safe applies).
func hostilePlan(t *testing.T, w *world, id, group, target string, fn CheckFunc) *Plan {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(w.ca.Cert)
	p := labProfile()
	plan := &Plan{Profile: p.Effective(), Topology: "onprem", Vars: p.Vars(), kb: loadKB(t),
		Net: NetConfig{DNSServer: w.dns, RootCAs: roots}}
	plan.Checks = []Check{{Spec: knowledge.CheckSpec{ID: id, Group: group, Title: "hostile " + id}, Target: target, Run: fn}}
	return plan
}

func collectReport(t *testing.T, plan *Plan) Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return Collect(ctx, plan, RunOptions{CheckTimeout: 15 * time.Second})
}

// allReports renders r as text, JSON and Markdown.
func allReports(t *testing.T, r Report) map[string]string {
	t.Helper()
	out := map[string]string{}
	var b bytes.Buffer
	if err := WriteTextWith(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out["text"] = b.String()
	b.Reset()
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	out["json"] = b.String()
	b.Reset()
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out["markdown"] = b.String()
	return out
}

// A metadata document whose serviceName writes the clipboard (OSC 52) and
// clears the screen, with invalid UTF-8 besides, must reach no report as
// raw bytes: the escape shows as the visible text \x1b.
func TestHostileServiceNameIsShownVisibly(t *testing.T) {
	w := newWorld(t)
	n := time.Now()
	valid := w.cert("Microsoft Exchange Server Auth Certificate", n.Add(-24*time.Hour), n.Add(400*24*time.Hour), true)
	evil := "evil\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\xff\xfe"
	base := w.serve("md.contoso.lab", nil, serveBody("application/json", 200, metadataDoc(t, evil, "contoso.lab", valid)))
	check := metadataCheck(metadataSide{product: "Exchange", appID: AppIDExchange})
	r := collectReport(t, hostilePlan(t, w, "metadata.exchange", "metadata", base+"/autodiscover/metadata/json/1", check))
	if len(r.Checks) != 1 || r.Checks[0].Status != StatusFail {
		t.Fatalf("hostile service name: %+v", r.Checks)
	}
	for format, text := range allReports(t, r) {
		if strings.ContainsAny(text, "\x07\x1b") && format != "text" || strings.Contains(text, "\x1b]52") || strings.Contains(text, "\x1b[2J") {
			t.Errorf("%s report carries raw escape sequences:\n%q", format, text)
		}
		if !utf8.ValidString(text) {
			t.Errorf("%s report is not valid UTF-8", format)
		}
		if format != "json" && !strings.Contains(text, `\x1b]52`) {
			t.Errorf("%s report does not show the escape visibly:\n%s", format, text)
		}
	}
	// JSON escapes the backslash of the visible form as JSON does.
	if js := allReports(t, r)["json"]; !strings.Contains(js, `\\x1b]52`) {
		t.Errorf("JSON lacks the escaped visible form:\n%s", js)
	}
}

// Text of every kind a check fills passes the boundary: summary, target,
// evidence labels and values, and a very long value is cut with a note.
func TestMakeSafeCoversEveryField(t *testing.T) {
	big := strings.Repeat("A", 1<<20)
	plan := fakePlan(t, fake{id: "x", fn: func(context.Context, *Env) Result {
		r := Result{Status: StatusFail, Summary: "bad\x1b[2J", Target: "host\x1b]0;title\x07"}
		r.Add("label\x1b", "value\u009b31m")
		r.Add("huge", big)
		return r
	}})
	res := collect(Run(context.Background(), plan, RunOptions{}))["x"]
	if res.Summary != `bad\x1b[2J` || res.Target != `host\x1b]0;title\x07` {
		t.Errorf("summary %q target %q", res.Summary, res.Target)
	}
	if res.Evidence[0].Label != `label\x1b` || !strings.Contains(res.Evidence[0].Value, `\x9b`) {
		t.Errorf("evidence %q", res.Evidence[0])
	}
	if v := res.Evidence[1].Value; len(v) > 10<<10 || !strings.Contains(v, "cut: ") {
		t.Errorf("a 1 MiB value kept %d bytes: %q…", len(v), v[:min(len(v), 80)])
	}
}

// Evidence is capped: the first rows, then one saying how many more.
func TestEvidenceIsCapped(t *testing.T) {
	plan := fakePlan(t, fake{id: "x", fn: func(context.Context, *Env) Result {
		r := Result{Status: StatusFail, Summary: "junk"}
		for i := 0; i < 30000; i++ {
			r.Add("signing key", "undecodable")
		}
		// A check that appends past Add is capped too.
		for i := 0; i < 10; i++ {
			r.Evidence = append(r.Evidence, Evidence{"raw", "row"})
		}
		return r
	}})
	res := collect(Run(context.Background(), plan, RunOptions{}))["x"]
	if len(res.Evidence) != MaxEvidence+1 {
		t.Fatalf("%d evidence rows, want %d", len(res.Evidence), MaxEvidence+1)
	}
	if last := res.Evidence[MaxEvidence]; last.Value != "and 29,970 more like it (not shown)" {
		t.Errorf("last row %q", last)
	}
}

// Every secret the run knows is redacted from results, so from every report.
func TestPlanRedactAppliesToResults(t *testing.T) {
	plan := fakePlan(t, fake{id: "x", fn: func(context.Context, *Env) Result {
		r := Result{Status: StatusError, Summary: "logon failed for P@ssw0rd-42"}
		r.Add("stdout", "echo: P@ssw0rd-42")
		return r
	}})
	plan.Redact = func(s string) string { return strings.ReplaceAll(s, "P@ssw0rd-42", "[redacted]") }
	r := NewReport(plan, []Result{collect(Run(context.Background(), plan, RunOptions{}))["x"]}, time.Second)
	for format, text := range allReports(t, r) {
		if strings.Contains(text, "P@ssw0rd-42") {
			t.Errorf("%s report carries the password:\n%s", format, text)
		}
	}
}

// echoShell is a server that echoes the password back: on stdout, inside
// the JSON error object on stderr, and in the error of the transport.
type echoShell struct {
	pw   string
	mode int
}

func (e *echoShell) Run(context.Context, string) (shell.Result, error) {
	switch e.mode {
	case 0:
		return shell.Result{ExitCode: 1, Stdout: "logging on as admin with " + e.pw + "\r\n",
			Stderr: fmt.Sprintf(`{"error":{"message":"The password %s is wrong","type":"System.Exception","category":"NotSpecified","errorId":"X","target":"","position":""}}`, e.pw)}, nil
	default:
		return shell.Result{ExitCode: 1, Stderr: "Access denied for " + e.pw}, fmt.Errorf("winrm: logon with %q refused", e.pw)
	}
}
func (e *echoShell) Target() string { return "echo" }
func (e *echoShell) Close() error   { return nil }

// Every secret the run knows is redacted in the text, JSON and Markdown
// reports of a credentialed run whose servers echo the password.
func TestCredentialedRunRedactsEchoedPassword(t *testing.T) {
	const pw = "Tr0ub4dor&3-secret"
	kb := loadKB(t)
	shells := map[string]shell.Shell{SideExchange: &echoShell{pw: pw}, SideSfB: &echoShell{pw: pw, mode: 1}}
	red := transcript.NewRedactor()
	red.Register(shell.NewSecret(pw))
	for _, redact := range []bool{false, true} {
		opts := PlanOptions{Credentials: true, Shells: shells, Only: []string{"powershell"}}
		if redact {
			opts.Redact = red.Redact
		}
		plan, err := NewPlan(kb, labProfile(), opts)
		if err != nil {
			t.Fatal(err)
		}
		r := Collect(context.Background(), plan, RunOptions{})
		leaked := 0
		for format, text := range allReports(t, r) {
			if n := strings.Count(text, pw); n > 0 {
				leaked += n
				if redact {
					t.Errorf("%s report prints the password %d times", format, n)
				}
			}
		}
		if !redact && leaked == 0 {
			t.Fatal("the echoed password never reached a report: the test shows nothing")
		}
	}
}
