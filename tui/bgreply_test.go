package tui

import (
	"os"
	"testing"

	"github.com/ucpilot/ucpilot/tui/initguard"
)

func TestParseBackgroundReply(t *testing.T) {
	for _, tc := range []struct {
		reply    string
		dark, ok bool
	}{
		{"\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[1;1R", true, true},
		{"\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[24;80R", false, true},
		{"\x1b]11;rgb:1e/1e/2e\x1b\\", true, true},        // two hex digits (some terminals)
		{"\x1b]11;rgb:fdfd/f6f6/e3e3\x1b\\", false, true}, // solarized light
		{"\x1b[1;1R", false, false},                       // cursor report only: no OSC 11
		{"\x1b]11;rgb:0000/0000\x1b\\", false, false},     // two components
		{"\x1b]11;rgb:00000/0/0\x1b\\", false, false},     // five digits
		{"\x1b]11;rgb:zz/00/00\x1b\\", false, false},
		{"\x1b]11;rgb:00/00/00", false, false}, // not terminated
	} {
		dark, ok := parseBackgroundReply([]byte(tc.reply))
		if dark != tc.dark || ok != tc.ok {
			t.Errorf("parseBackgroundReply(%q) = %v, %v; want %v, %v", tc.reply, dark, ok, tc.dark, tc.ok)
		}
	}
}

func FuzzParseBackgroundReply(f *testing.F) {
	f.Add([]byte("\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[1;1R"))
	f.Add([]byte("\x1b]11;rgb:f/f/f\x07"))
	f.Add([]byte("\x1b]11;rgb:/\x1b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dark, ok := parseBackgroundReply(b)
		if dark && !ok {
			t.Fatalf("dark without an answer for %q", b)
		}
	})
}

// initguard turns Bubble Tea's init-time query off by setting TERM=dumb;
// this package's init must have put the real value back.
func TestTERMRestoredAfterInit(t *testing.T) {
	want, had := initguard.Saved()
	got, has := os.LookupEnv("TERM")
	if got != want || has != had {
		t.Errorf("TERM after init = %q (set %v), the process started with %q (set %v)", got, has, want, had)
	}
}
