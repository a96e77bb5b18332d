package engine

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
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
func hostilePlan(t testing.TB, w *world, id, group, target string, fn CheckFunc) *Plan {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(w.ca.Cert)
	p := labProfile()
	plan := &Plan{Profile: p.Effective(), Topology: "onprem", Vars: p.Vars(), kb: loadKB(t),
		Net: NetConfig{DNSServer: w.dns, RootCAs: roots}}
	plan.Checks = []Check{{Spec: knowledge.CheckSpec{ID: id, Group: group, Title: "hostile " + id}, Target: target, Run: fn}}
	return plan
}

func collectReport(t testing.TB, plan *Plan) Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return Collect(ctx, plan, RunOptions{CheckTimeout: 15 * time.Second})
}

// RenderReports renders a report as text (no colour), JSON and Markdown,
// keyed by format. The writers live in engine/report, which imports this
// package, so an in-package test cannot import them: TestMain in
// main_test.go (package engine_test, same test binary) fills this in.
var RenderReports func(Report) (map[string]string, error)

// allReports renders r in every report format.
func allReports(t testing.TB, r Report) map[string]string {
	t.Helper()
	if RenderReports == nil {
		t.Fatal("RenderReports not set (TestMain in main_test.go sets it)")
	}
	out, err := RenderReports(r)
	if err != nil {
		t.Fatal(err)
	}
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

// An https metadata URL that redirects to plain http fails (the signing
// keys would come without TLS); one that redirects to another host warns
// and names both hosts, and the text report says so even when it passes.
func TestMetadataRedirects(t *testing.T) {
	w := newWorld(t)
	n := time.Now()
	valid := w.cert("Microsoft Exchange Server Auth Certificate", n.Add(-24*time.Hour), n.Add(400*24*time.Hour), true)
	doc := metadataDoc(t, AppIDExchange, "contoso.lab", valid)
	plain := httptest.NewServer(serveBody("application/json", 200, doc))
	defer plain.Close()
	other := w.serve("other.contoso.lab", nil, serveBody("application/json", 200, doc))
	same := w.serve("same.contoso.lab", nil, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/final" {
			serveBody("application/json", 200, doc).ServeHTTP(rw, r)
			return
		}
		http.Redirect(rw, r, "/final", http.StatusFound)
	}))
	redirectTo := func(to string) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { http.Redirect(rw, r, to, http.StatusFound) })
	}
	check := metadataCheck(metadataSide{product: "Exchange", appID: AppIDExchange})
	cases := []struct {
		name   string
		url    string
		status Status
		say    []string
	}{
		{"downgrade", w.serve("down.contoso.lab", nil, redirectTo(plain.URL+"/m")) + "/m", StatusFail,
			[]string{"insecure-redirect", "from https to plain http", plain.URL + "/m"}},
		{"other host", w.serve("from.contoso.lab", nil, redirectTo(other+"/m")) + "/m", StatusWarn,
			[]string{"from.contoso.lab", "other.contoso.lab"}},
		{"same host", same + "/start", StatusPass, []string{"after 1 redirect(s) on the same host"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := collectReport(t, hostilePlan(t, w, "metadata.exchange", "metadata", tc.url, check))
			if r.Checks[0].Status != tc.status {
				t.Fatalf("status %s, want %s: %s %v", r.Checks[0].Status, tc.status, r.Checks[0].Summary, r.Checks[0].Evidence)
			}
			text := allReports(t, r)["text"]
			for _, s := range tc.say {
				if !strings.Contains(text, s) {
					t.Errorf("text report lacks %q:\n%s", s, text)
				}
			}
		})
	}
}

// junkKeysDoc is a metadata document just under 1 MiB whose signing keys
// are 30,000 values that decode as base64 but not as certificates.
func junkKeysDoc() []byte {
	var b bytes.Buffer
	b.WriteString(`{"id":"_1","serviceName":"` + AppIDExchange + `","issuer":"` + AppIDExchange + `@contoso.lab","keys":[`)
	for i := 0; i < 30000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"keyValue":{"value":"QUJD"}}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func junkKeysRun(t testing.TB, w *world, base string) (Report, int) {
	check := metadataCheck(metadataSide{product: "Exchange", appID: AppIDExchange})
	r := collectReport(t, hostilePlan(t, w, "metadata.exchange", "metadata", base+"/autodiscover/metadata/json/1", check))
	size := 0
	for _, text := range allReports(t, r) {
		size = max(size, len(text))
	}
	return r, size
}

// A document with 30,000 junk keys yields a bounded result: a few rows,
// one saying how many more there were, and a report far under 1 MiB.
func TestJunkKeysAreCapped(t *testing.T) {
	doc := junkKeysDoc()
	if len(doc) > 1<<20 || len(doc) < 800<<10 {
		t.Fatalf("the junk document is %d bytes", len(doc))
	}
	w := newWorld(t)
	base := w.serve("junk.contoso.lab", nil, serveBody("application/json", 200, doc))
	r, size := junkKeysRun(t, w, base)
	c := r.Checks[0]
	if c.Status != StatusFail || len(c.Evidence) > MaxEvidence+1 {
		t.Fatalf("%s %q with %d evidence rows", c.Status, c.Summary, len(c.Evidence))
	}
	if !strings.Contains(c.Summary, "30,000 signing keys") {
		t.Errorf("summary %q", c.Summary)
	}
	if size > 64<<10 {
		t.Errorf("a report of %d bytes", size)
	}
}

// BenchmarkJunkKeys measures what a hostile 1 MiB document with 30,000
// junk keys costs: B/op is every byte the run allocated (an upper bound of
// its peak memory; the target is under 60 MB) and report-bytes the
// largest of the text, JSON and Markdown reports (target under 1 MiB).
// go test ./engine/ -run XXX -bench JunkKeys -benchmem
func BenchmarkJunkKeys(b *testing.B) {
	w := newWorld(b)
	base := w.serve("junk.contoso.lab", nil, serveBody("application/json", 200, junkKeysDoc()))
	size := 0
	for b.Loop() {
		_, size = junkKeysRun(b, w, base)
	}
	b.ReportMetric(float64(size), "report-bytes")
}

// A 401 offering 10,000 schemes makes a short summary, not a 30 KB line.
func TestManySchemesMakeABoundedSummary(t *testing.T) {
	w := newWorld(t)
	base := w.serve("mail.contoso.lab", nil, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		schemes := make([]string, 10000)
		for i := range schemes {
			schemes[i] = fmt.Sprintf("X%d", i)
		}
		rw.Header().Set("WWW-Authenticate", strings.Join(schemes, ", "))
		rw.WriteHeader(http.StatusUnauthorized)
	}))
	r := collectReport(t, hostilePlan(t, w, "bearer.autodiscover", "bearer", base+"/autodiscover/autodiscover.svc", bearerCheck(false)))
	c := r.Checks[0]
	if c.Status != StatusFail || len(c.Summary) > 400 || !strings.Contains(c.Summary, "and 9992 more") {
		t.Fatalf("%s summary of %d bytes: %.200q", c.Status, len(c.Summary), c.Summary)
	}
	if text := allReports(t, r)["text"]; len(text) > 16<<10 {
		t.Errorf("text report of %d bytes", len(text))
	}
}
