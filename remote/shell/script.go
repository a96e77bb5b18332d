package shell

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Script is a PowerShell script whose untrusted values travel as data. Body refers to
// each value by variable name ($sipUri); Render emits one `$name = '<quoted>'` line per
// argument before any code, so a value can never become code, whatever it contains.
//
//	shell.Script{
//	    Prelude: shell.SfBPrelude(),
//	    Body:    "Get-CsPartnerApplication -Identity $appId",
//	    Args:    map[string]string{"appId": id},
//	    JSON:    true,
//	}
type Script struct {
	Prelude string            // product loader, e.g. ExchangePrelude(); may be empty
	Body    string            // the code; trusted, written by ucpilot
	Args    map[string]string // variable name (without $) -> value
	// JSON wraps prelude and body in the envelope: $ErrorActionPreference='Stop', the
	// output as ConvertTo-Json -Depth 5 -Compress after JSONMarker on stdout, and any
	// error as a JSON object on stderr with exit code 1. See JSONPayload, ParseRemoteError.
	JSON bool
}

// JSONMarker precedes the JSON payload on stdout. Banners printed by product preludes
// (Connect-ExchangeServer writes to the host, which is stdout here) come before it.
const JSONMarker = "@@ucpilot-json@@"

// Render markers; ParseRendered relies on them.
const (
	header        = "# ucpilot script v1"
	preludeMarker = "# ucpilot:prelude"
	bodyMarker    = "# ucpilot:body"
	endMarker     = "# ucpilot:end"
	jsonOpen      = "try {\n$ucpilotOut = @(& {"
)

// automatic variables an argument must not shadow (PowerShell names are case-insensitive).
var reservedVars = map[string]bool{
	"args": true, "input": true, "this": true, "true": true, "false": true, "null": true,
	"psitem": true, "error": true, "host": true, "home": true, "pid": true, "pwd": true,
	"matches": true, "lastexitcode": true, "erroractionpreference": true,
	"progresspreference": true, "env": true, "foreach": true, "switch": true, "myinvocation": true,
}

// ArgNameError says an argument name cannot be used as a variable.
type ArgNameError struct{ Name, Reason string }

func (e *ArgNameError) Error() string {
	return fmt.Sprintf("script argument name %q cannot be used: %s", e.Name, e.Reason)
}

func checkArgName(name string) error {
	if name == "" {
		return &ArgNameError{name, "it is empty"}
	}
	for i, r := range name {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !(letter || i > 0 && (r >= '0' && r <= '9' || r == '_')) {
			return &ArgNameError{name, "use ASCII letters, then letters, digits or _"}
		}
	}
	lower := strings.ToLower(name)
	if reservedVars[lower] {
		return &ArgNameError{name, "it is a PowerShell automatic variable"}
	}
	if strings.HasPrefix(lower, "ucpilot") {
		return &ArgNameError{name, "names starting with ucpilot are reserved for the envelope"}
	}
	return nil
}

// ArgValueError says a value cannot be passed to a script unchanged.
type ArgValueError struct{ Name, Reason string }

func (e *ArgValueError) Error() string {
	return fmt.Sprintf("script argument $%s cannot be passed: %s", e.Name, e.Reason)
}

// Render returns the script text. It fails, rather than alter a value, when an argument
// name is unusable or a value contains NUL or invalid UTF-8.
func (s Script) Render() (string, error) {
	names := make([]string, 0, len(s.Args))
	seen := map[string]string{}
	for name := range s.Args {
		if err := checkArgName(name); err != nil {
			return "", err
		}
		if prev, dup := seen[strings.ToLower(name)]; dup {
			return "", &ArgNameError{name, fmt.Sprintf("it differs from %q only by case, and PowerShell "+
				"variable names ignore case", prev)}
		}
		seen[strings.ToLower(name)] = name
		names = append(names, name)
	}
	sort.Strings(names)

	var b strings.Builder
	b.WriteString(header + "\n")
	b.WriteString("$ProgressPreference = 'SilentlyContinue'\n")
	b.WriteString("[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false\n")
	if s.JSON {
		b.WriteString("$ErrorActionPreference = 'Stop'\n")
	}
	for _, name := range names {
		v := s.Args[name]
		if !utf8.ValidString(v) {
			return "", &ArgValueError{name, "the value is not valid UTF-8"}
		}
		if strings.ContainsRune(v, 0) {
			return "", &ArgValueError{name, "the value contains a NUL character"}
		}
		b.WriteString("$" + name + " = " + Quote(v) + "\n")
	}
	if s.JSON {
		b.WriteString(jsonOpen + "\n")
	}
	b.WriteString(preludeMarker + "\n")
	if s.Prelude != "" {
		b.WriteString(strings.TrimRight(s.Prelude, "\n") + "\n")
	}
	b.WriteString(bodyMarker + "\n")
	b.WriteString(strings.TrimRight(s.Body, "\n") + "\n")
	b.WriteString(endMarker + "\n")
	if s.JSON {
		b.WriteString(jsonClose)
	}
	return b.String(), nil
}

// jsonClose ends the envelope. -InputObject (not the pipeline) keeps a one-item result
// an array in Windows PowerShell 5.1, which has no -AsArray. Errors become one JSON
// object on stderr so the caller gets the message without CLIXML noise.
const jsonClose = `})
[Console]::Out.Write("` + "`n" + `" + '` + JSONMarker + `' + "` + "`n" + `")
[Console]::Out.Write((ConvertTo-Json -InputObject $ucpilotOut -Depth 5 -Compress))
[Console]::Out.Flush()
exit 0
} catch {
$ucpilotE = $_
$ucpilotErr = @{ error = @{
  message = [string]$ucpilotE.Exception.Message
  type = [string]$ucpilotE.Exception.GetType().FullName
  category = [string]$ucpilotE.CategoryInfo.Category
  errorId = [string]$ucpilotE.FullyQualifiedErrorId
  target = [string]$ucpilotE.TargetObject
  position = [string]$ucpilotE.InvocationInfo.PositionMessage
} }
[Console]::Error.Write((ConvertTo-Json -InputObject $ucpilotErr -Depth 3 -Compress))
[Console]::Error.Flush()
exit 1
}
`
