// Package safetext makes text that came from outside (server documents,
// HTTP headers, PowerShell output, DNS names, error texts) safe to show on
// a terminal or write into a report: control characters are shown as
// visible escapes (ESC becomes the four characters \x1b), invalid UTF-8 is
// replaced with U+FFFD, and very long values are cut with a note saying
// how much was left out. A terminal escape sequence such as OSC 52 (write
// the clipboard) or CSI 2J (clear the screen) therefore never reaches the
// terminal as one.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits for the values a report carries.
const (
	// MaxValue bounds one value (an evidence value, an error text).
	MaxValue = 8 << 10
	// MaxLine bounds a one-line value (a summary, a label, a target).
	MaxLine = 1 << 10
)

// String returns s with control characters other than newline and tab
// shown visibly, invalid UTF-8 replaced, and at most max bytes of the
// original kept (max <= 0: no cut). A carriage return before a newline is
// dropped (Windows line ends); any other is shown as \r.
func String(s string, max int) string { return clean(s, max, true) }

// Line is String for one-line values: a newline is shown as \n too, so a
// value cannot start a line of its own (and pose as another row).
func Line(s string, max int) string { return clean(s, max, false) }

// Safe reports whether s would come back unchanged from String with no
// cut: valid UTF-8 without control characters other than newline and tab.
func Safe(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return false
			}
		}
		if r == '\n' || r == '\t' {
			continue
		}
		if escaped(r) {
			return false
		}
	}
	return true
}

func clean(s string, max int, multiline bool) string {
	cut := 0
	if max > 0 && len(s) > max {
		// Cut on a rune boundary at or before max.
		end := max
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
		cut = len(s) - end
		s = s[:end]
	}
	if cut == 0 && fastSafe(s, multiline) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
		case r == '\t':
			b.WriteByte('\t')
		case r == '\n' && multiline:
			b.WriteByte('\n')
		case r == '\r' && multiline && i+1 < len(s) && s[i+1] == '\n':
			// CRLF: keep the line end only.
		case escaped(r):
			b.WriteString(escape(r))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	if cut > 0 {
		fmt.Fprintf(&b, " … (cut: %d more bytes)", cut)
	}
	return b.String()
}

// fastSafe is the common case: printable ASCII (and newline, tab) only.
func fastSafe(s string, multiline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' && multiline {
			continue
		}
		if c >= 0x80 {
			return Safe(s) && (multiline || !strings.Contains(s, "\n"))
		}
		return false
	}
	return true
}

// escaped reports whether r is shown as an escape: C0 and C1 control
// characters, DEL, and the bidirectional overrides and isolates that can
// make text read differently from what it is ("Trojan Source").
func escaped(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028, r == 0x2029, r == 0xfeff:
		return true
	}
	return false
}

func escape(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	}
	if r < 0x100 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}
