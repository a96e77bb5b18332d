package shell

import (
	"errors"
	"strings"
	"testing"
)

func TestEncodeCommandKnownVector(t *testing.T) {
	// The value the research notes computed for the `powershell.exe /?` style example.
	got := EncodeCommand(`dir "c:\program files" `)
	want := "ZABpAHIAIAAiAGMAOgBcAHAAcgBvAGcAcgBhAG0AIABmAGkAbABlAHMAIgAgAA=="
	if got != want {
		t.Fatalf("EncodeCommand = %s, want %s", got, want)
	}
}

func TestDecodeCommandRoundTrip(t *testing.T) {
	for _, s := range []string{"", "Get-AuthConfig", "naïve ‘quoted’ 😀 𝄞", "line1\r\nline2"} {
		got, err := DecodeCommand(EncodeCommand(s))
		if err != nil || got != s {
			t.Errorf("round trip %q: got %q, %v", s, got, err)
		}
	}
	if _, err := DecodeCommand("!!!"); err == nil {
		t.Error("DecodeCommand accepted non-base64")
	}
	if _, err := DecodeCommand("YQ=="); err == nil {
		t.Error("DecodeCommand accepted an odd byte count")
	}
}

func TestCommandLine(t *testing.T) {
	line, err := CommandLine("Get-AuthConfig")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(line, "powershell.exe -NoProfile -NonInteractive -EncodedCommand ") {
		t.Errorf("unexpected line %q", line)
	}
	back, err := ParseCommandLine(line)
	if err != nil || back != "Get-AuthConfig" {
		t.Errorf("ParseCommandLine = %q, %v", back, err)
	}
	if strings.ContainsAny(line, "\"'&|<>^%") {
		t.Errorf("line has characters cmd.exe would interpret: %q", line)
	}
}

func TestCommandLineTooLong(t *testing.T) {
	// 8191 - len(prefix) leaves room for ~3000 script characters (x2 UTF-16, x4/3 base64).
	ok := strings.Repeat("a", 3000)
	if _, err := CommandLine(ok); err != nil {
		t.Fatalf("3000 chars should fit: %v", err)
	}
	_, err := CommandLine(strings.Repeat("a", 3100))
	var tl *CommandTooLongError
	if !errors.As(err, &tl) {
		t.Fatalf("want *CommandTooLongError, got %v", err)
	}
	if tl.Limit != CmdExeLimit || tl.Length <= CmdExeLimit || !strings.Contains(err.Error(), "8191") {
		t.Errorf("error detail wrong: %+v / %v", tl, err)
	}
	if _, err := CommandLineWithLimit("pwsh", strings.Repeat("a", 3100), CreateProcessLimit); err != nil {
		t.Errorf("CreateProcess limit should allow it: %v", err)
	}
}

func TestParseCommandLineErrors(t *testing.T) {
	for _, l := range []string{"powershell.exe -NoProfile", "powershell.exe -EncodedCommand"} {
		if _, err := ParseCommandLine(l); err == nil {
			t.Errorf("ParseCommandLine(%q) succeeded", l)
		}
	}
}

func BenchmarkCommandLine(b *testing.B) {
	script := strings.Repeat("Get-PartnerApplication | Select Name; ", 60)
	for b.Loop() {
		if _, err := CommandLine(script); err != nil {
			b.Fatal(err)
		}
	}
}
