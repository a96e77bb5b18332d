package shell

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ParseRendered recovers the Script that Render produced: its prelude, body, arguments
// and envelope flag. The lab uses it to answer scripts in-process, and tests use it to
// check what a transport was asked to run.
func ParseRendered(script string) (Script, error) {
	var s Script
	rest, ok := strings.CutPrefix(script, header+"\n")
	if !ok {
		return s, fmt.Errorf("not a ucpilot script: the first line is not %q", header)
	}
	for _, fixed := range []string{
		"$ProgressPreference = 'SilentlyContinue'\n",
		"[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false\n",
	} {
		if rest, ok = strings.CutPrefix(rest, fixed); !ok {
			return s, fmt.Errorf("not a ucpilot script: expected %q", strings.TrimSpace(fixed))
		}
	}
	rest, s.JSON = strings.CutPrefix(rest, "$ErrorActionPreference = 'Stop'\n")
	var err error
	if rest, s.Args, err = parseArgs(rest); err != nil {
		return s, err
	}
	if s.JSON {
		if rest, ok = strings.CutPrefix(rest, jsonOpen+"\n"); !ok {
			return s, fmt.Errorf("ucpilot script: envelope opening missing")
		}
	}
	if rest, ok = strings.CutPrefix(rest, preludeMarker+"\n"); !ok {
		return s, fmt.Errorf("ucpilot script: %q missing after the arguments", preludeMarker)
	}
	prelude, rest, ok := cutLine(rest, bodyMarker)
	if !ok {
		return s, fmt.Errorf("ucpilot script: %q missing", bodyMarker)
	}
	end := strings.LastIndex(rest, endMarker+"\n")
	if end < 0 || (end > 0 && rest[end-1] != '\n') {
		return s, fmt.Errorf("ucpilot script: %q missing", endMarker)
	}
	s.Prelude = strings.TrimSuffix(prelude, "\n")
	s.Body = strings.TrimSuffix(rest[:end], "\n")
	return s, nil
}

// cutLine splits s at the first line equal to marker.
func cutLine(s, marker string) (before, after string, ok bool) {
	if strings.HasPrefix(s, marker+"\n") {
		return "", s[len(marker)+1:], true
	}
	i := strings.Index(s, "\n"+marker+"\n")
	if i < 0 {
		return "", "", false
	}
	return s[:i+1], s[i+len(marker)+2:], true
}

func parseArgs(rest string) (string, map[string]string, error) {
	var args map[string]string
	for strings.HasPrefix(rest, "$") {
		eq := strings.Index(rest, " = ")
		if eq < 0 {
			return rest, nil, fmt.Errorf("ucpilot script: argument line without ' = '")
		}
		name := rest[1:eq]
		if err := checkArgName(name); err != nil {
			return rest, nil, err
		}
		value, after, err := readQuoted(rest[eq+3:])
		if err != nil {
			return rest, nil, fmt.Errorf("ucpilot script: argument $%s: %w", name, err)
		}
		if !strings.HasPrefix(after, "\n") {
			return rest, nil, fmt.Errorf("ucpilot script: argument $%s: text after the closing quote", name)
		}
		if args == nil {
			args = map[string]string{}
		}
		args[name] = value
		rest = after[1:]
	}
	return rest, args, nil
}

// readQuoted reads a PowerShell single-quoted literal at the start of s, following the
// tokenizer's rule: a quote character ends the literal unless another quote character
// follows, in which case the second one is kept.
func readQuoted(s string) (value, rest string, err error) {
	r, n := utf8.DecodeRuneInString(s)
	if !IsSingleQuote(r) {
		return "", s, fmt.Errorf("expected a single-quoted string")
	}
	var b strings.Builder
	i := n
	for i < len(s) {
		r, n = utf8.DecodeRuneInString(s[i:])
		i += n
		if IsSingleQuote(r) {
			r2, n2 := utf8.DecodeRuneInString(s[i:])
			if i >= len(s) || !IsSingleQuote(r2) {
				return b.String(), s[i:], nil
			}
			r, i = r2, i+n2
		}
		b.WriteRune(r)
	}
	return "", s, fmt.Errorf("unterminated single-quoted string")
}
