package components

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// ContinuationMark ends a line of a command or identifier that goes on on
// the next line, so a line cut by the width never reads as a whole one.
const ContinuationMark = "↩"

// WrapCommand lays out a command or identifier (plain text, one or more
// lines) in width cells. It breaks only at spaces, never inside a token:
// "-AutoDiscoverServiceInternalUri" or a GUID stays whole, so a selection
// of it on screen copies right. Every line that goes on ends with " ↩". A
// single token wider than the whole line is the one thing cut, marked the
// same way.
func WrapCommand(text string, width int) []string {
	width = max(width, 4)
	var out []string
	for _, line := range strings.Split(text, "\n") {
		out = append(out, wrapLine(line, width)...)
	}
	return out
}

func wrapLine(line string, width int) []string {
	if ansi.StringWidth(line) <= width {
		return []string{line}
	}
	body := strings.TrimLeft(line, " \t")
	indent := line[:len(line)-len(body)]
	if ansi.StringWidth(indent) > width/2 {
		indent = ""
	}
	room := width - ansi.StringWidth(" "+ContinuationMark) // a line that goes on
	var out []string
	cur := indent
	flush := func() {
		if strings.TrimSpace(cur) != "" {
			out = append(out, cur+" "+ContinuationMark)
		}
		cur = ""
	}
	tokens := strings.Fields(body)
	for i, tok := range tokens {
		cand := tok
		if strings.TrimSpace(cur) != "" {
			cand = cur + " " + tok
		} else if cur != "" {
			cand = cur + tok
		}
		last := i == len(tokens)-1
		if ansi.StringWidth(cand) <= room || (last && ansi.StringWidth(cand) <= width) {
			cur = cand
			continue
		}
		flush()
		for ansi.StringWidth(tok) > room && !(i == len(tokens)-1 && ansi.StringWidth(tok) <= width) {
			head := ansi.Truncate(tok, room, "")
			out = append(out, head+" "+ContinuationMark)
			tok = tok[len(head):]
		}
		cur = tok
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
