package shell

import (
	"errors"
	"strings"
	"testing"
)

func TestJSONPayload(t *testing.T) {
	out := "Welcome to the Exchange Management Shell!\r\nConnecting to exch01...\r\n\n" + JSONMarker + "\n[{\"Name\":\"x\"}]"
	got, err := JSONPayload(out)
	if err != nil || got != `[{"Name":"x"}]` {
		t.Fatalf("JSONPayload = %q, %v", got, err)
	}
	if _, err := JSONPayload("no marker"); !errors.Is(err, ErrNoPayload) {
		t.Errorf("want ErrNoPayload, got %v", err)
	}
}

func TestParseRemoteError(t *testing.T) {
	stderr := "#< CLIXML\r\n<Objs/>" + `{"error":{"message":"The operation couldn't be performed because object 'x' couldn't be found.","type":"Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException","category":"ObjectNotFound","errorId":"ABC,Microsoft.Exchange.Management.SystemConfigurationTasks.GetPartnerApplication","target":"x","position":""}}`
	re, ok := ParseRemoteError(stderr)
	if !ok {
		t.Fatal("error object not found")
	}
	if re.Category != "ObjectNotFound" || !strings.Contains(re.Error(), "couldn't be found") || !strings.Contains(re.Error(), "GetPartnerApplication") {
		t.Errorf("parsed %+v / %v", re, re)
	}
	for _, s := range []string{"", "plain error text", `{"error":`, `{"error":null}`} {
		if _, ok := ParseRemoteError(s); ok {
			t.Errorf("ParseRemoteError(%q) found an error object", s)
		}
	}
}

func TestOutcome(t *testing.T) {
	p, err := Outcome(Result{Stdout: JSONMarker + "\n[]"})
	if err != nil || p != "[]" {
		t.Errorf("success: %q %v", p, err)
	}
	_, err = Outcome(Result{ExitCode: 1, Stderr: `{"error":{"message":"boom"}}`})
	var re *RemoteError
	if !errors.As(err, &re) || re.Message != "boom" {
		t.Errorf("remote error: %v", err)
	}
	_, err = Outcome(Result{ExitCode: 3, Stderr: "'powershell.exe' is not recognized"})
	if err == nil || !strings.Contains(err.Error(), "code 3") || !strings.Contains(err.Error(), "not recognized") {
		t.Errorf("exit code error: %v", err)
	}
}

func FuzzParseRemoteError(f *testing.F) {
	f.Add(`{"error":{"message":"m","type":"t"}}`)
	f.Add("junk {\"error\":{\"message\":1}}")
	f.Fuzz(func(t *testing.T, s string) {
		re, ok := ParseRemoteError(s)
		if ok && re == nil {
			t.Fatal("ok with nil error")
		}
		if ok {
			_ = re.Error()
		}
	})
}
