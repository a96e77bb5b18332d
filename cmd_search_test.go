package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func runCLIStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code = run(ctx, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

type searchJSON struct {
	Query      string            `json:"query"`
	Recognized *searchRecognized `json:"recognized"`
	Unknown    []string          `json:"unknown"`
	Results    []searchResult    `json:"results"`
}

func searchAsJSON(t *testing.T, stdin string, args ...string) (int, searchJSON) {
	t.Helper()
	code, out, errOut := runCLIStdin(t, stdin, append([]string{"search", "--json"}, args...)...)
	var got searchJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("search %v: %v\n%s%s", args, err, out, errOut)
	}
	return code, got
}

const psRecord = `Test-CsExStorageConnectivity : The remote server returned an error: (401) Unauthorized. 2000003;reason="The hostname component of the audience claim value is invalid.";error_category="invalid_resource"
At line:1 char:1
+ Test-CsExStorageConnectivity -SipUri sip:kim@contoso.com -Binding Net ...
+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : InvalidOperation: (:) [Test-CsExStorageConnectivity], WebException
    + FullyQualifiedErrorId : Microsoft.Rtc.Management.Hosting.ExStorageConnectivity.TestCsExStorageConnectivityCmdlet
`

func TestSearchExitCodes(t *testing.T) {
	cases := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"empty query", "", []string{"search", ""}, 2, "the query is empty"},
		{"blank query", "", []string{"search", "  ", "\t"}, 2, "the query is empty"},
		{"blank stdin", "\n\n", []string{"search", "-"}, 2, "the query is empty"},
		{"results", "", []string{"search", "401 storage"}, 0, ""},
		{"paste on stdin", psRecord, []string{"search", "-"}, 0, "recognized: a PowerShell error record from Test-CsExStorageConnectivity · x-ms-diagnostics code, reason and category"},
		{"unknown code", "", []string{"search", "event 99999"}, 1, "unknown: event 99999"},
		{"no match", "", []string{"search", "banana smoothie recipe"}, 1, "No entry matches"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLIStdin(t, c.stdin, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\n%s%s", code, c.code, out, errOut)
			}
			if !strings.Contains(out+errOut, c.want) {
				t.Errorf("output lacks %q:\n%s%s", c.want, out, errOut)
			}
		})
	}
	// The recognized line comes first, above the results.
	_, out, _ := runCLIStdin(t, psRecord, "search", "-")
	if !strings.HasPrefix(out, "recognized: ") {
		t.Errorf("text output does not start with what was recognized:\n%s", out)
	}
}

func TestSearchJSONRecognized(t *testing.T) {
	code, got := searchAsJSON(t, psRecord, "-")
	if code != 0 || got.Recognized == nil || len(got.Results) == 0 {
		t.Fatalf("exit %d: %+v", code, got)
	}
	r := got.Recognized
	if r.Source != "Test-CsExStorageConnectivity" || len(r.Forms) != 1 || r.Forms[0] != "PowerShell error record" {
		t.Errorf("recognized %+v", r)
	}
	if len(r.Codes) != 1 || r.Codes[0] != (searchCode{"x-ms-diagnostics", "2000003"}) {
		t.Errorf("codes %+v", r.Codes)
	}
	if got.Unknown == nil || len(got.Unknown) != 0 {
		t.Errorf("unknown %v, want []", got.Unknown)
	}
	if got.Results[0].ID != "xmsdiag-2000003-audience-hostname" {
		t.Errorf("top result %s", got.Results[0].ID)
	}

	// Plain words: no "recognized" field, an empty "unknown".
	_, plain := searchAsJSON(t, "", "401", "storage")
	if plain.Recognized != nil || plain.Unknown == nil {
		t.Errorf("plain query: recognized %+v unknown %v", plain.Recognized, plain.Unknown)
	}

	// An unknown code is said to be unknown, never matched on a common word.
	code, unk := searchAsJSON(t, "", "event 99999")
	if code != 1 || len(unk.Results) != 0 || len(unk.Unknown) != 1 || unk.Unknown[0] != "event 99999" {
		t.Errorf("unknown event: exit %d %+v", code, unk)
	}
	code, unk = searchAsJSON(t, "", "HCW9999")
	if code != 1 || len(unk.Results) != 0 || len(unk.Unknown) != 1 {
		t.Errorf("unknown HCW code: exit %d %+v", code, unk)
	}
}

func TestSearchToken(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tok := enc(`{"alg":"none"}`) + "." + enc(`{"aud":"00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@contoso.com","iss":"00000004-0000-0ff1-ce00-000000000000@contoso.com","nbf":1000000000,"exp":1000003600}`) + "."
	code, got := searchAsJSON(t, "", tok)
	if code != 0 || got.Recognized == nil || got.Recognized.Token == nil {
		t.Fatalf("exit %d: %+v", code, got)
	}
	tk := got.Recognized.Token
	if tk.Realm != "contoso.com" || tk.AudienceHost != "mail.contoso.com" || len(tk.Findings) != 1 || tk.Findings[0].What != "validity" {
		t.Errorf("token %+v", tk)
	}
	_, js, _ := runCLIStdin(t, "", "search", "--json", tok)
	if strings.Contains(js, tok[:20]) || got.Query != "‹token›" {
		t.Errorf("the raw token was echoed in JSON (query %q)", got.Query)
	}
	_, out, _ := runCLIStdin(t, "", "search", tok)
	if strings.Contains(out, tok[:20]) {
		t.Errorf("the raw token was printed:\n%s", out)
	}
	if !strings.Contains(out, "realm      contoso.com") || !strings.Contains(out, "✗ validity: expired") {
		t.Errorf("token text:\n%s", out)
	}
}

// TestPastedFormsFindTheBareAnswer: a message found on its own is still
// found when it arrives inside the record an engineer copies.
func TestPastedFormsFindTheBareAnswer(t *testing.T) {
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, msg := range []string{
		"The hostname component of the audience claim value is invalid.",
		"Storage Service had an EWS Autodiscovery failure.",
		"Cannot acquire auth metadata document from 'https://accounts.accesscontrol.windows.net/contoso.com/metadata/json/1'. Error: The underlying connection was closed: An unexpected error occurred on a receive.",
	} {
		_, bare := searchAsJSON(t, "", msg)
		if len(bare.Results) == 0 {
			t.Errorf("bare %q finds nothing", msg)
			continue
		}
		want := bare.Results[0].ID
		record := "Test-CsExStorageConnectivity : " + msg + "\nAt line:1 char:1\n+ Test-CsExStorageConnectivity -SipUri sip:kim@contoso.com\n+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n" +
			"    + CategoryInfo          : InvalidOperation: (:) [Test-CsExStorageConnectivity], WebException\n" +
			"    + FullyQualifiedErrorId : Microsoft.Rtc.Management.Hosting.TestCsExStorageConnectivityCmdlet\n"
		// An event whose id no entry knows: the description carries it.
		// (A known id, such as 32054, is weighed as a code by Ask.)
		event := "Log Name:      Application\nSource:        MSExchange Test\nDate:          12/4/2026 1:45:06 PM\nEvent ID:      60999\n" +
			"Task Category: (4006)\nLevel:         Error\nKeywords:      Classic\nUser:          N/A\nComputer:      FE01.contoso.com\nDescription:\n" + msg + "\n"
		log := "2026-12-04 13:45:06.123 ERROR [3f2b1c9e-8d7a-4b6c-9e5f-1a2b3c4d5e6f] " + msg + "\n2026-12-04 13:45:07.001 ERROR [9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d] " + msg + "\n"
		for name, text := range map[string]string{"error record": record, "one-line error record": flat(record), "event text": event, "one-line event text": flat(event), "log lines": log} {
			_, got := searchAsJSON(t, text, "-")
			var ids []string
			for _, r := range got.Results {
				ids = append(ids, r.ID)
			}
			// The bare answer stays in the top three: the record may add
			// a better one (the event's own entry) but never loses it.
			found := false
			for i := 0; i < len(ids) && i < 3; i++ {
				found = found || ids[i] == want
			}
			if !found {
				t.Errorf("%s of %q: results %v, want %s in the top three (signal %q)", name, msg, ids, want, got.Recognized.Signal)
			}
		}
	}

	// The LS Storage Service event around an x-ms-diagnostics answer: the
	// code in the description finds its entry beside the event's own.
	event := "Log Name:      Lync Server\nSource:        LS Storage Service\nEvent ID:      32054\nLevel:         Error\nComputer:      FE01.contoso.com\nDescription:\n" +
		"Storage Service had an EWS Autodiscovery failure. The remote server returned an error: (401) Unauthorized. " +
		"x-ms-diagnostics: 2000003;reason=\"The hostname component of the audience claim value is invalid.\";error_category=\"invalid_resource\"\n"
	_, got := searchAsJSON(t, event, "-")
	var ids []string
	for _, r := range got.Results {
		ids = append(ids, r.ID)
	}
	if len(ids) < 3 || !strings.Contains(strings.Join(ids[:3], " "), "xmsdiag-2000003-audience-hostname") || !strings.Contains(strings.Join(ids[:3], " "), "event-ls-storage-ews-autodiscovery-triage") {
		t.Errorf("32054 with 2000003: results %v", ids)
	}
}
