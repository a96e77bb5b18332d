package paste

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/ucpilot/ucpilot/internal/safetext"
)

// wrap puts a bare message into each form an engineer pastes it in.
func wrappings(msg string) map[string]string {
	record := "Test-CsExStorageConnectivity : " + msg + "\n" +
		"At line:1 char:1\n" +
		"+ Test-CsExStorageConnectivity -SipUri sip:kim@contoso.com -Binding Net ...\n" +
		"+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n" +
		"    + CategoryInfo          : InvalidOperation: (:) [Test-CsExStorageConnectivity], WebException\n" +
		"    + FullyQualifiedErrorId : Microsoft.Rtc.Management.Hosting.ExStorageConnectivity.TestCsExStorageConnectivityCmdlet\n"
	script := "Write-Error : " + msg + "\nAt C:\\Scripts\\Setup-OAuth.ps1:42 char:9\n+         Write-Error $_\n+         ~~~~~~~~~~~\n" +
		"    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n" +
		"    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,Setup-OAuth.ps1\n"
	event := "Log Name:      Lync Server\nSource:        LS Storage Service\nDate:          12/4/2026 1:45:06 PM\n" +
		"Event ID:      32054\nTask Category: (4006)\nLevel:         Error\nKeywords:      Classic\nUser:          N/A\n" +
		"Computer:      FE01.contoso.com\nDescription:\n" + msg + "\n"
	log := "2026-12-04 13:45:06.123 [ERROR] correlation-id: 3f2b1c9e-8d7a-4b6c-9e5f-1a2b3c4d5e6f " + msg + "\n" +
		"2026-12-04 13:45:07.456 [ERROR] correlation-id: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d " + msg + "\n"
	stack := "System.Net.WebException: " + msg + "\n" +
		"   at System.Net.HttpWebRequest.GetResponse()\n" +
		"   at Microsoft.Rtc.Internal.Storage.Exchange.EwsClient.Send(String url, Boolean retry) in C:\\src\\EwsClient.cs:line 212\n" +
		"--- End of inner exception stack trace ---\n"
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	return map[string]string{
		"error record":          record,
		"one-line error record": flat(record),
		"script error record":   script,
		"event text":            event,
		"one-line event text":   flat(event),
		"log lines":             log,
		"stack trace":           stack,
		"one-line stack trace":  flat(stack),
	}
}

// noise must never reach the signal of a wrapped message.
var noise = []string{
	"At line", "char:1", "char:9", "CategoryInfo", "FullyQualifiedErrorId", "~~~", "-SipUri", "Log Name", "Keywords",
	"Computer", "FE01", "Task Category", "12/4/2026", "2026-12-04", "3f2b1c9e", "correlation-id",
	"HttpWebRequest", "GetResponse", "EwsClient", "line 212", "End of inner", "Microsoft.Rtc", "System.Net",
}

func TestWrappedMessagesKeepTheirSignal(t *testing.T) {
	messages := []string{
		"Storage Service had an EWS Autodiscovery failure.",
		"The hostname component of the audience claim value is invalid.",
		"Cannot acquire auth metadata document from 'https://accounts.accesscontrol.windows.net/contoso.com/metadata/json/1'. Error: The underlying connection was closed: An unexpected error occurred on a receive.",
		"The remote server returned an error: (401) Unauthorized.",
		"SIP_E_AUTH_CLOCK_SKEWED the OAuth token was rejected",
	}
	for _, msg := range messages {
		bare := Recognize(msg)
		if bare.Summary() != "" && !strings.Contains(msg, "SIP_E") {
			t.Errorf("bare %q: summary %q, want none", msg, bare.Summary())
		}
		if bare.Signal != msg {
			t.Errorf("bare %q: signal %q, want the text itself", msg, bare.Signal)
		}
		for form, text := range wrappings(msg) {
			r := Recognize(text)
			if !strings.Contains(r.Signal, msg) {
				t.Errorf("%s of %q: signal %q lost the message", form, msg, r.Signal)
			}
			for _, n := range noise {
				if strings.Contains(r.Signal, n) {
					t.Errorf("%s of %q: signal %q keeps noise %q", form, msg, r.Signal, n)
				}
			}
			if !strings.HasPrefix(r.Summary(), "recognized: ") {
				t.Errorf("%s: summary %q", form, r.Summary())
			}
		}
	}
}

func TestPowerShellRecord(t *testing.T) {
	msg := "The remote server returned an error: (401) Unauthorized. 2000003;reason=\"The hostname component of the audience claim value is invalid.\";error_category=\"invalid_resource\""
	for form, text := range wrappings(msg) {
		if !strings.Contains(form, "error record") || strings.Contains(form, "script") {
			continue
		}
		r := Recognize(text)
		want := "recognized: a PowerShell error record from Test-CsExStorageConnectivity · x-ms-diagnostics code, reason and category · WebException · FullyQualifiedErrorId"
		if got := r.Summary(); got != want {
			t.Errorf("%s: summary\n got %q\nwant %q", form, got, want)
		}
		for name, want := range map[string]string{
			"x-ms-diagnostics code": "2000003",
			"reason":                "The hostname component of the audience claim value is invalid.",
			"category":              "invalid_resource",
			"exception":             "WebException",
			"FullyQualifiedErrorId": "Microsoft.Rtc.Management.Hosting.ExStorageConnectivity.TestCsExStorageConnectivityCmdlet",
		} {
			if got := r.Field(name); got != want {
				t.Errorf("%s: field %s = %q, want %q", form, name, got, want)
			}
		}
		if len(r.Codes) != 1 || r.Codes[0] != (Code{KindDiagnostics, "2000003"}) {
			t.Errorf("%s: codes %v", form, r.Codes)
		}
		for _, w := range []string{"2000003", "The hostname component of the audience claim value is invalid.", "invalid_resource", "Test-CsExStorageConnectivity", "WebException"} {
			if !strings.Contains(r.Signal, w) {
				t.Errorf("%s: signal %q lacks %q", form, r.Signal, w)
			}
		}
		if strings.Contains(r.Signal, "reason=") || strings.Contains(r.Signal, "error_category") {
			t.Errorf("%s: signal %q keeps the header syntax", form, r.Signal)
		}
	}
	r := Recognize("Test-OAuthConnectivity: The remote server returned an error: (401) Unauthorized.")
	if r.Source != "Test-OAuthConnectivity" || !r.has(FormPowerShell) {
		t.Errorf("PowerShell 7 concise view: %+v", r)
	}
	if r := Recognize("Autodiscover-Service: fails"); r.has(FormPowerShell) {
		t.Errorf("a hyphenated word that is no cmdlet is taken for one: %+v", r)
	}
	r = Recognize(wrappings("boom")["script error record"])
	if r.Source != "Write-Error" {
		t.Errorf("script record source %q", r.Source)
	}
}

// Exchange's remote shell: bracketed context before the id, and the
// computer the error came from.
func TestExchangeRemoteRecord(t *testing.T) {
	rec := "Couldn't find object \"kim\". Please make sure that it was spelled correctly or specify a different object.\n" +
		"    + CategoryInfo          : NotSpecified: (:) [Get-Mailbox], ManagementObjectNotFoundException\n" +
		"    + FullyQualifiedErrorId : [Server=EX01,RequestId=5c0a1b2c-3d4e-4f5a-8b9c-0d1e2f3a4b5c,TimeStamp=12/4/2026 1:45:06 PM] [FailureCategory=Cmdlet-ManagementObjectNotFoundException] 9E0C1E0E,Microsoft.Exchange.Management.RecipientTasks.GetMailbox\n" +
		"    + PSComputerName        : ex01.contoso.com\n"
	for _, text := range []string{rec, strings.Join(strings.Fields(rec), " ")} {
		r := Recognize(text)
		if r.Source != "Get-Mailbox" || r.Field("FullyQualifiedErrorId") != "9E0C1E0E,Microsoft.Exchange.Management.RecipientTasks.GetMailbox" ||
			r.Field("FailureCategory") != "Cmdlet-ManagementObjectNotFoundException" {
			t.Errorf("source %q fields %v", r.Source, r.Fields)
		}
		want := `Couldn't find object "kim". Please make sure that it was spelled correctly or specify a different object. Get-Mailbox ManagementObjectNotFoundException`
		if r.Signal != want {
			t.Errorf("signal\n got %q\nwant %q", r.Signal, want)
		}
	}
}

func TestEventText(t *testing.T) {
	for _, form := range []string{"event text", "one-line event text"} {
		r := Recognize(wrappings("Storage Service had an EWS Autodiscovery failure.")[form])
		if got, want := r.Summary(), "recognized: an Event Viewer text from LS Storage Service · event 32054"; got != want {
			t.Errorf("%s: summary %q, want %q", form, got, want)
		}
		if r.Field("event id") != "32054" || r.Field("event source") != "LS Storage Service" || r.Field("log name") != "Lync Server" {
			t.Errorf("%s: fields %v", form, r.Fields)
		}
		if !strings.HasPrefix(r.Signal, "LS Storage Service 32054 Storage Service had") {
			t.Errorf("%s: signal %q", form, r.Signal)
		}
	}
}

func TestHTTPHeaders(t *testing.T) {
	b, err := os.ReadFile("/work/shared/fixtures/exchange-onprem-eas-401-bearer-hma-with-sfb-issuer.real.http")
	text := string(b)
	if err != nil {
		// The shared fixture, copied here so the test runs anywhere.
		text = "HTTP/1.1 401 Unauthorized\nContent-Length: 0\nDate: Mon, 29 Jan 2018 19:51:46 GMT\nServer: Microsoft-IIS/10.0 Microsoft-HTTPAPI/2.0\n" +
			"WWW-Authenticate: Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", trusted_issuers=\"00000001-0000-0000-c000-000000000000@5de110f8-2e0f-4d45-891d-bcf2218e253d,00000004-0000-0ff1-ce00-000000000000@contoso.com\", token_types=\"app_asserted_user_v1 service_asserted_app_v1\", authorization_uri=\"https://login.windows.net/common/oauth2/authorize\"\n" +
			"WWW-Authenticate: Basic realm=\"mail.contoso.com\"\nX-Powered-By: ASP.NET\nrequest-id: 5ca2c827-5147-474c-8457-63c4e5099c6e\n"
	}
	r := Recognize(text)
	if r.Forms[0] != FormHTTP || r.Field("status") != "401 Unauthorized" {
		t.Fatalf("forms %v fields %v", r.Forms, r.Fields)
	}
	if !strings.Contains(r.Field("trusted_issuers"), "00000004-0000-0ff1-ce00-000000000000@contoso.com") {
		t.Errorf("trusted_issuers %q", r.Field("trusted_issuers"))
	}
	for _, n := range []string{"5ca2c827", "Content-Length", "X-Powered-By", "Microsoft-IIS", "2018", "5de110f8"} {
		if strings.Contains(r.Signal, n) {
			t.Errorf("signal %q keeps %q", r.Signal, n)
		}
	}

	// Headers glued together by a copy, as in a support article.
	glued := "HTTP/1.1 401 Unauthorizedrequest-id: 33086db3-69f9-4cdf-8ffe-ee364539e113\nrequest-id: 33086db3-69f9-4cdf-8ffe-ee364539e113x-ms-diagnostics: 2000004;reason=\"The tenant for tenant guid 'contoso.com' does not exist.\";error_category=\"invalid_tenant\"Server: Microsoft-IIS/8.5WWW-Authenticate: Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", error=\"invalid_token\""
	r = Recognize(glued)
	if r.Field("x-ms-diagnostics code") != "2000004" || r.Field("category") != "invalid_tenant" || r.Field("bearer error") != "invalid_token" {
		t.Errorf("glued: fields %v", r.Fields)
	}
	if !strings.Contains(r.Signal, "2000004 The tenant for tenant guid 'contoso.com' does not exist. invalid_tenant") || strings.Contains(r.Signal, "33086db3") {
		t.Errorf("glued: signal %q", r.Signal)
	}

	// A form-encoded reason, as Fiddler shows it.
	r = Recognize(`2000008;reason="The+token+should+have+valid+permissions";error_category="invalid_grant"`)
	if r.Field("reason") != "The token should have valid permissions" || r.Signal != "2000008 The token should have valid permissions invalid_grant" {
		t.Errorf("encoded reason: %v / %q", r.Fields, r.Signal)
	}
	if got, want := r.Summary(), "recognized: an x-ms-diagnostics value · x-ms-diagnostics code, reason and category"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

func TestAADSTSAndStack(t *testing.T) {
	r := Recognize("System.Net.WebException: The remote server returned an error: (401) Unauthorized. Error: Unable to get token from Auth Server. Error code: 'invalid_client'. Description: 'AADSTS70002: Error validating credentials. AADSTS50012: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: 'ABC'.")
	if len(r.Codes) != 2 || r.Codes[0].Value != "AADSTS70002" || r.Codes[1].Value != "AADSTS50012" {
		t.Errorf("codes %v", r.Codes)
	}
	if r.Field("AADSTS70002") != "Error validating credentials." {
		t.Errorf("AADSTS70002 message %q", r.Field("AADSTS70002"))
	}
	if !strings.HasPrefix(r.Signal, "WebException : The remote server") {
		t.Errorf("signal %q", r.Signal)
	}
	// A frame's method that ends in "Exception" is not an exception type.
	r = Recognize("System.Net.WebException: The request failed.\n   at Microsoft.Exchange.InfoWorker.Common.Availability.SoapAutoDiscoverRequest.ExecuteAndHandleException(String x)")
	if got := r.Field("exception"); got != "System.Net.WebException" || len(r.Fields) != 1 {
		t.Errorf("fields %v", r.Fields)
	}
	// Frames whose namespace a copy broke with spaces are frames still.
	r = Recognize("System.Web.Services.Protocols.SoapHeaderException: An error occurred when verifying security for the message at System.Web. Services.Protocols. SoapHttpClientProtocol. ReadResponse(SoapClientMessage message, WebResponse response)")
	if r.Signal != "SoapHeaderException : An error occurred when verifying security for the message" {
		t.Errorf("signal %q", r.Signal)
	}
}

func TestPlainTextAndCodes(t *testing.T) {
	for _, q := range []string{"code=5", "jason", "401 storage", "the trust is broken, where do I start"} {
		r := Recognize("  " + q + "\n")
		if r.Summary() != "" || r.Signal != q || len(r.Forms) != 0 {
			t.Errorf("%q: %+v", q, r)
		}
	}
	r := Recognize("event 32054")
	if len(r.Codes) != 1 || r.Codes[0] != (Code{KindEvent, "32054"}) {
		t.Errorf("event code: %v", r.Codes)
	}
	r = Recognize("HCW8064 and 0x80048821 and SIP_E_AUTH_CLOCK_SKEWED")
	want := []Code{{KindHCW, "HCW8064"}, {KindHResult, "0x80048821"}, {KindSIP, "SIP_E_AUTH_CLOCK_SKEWED"}}
	if len(r.Codes) != len(want) {
		t.Fatalf("codes %v", r.Codes)
	}
	for i := range want {
		if r.Codes[i] != want[i] {
			t.Errorf("code %d: %v, want %v", i, r.Codes[i], want[i])
		}
	}
}

func TestBoundsAndSafety(t *testing.T) {
	big := strings.Repeat("Test-X : AADSTS50012: \x1b]52;c;aGk=\x07 bad At line:1 char:1 + CategoryInfo : X: (:) [Y], ZException 2000003;reason=\"r\";error_category=\"c\" Event ID: 1 Source: s\n", 20000)
	r := Recognize(big)
	if len(r.Signal) > MaxSignal || len(r.Fields) > maxFields || len(r.Codes) > maxCodes || len(r.Forms) > maxForms {
		t.Errorf("unbounded: signal %d fields %d codes %d forms %d", len(r.Signal), len(r.Fields), len(r.Codes), len(r.Forms))
	}
	for _, f := range r.Fields {
		if !safetext.Safe(f.Value) || strings.Contains(f.Value, "\n") || len(f.Value) > maxValue+64 {
			t.Errorf("field %q not safe to show: %q", f.Name, f.Value)
		}
	}
	if s := r.Summary(); !safetext.Safe(s) || strings.Contains(s, "\x1b") {
		t.Errorf("summary not safe: %q", s)
	}
}

// TestEvalPastes runs every pasted case of the evaluation set: each is
// recognized as something, keeps a signal and loses no code.
func TestEvalPastes(t *testing.T) {
	files, _ := filepath.Glob("../testdata/eval/*.yaml")
	if len(files) == 0 {
		t.Skip("no evaluation set")
	}
	want := map[string]struct {
		form  string
		codes []string
	}{
		"catalog-a-5":  {FormStack, []string{"2000005"}},
		"catalog-a-8":  {FormHTTP, []string{"2000008"}},
		"catalog-a-9":  {FormEvent, []string{"32054"}},
		"catalog-a-10": {FormHTTP, []string{"2000004"}},
		"catalog-a-16": {FormAADSTS, []string{"AADSTS70002", "AADSTS50012"}},
		"catalog-a-46": {FormPowerShell, nil},
		"catalog-b-2":  {FormEvent, []string{"32054"}},
		"catalog-b-62": {FormEvent, []string{"1003"}},
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []struct{ ID, Query, Kind string }
		if err := yaml.Unmarshal(b, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range cases {
			if c.Kind != "paste" {
				continue
			}
			n++
			r := Recognize(c.Query)
			if strings.TrimSpace(r.Signal) == "" || !utf8.ValidString(r.Signal) {
				t.Errorf("%s: empty or invalid signal %q", c.ID, r.Signal)
			}
			w, ok := want[c.ID]
			if !ok {
				continue
			}
			if !r.has(w.form) {
				t.Errorf("%s: forms %v, want %s", c.ID, r.Forms, w.form)
			}
			for _, code := range w.codes {
				found := false
				for _, got := range r.Codes {
					found = found || got.Value == code
				}
				if !found {
					t.Errorf("%s: codes %v lack %s", c.ID, r.Codes, code)
				}
			}
		}
	}
	t.Logf("%d pasted cases", n)
}

func FuzzRecognize(f *testing.F) {
	for _, s := range wrappings("The remote server returned an error: (401) Unauthorized.") {
		f.Add(s)
	}
	f.Add("HTTP/1.1 401 Unauthorized\nx-ms-diagnostics: 2000003;reason=\"x\";error_category=\"y\"\nWWW-Authenticate: Bearer client_id=\"a\", error=\"b\"")
	f.Add("AADSTS50012: x AADSTS70002: y")
	f.Add(testJWT(f, map[string]any{"aud": "a/b@c", "exp": 1}, true))
	f.Add("Event ID: 1 Source: s Description: d Event Xml: <x/>")
	f.Fuzz(func(t *testing.T, s string) {
		r := Recognize(s)
		if len(r.Signal) > MaxSignal && len(r.Forms) > 0 {
			t.Fatalf("signal %d bytes", len(r.Signal))
		}
		if len(r.Fields) > maxFields || len(r.Codes) > maxCodes {
			t.Fatalf("fields %d codes %d", len(r.Fields), len(r.Codes))
		}
		for _, fl := range r.Fields {
			if strings.ContainsAny(fl.Value, "\n\x1b") {
				t.Fatalf("field %q shows %q", fl.Name, fl.Value)
			}
		}
		_ = r.Summary()
	})
}
