package tui

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestTerminalClipboardWays(t *testing.T) {
	const text = "iisreset /noforce"
	plain := osc52For(text)
	cases := []struct {
		name     string
		env      map[string]string
		goos     string
		nativeOK bool
		wantHow  string
		wantOut  func(string) bool
	}{
		{"plain terminal", nil, "linux", true, howOSC52, func(s string) bool { return s == plain }},
		{"tmux wraps in DCS passthrough", map[string]string{"TMUX": "/tmp/tmux-0/default,1,0"}, "linux", true, howOSC52,
			func(s string) bool {
				return strings.HasPrefix(s, "\x1bPtmux;\x1b\x1b]52;c;") && strings.HasSuffix(s, "\x1b\\")
			}},
		{"screen wraps in DCS", map[string]string{"TERM": "screen-256color"}, "linux", true, howOSC52,
			func(s string) bool { return strings.HasPrefix(s, "\x1bP\x1b]52;c;") }},
		{"X11 display adds the native clipboard", map[string]string{"DISPLAY": ":0"}, "linux", true, howNative + ", " + howOSC52,
			func(s string) bool { return s == plain }},
		{"macOS always has one", nil, "darwin", true, howNative + ", " + howOSC52, func(s string) bool { return s == plain }},
		{"native failure still reports OSC 52", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "linux", false, howOSC52,
			func(s string) bool { return s == plain }},
		{"forced native", map[string]string{clipboardEnv: "native"}, "linux", true, howNative,
			func(s string) bool { return s == "" }},
		{"forced osc52 skips native", map[string]string{clipboardEnv: "osc52", "DISPLAY": ":0"}, "linux", true, howOSC52,
			func(s string) bool { return s == plain }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			var native []string
			cb := &TerminalClipboard{Out: &out, Getenv: envOf(c.env), GOOS: c.goos, Native: func(s string) error {
				native = append(native, s)
				if !c.nativeOK {
					return errors.New("xclip not found")
				}
				return nil
			}}
			how, err := cb.Copy(text)
			if err != nil || how != c.wantHow {
				t.Fatalf("Copy = %q, %v; want %q", how, err, c.wantHow)
			}
			if !c.wantOut(out.String()) {
				t.Fatalf("terminal got %q", out.String())
			}
			if strings.Contains(how, "system") && (len(native) != 1 || native[0] != text) {
				t.Fatalf("native clipboard got %q", native)
			}
		})
	}
}

func TestTerminalClipboardFailsClearly(t *testing.T) {
	cb := &TerminalClipboard{Out: &bytes.Buffer{}, Getenv: envOf(map[string]string{clipboardEnv: "off"}), GOOS: "linux"}
	if _, err := cb.Copy("x"); err == nil || !strings.Contains(err.Error(), clipboardEnv) {
		t.Fatalf("with the clipboard off Copy returned %v, want an error naming %s", err, clipboardEnv)
	}
	var out bytes.Buffer
	cb = &TerminalClipboard{Out: &out, Getenv: envOf(nil), GOOS: "linux"}
	if _, err := cb.Copy(strings.Repeat("a", osc52Limit+1)); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("an oversized copy returned %v, want a limit error", err)
	}
	if out.Len() != 0 {
		t.Fatal("an oversized copy was still written to the terminal")
	}
}

func TestCopyFailureShowsInStatus(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.m.c.Clipboard = &TerminalClipboard{Getenv: envOf(nil), GOOS: "linux"} // no terminal, no native
	d.key("i")
	d.key("c")
	d.mustShow("! copy failed", "select the command with the mouse")
}

// Inside tmux the text goes to tmux's paste buffer (tmux's defaults drop
// OSC 52 silently) and the status says so; if tmux refuses, OSC 52 is the
// fallback and is not claimed as a copy.
func TestTerminalClipboardInTmux(t *testing.T) {
	const text = "iisreset /noforce"
	var out bytes.Buffer
	var loaded []string
	cb := &TerminalClipboard{Out: &out, Getenv: envOf(map[string]string{"TMUX": "/tmp/tmux-0/default,1,0"}), GOOS: "linux",
		Tmux: func(s string) error { loaded = append(loaded, s); return nil }}
	how, err := cb.Copy(text)
	if err != nil || how != howTmux {
		t.Fatalf("Copy = %q, %v; want %q", how, err, howTmux)
	}
	if len(loaded) != 1 || loaded[0] != text || out.Len() != 0 {
		t.Fatalf("tmux buffer got %q, terminal got %q; want the buffer only", loaded, out.String())
	}
	cb.Tmux = func(string) error { return errors.New("no server running") }
	how, err = cb.Copy(text)
	if err != nil || how != howOSC52 || !strings.HasPrefix(out.String(), "\x1bPtmux;") {
		t.Fatalf("with tmux refusing: Copy = %q, %v, terminal %q; want the OSC 52 fallback", how, err, out.String())
	}
	if strings.Contains(how, "copied") {
		t.Fatalf("OSC 52 alone claims a copy: %q", how)
	}
	// Outside tmux the tmux way is never tried.
	loaded = nil
	cb = &TerminalClipboard{Out: &bytes.Buffer{}, Getenv: envOf(nil), GOOS: "linux",
		Tmux: func(s string) error { loaded = append(loaded, s); return nil }}
	if how, _ := cb.Copy(text); how != howOSC52 || len(loaded) != 0 {
		t.Fatalf("outside tmux: %q, tmux loaded %q", how, loaded)
	}
}
