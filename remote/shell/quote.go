package shell

import (
	"strings"
)

// IsSingleQuote reports whether PowerShell's tokenizer treats r as a single quote. It
// accepts the typographic variants as well as the ASCII apostrophe, which is why a
// quoter that doubles only U+0027 can be escaped with a pasted ’.
func IsSingleQuote(r rune) bool {
	switch r {
	case '\'', '\u2018', '\u2019', '\u201A', '\u201B':
		return true
	}
	return false
}

// Quote returns value as a PowerShell single-quoted (verbatim) string literal. Inside
// such a literal nothing expands ($, backtick, $( ) are plain text) and the only escape
// is a doubled quote, so every one of the five quote characters is doubled.
//
// NUL cannot be represented reliably in a script and is dropped; Script.Render refuses
// values containing NUL instead of altering them, so prefer Script for untrusted input.
func Quote(value string) string {
	var b strings.Builder
	b.Grow(len(value) + 2)
	b.WriteByte('\'')
	for _, r := range value {
		switch {
		case r == 0:
			continue
		case IsSingleQuote(r):
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
