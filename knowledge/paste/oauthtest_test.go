package paste

import (
	"strings"
	"testing"
)

// A Test-OAuthConnectivity result keeps its task and exception and loses
// its labels, result type, node identity and configuration-age sentence.
func TestOAuthTestResult(t *testing.T) {
	in := `RunspaceId  : 0b6e7c1e-2f9a-4c1e-9b51-1f2b3c4d5e6f
Task        : Checking EWS API Call Under Oauth
Detail      : The configuration was last successfully loaded at 01/01/0001 00:00:00 UTC. This was 12 minutes ago

              Exchange Response Details:
              HTTP response message:
              Exception:
              System.Net.WebException: The remote server returned an error: (401) Unauthorized.

ResultType  : Error
Identity    : Microsoft.Exchange.Security.OAuth.ValidationResultNodeId
IsValid     : True
ObjectState : New`
	r := Recognize(in)
	if r.Source != "Test-OAuthConnectivity" || r.Field("task") != "Checking EWS API Call Under Oauth" || r.Field("result") != "Error" {
		t.Fatalf("source %q, fields %v", r.Source, r.Fields)
	}
	for _, gone := range []string{"ResultType", "ValidationResultNodeId", "configuration was last", "HTTP response message", "ObjectState", "Task :"} {
		if strings.Contains(r.Signal, gone) {
			t.Errorf("signal keeps %q: %s", gone, r.Signal)
		}
	}
	for _, kept := range []string{"Checking EWS API Call Under Oauth", "(401) Unauthorized"} {
		if !strings.Contains(r.Signal, kept) {
			t.Errorf("signal lost %q: %s", kept, r.Signal)
		}
	}
	if !strings.Contains(r.Summary(), "a Test-OAuthConnectivity result") {
		t.Errorf("summary: %s", r.Summary())
	}
	// A plain sentence that names a task is not such a result.
	if r := Recognize("Task: renew the certificate before it expires"); len(r.Forms) != 0 {
		t.Errorf("plain text recognized as %v", r.Forms)
	}
}
