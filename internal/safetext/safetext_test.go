package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStringShowsControlsVisibly(t *testing.T) {
	osc52 := "svc\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J"
	got := String(osc52, 0)
	if strings.ContainsRune(got, 0x1b) || strings.ContainsRune(got, 0x07) {
		t.Fatalf("raw control characters survived: %q", got)
	}
	if want := `svc\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J`; got != want {
		t.Fatalf("String = %q, want %q", got, want)
	}
	if got := String("a\r\nb\rc\u009bd\u202ee", 0); got != "a\nb\\rc\\x9bd\\u202ee" {
		t.Fatalf("String = %q", got)
	}
	if got := Line("one\ntwo", 0); got != `one\ntwo` {
		t.Fatalf("Line = %q", got)
	}
	if got := String("multi\nline\ttab", 0); got != "multi\nline\ttab" {
		t.Fatalf("String changed safe text: %q", got)
	}
	if got := String("héllo ✓", 0); got != "héllo ✓" {
		t.Fatalf("String changed safe UTF-8: %q", got)
	}
}

func TestStringReplacesInvalidUTF8(t *testing.T) {
	got := String("ok\xff\xfe end", 0)
	if !utf8.ValidString(got) || got != "ok\uFFFD\uFFFD end" {
		t.Fatalf("String = %q", got)
	}
}

func TestStringCutsLongValuesWithANote(t *testing.T) {
	long := strings.Repeat("é", 1000) // 2000 bytes
	got := String(long, 101)
	if !utf8.ValidString(got) {
		t.Fatalf("cut in the middle of a rune: %q", got)
	}
	if !strings.HasPrefix(got, strings.Repeat("é", 50)+" … (cut: 1900 more bytes)") {
		t.Fatalf("String = %q", got)
	}
	if got := String("short", 100); got != "short" {
		t.Fatalf("short value changed: %q", got)
	}
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]52;c;AAAA\x07", "a\r\nb", "\xff\xfe", "\u202e\u2066", strings.Repeat("x", 300)} {
		f.Add(s, 64)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max > 1<<20 {
			max = 1 << 20
		}
		for _, multi := range []bool{true, false} {
			var got string
			if multi {
				got = String(s, max)
			} else {
				got = Line(s, max)
			}
			if !utf8.ValidString(got) {
				t.Fatalf("invalid UTF-8 out: %q", got)
			}
			for _, r := range got {
				if r == '\t' || r == '\n' && multi {
					continue
				}
				if escaped(r) {
					t.Fatalf("control %U survived in %q", r, got)
				}
			}
			if !Safe(got) {
				t.Fatalf("output not Safe: %q", got)
			}
			if max > 0 && len(got) > 4*max+64 {
				t.Fatalf("output of %d bytes for max %d", len(got), max)
			}
			if Safe(s) && (multi || !strings.Contains(s, "\n")) && (max <= 0 || len(s) <= max) && got != s {
				t.Fatalf("safe input changed: %q -> %q", s, got)
			}
		}
	})
}
