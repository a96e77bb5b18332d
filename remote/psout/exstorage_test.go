package psout

import (
	"strings"
	"testing"
)

func codes(r ExStorageResult) string {
	var c []string
	for _, m := range r.Markers {
		c = append(c, m.Code)
	}
	return strings.Join(c, " ")
}

func TestParseExStorage(t *testing.T) {
	cases := []struct {
		name, text string
		outcome    ExStorageOutcome
		codes      string
	}{
		{"passed", "VERBOSE: Workflow Instance ID '1'.\r\nVERBOSE: Creating item in Conversation History.\r\nTest passed.\r\n", Passed, ""},
		{"code5", "VERBOSE: ExCreateItem exchange operations failed, code=5\r\nTest failed.", Failed, ExStorageCode5},
		{"401", "ERROR: The request failed with HTTP status 401: Unauthorized.", Failed, ExStorage401},
		{"574", "Error code: 574. Client found response content type of '', but expected 'text/xml'.", Failed, ExStorage574},
		{"tls", "The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.", Failed, ExStorageTLSUntrusted},
		{"dns", "The remote name could not be resolved: 'autodiscover.contoso.com'", Failed, ExStorageDNS},
		{"autodiscover", "ExchangeAutodiscoverException: code=ErrorEwsAutodiscover, reason=GetUserSettings failed", Failed, ExStorageAutodiscover},
		{"timeout", "The operation has timed out", Failed, ExStorageTimeout},
		{"several", "code=5\nHTTP 401 Unauthorized\ncode=5 again", Failed, ExStorageCode5 + " " + ExStorage401},
		{"nothing", "VERBOSE: hello", Unknown, ""},
		{"code50 is not code5", "code=50 Test passed", Passed, ""},
	}
	for _, c := range cases {
		r := ParseExStorage(c.text)
		if r.Outcome != c.outcome || codes(r) != c.codes {
			t.Errorf("%s: outcome %s codes %q, want %s %q", c.name, r.Outcome, codes(r), c.outcome, c.codes)
		}
		if r.Success() != (c.outcome == Passed && c.codes == "") {
			t.Errorf("%s: Success() = %v", c.name, r.Success())
		}
	}
	r := ParseExStorage("line one\r\n\r\nExCreateItem failed, code=5")
	if r.Markers[0].Line != 3 || r.Markers[0].Text != "ExCreateItem failed, code=5" {
		t.Errorf("marker position %+v", r.Markers[0])
	}
}

func FuzzParseExStorage(f *testing.F) {
	f.Add("Test passed.")
	f.Add("code=5\r\n401\r\n574")
	f.Fuzz(func(t *testing.T, s string) {
		r := ParseExStorage(s)
		if r.Success() && len(r.Markers) > 0 {
			t.Fatal("success with failure markers")
		}
		seen := map[string]bool{}
		for _, m := range r.Markers {
			if seen[m.Code] || m.Line < 1 {
				t.Fatalf("bad marker %+v", m)
			}
			seen[m.Code] = true
		}
	})
}
