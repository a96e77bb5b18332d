package knowledge

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Cmdlet parameters: every parameter a command of the base gives a cmdlet must
// be one the cmdlet reference lists. The reference is kept as a small table
// (assets/cmdlet-params.yaml), each row taken from the cmdlet's page in
// Microsoft's PowerShell documentation, so a parameter that was misremembered
// (Set-CsPartnerApplication -ApplicationIdentifier) or dropped from a module
// is caught before an admin pastes the command.

// CmdletParams is one row of the table: a cmdlet or script, the parameters
// its reference lists, and where that reference is.
type CmdletParams struct {
	Name   string   `yaml:"name"`
	Source string   `yaml:"source"`
	Params []string `yaml:"params"`
	// Aliases are the other names the page lists for some parameters.
	Aliases []string `yaml:"aliases,omitempty"`
	// Extra are parameters a Microsoft procedure uses that the reference
	// page does not list; ExtraSource is that procedure and Note says what
	// is known about them. A row with Extra must have both.
	Extra       []string `yaml:"extra,omitempty"`
	ExtraSource string   `yaml:"extra_source,omitempty"`
	Note        string   `yaml:"note,omitempty"`
}

// CmdletParamTable is the whole table.
type CmdletParamTable struct {
	Cmdlets []CmdletParams `yaml:"cmdlets"`
}

// commonParams are PowerShell's common parameters: every cmdlet and advanced
// script accepts them (about_CommonParameters). WhatIf and Confirm are not
// here: only cmdlets that declare them accept them.
var commonParams = []string{
	"Debug", "ErrorAction", "ErrorVariable", "InformationAction", "InformationVariable",
	"OutBuffer", "OutVariable", "PipelineVariable", "ProgressAction", "Verbose",
	"WarningAction", "WarningVariable",
}

// cmdletCall is one invocation found in a command text: the cmdlet (or the
// script's file name) and the parameter names given to it, without the dash.
type cmdletCall struct {
	Name   string
	Params []string
}

var (
	reCmdletName = regexp.MustCompile(`^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$`)
	reParamToken = regexp.MustCompile(`^-([A-Za-z][A-Za-z0-9]*)(:.*)?$`)
	reTemplate   = regexp.MustCompile(`\{\{[^}]*\}\}`)
)

// cmdletCalls finds the cmdlet and script invocations in a PowerShell command
// text and the parameters each is given. It reads the text the way the shell
// splits it into statements: a pipe, a semicolon or a line end starts a new
// one, a bracket opens a nested one, and quoted strings and comments are
// skipped. It only has to be right for the commands the base holds; anything
// it cannot read as an invocation it leaves alone.
func cmdletCalls(text string) []cmdletCall {
	text = reTemplate.ReplaceAllString(text, "X")
	type frame struct {
		call  int // index into calls of the statement's invocation, or -1
		start bool
		amp   bool // the call operator & was just read
	}
	var calls []cmdletCall
	stack := []frame{{call: -1, start: true}}
	top := func() *frame { return &stack[len(stack)-1] }
	newStatement := func() { f := top(); f.call, f.start, f.amp = -1, true, false }
	word := func(w string, quoted bool) {
		f := top()
		if f.start || f.amp {
			name := ""
			switch {
			case !quoted && reCmdletName.MatchString(w):
				name = w
			case strings.HasSuffix(strings.ToLower(w), ".ps1"):
				name = path.Base(strings.ReplaceAll(w, `\`, "/"))
			}
			if name != "" {
				calls = append(calls, cmdletCall{Name: name})
				f.call = len(calls) - 1
			}
			f.start, f.amp = false, false
			return
		}
		if quoted || f.call < 0 {
			return
		}
		if m := reParamToken.FindStringSubmatch(w); m != nil {
			calls[f.call].Params = append(calls[f.call].Params, m[1])
		}
	}
	rs := []rune(text)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '`' && i+1 < len(rs):
			i++ // escaped character, or a line continuation
		case r == '\n' || r == ';' || r == '|':
			newStatement()
		case r == ' ' || r == '\t' || r == '\r' || r == ',':
		case r == '#':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			i--
		case r == '\'' || r == '"':
			j := i + 1
			for ; j < len(rs); j++ {
				if rs[j] == '`' && r == '"' {
					j++
					continue
				}
				if rs[j] == r {
					if j+1 < len(rs) && rs[j+1] == r { // doubled quote inside the string
						j++
						continue
					}
					break
				}
			}
			if j > len(rs) {
				j = len(rs)
			}
			word(string(rs[i+1:min(j, len(rs))]), true)
			i = j
		case r == '(' || r == '{' || ((r == '@' || r == '$') && i+1 < len(rs) && (rs[i+1] == '(' || rs[i+1] == '{')):
			if r == '@' || r == '$' {
				i++
			}
			top().start, top().amp = false, false
			stack = append(stack, frame{call: -1, start: true})
		case r == ')' || r == '}':
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case r == '[':
			depth := 0 // a type literal or an index: nothing in it is a parameter
			for ; i < len(rs); i++ {
				if rs[i] == '[' {
					depth++
				} else if rs[i] == ']' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
		case r == '=' && top().call < 0:
			newStatement() // $x = Get-Thing ...
		case r == '&' && top().start:
			top().amp = true
		default:
			j := i
			for j < len(rs) && !strings.ContainsRune(" \t\r\n;|(){}'\"`,[", rs[j]) {
				j++
			}
			word(string(rs[i:j]), false)
			i = j - 1
		}
	}
	return calls
}

// cmdletParams checks every command of the base (step and verify commands,
// pitfall commands, the cmdlet examples) against the table: a cmdlet the
// table lists may be given only the parameters it lists, plus the common
// parameters. Names are compared without regard to case, and must be written
// in full: an abbreviation that works today breaks when a module adds a
// parameter with the same start.
func cmdletParams(b *Base, table CmdletParamTable) []error {
	known := map[string]CmdletParams{}
	for _, c := range table.Cmdlets {
		known[strings.ToLower(c.Name)] = c
	}
	var errs []error
	check := func(where, text string) {
		for _, call := range cmdletCalls(text) {
			row, ok := known[strings.ToLower(call.Name)]
			if !ok {
				continue
			}
			for _, p := range call.Params {
				if containsFold(row.Params, p) || containsFold(row.Aliases, p) || containsFold(row.Extra, p) || containsFold(commonParams, p) {
					continue
				}
				errs = append(errs, fmt.Errorf("%s gives %s the parameter -%s, which its reference (%s) does not list; it takes %s",
					where, row.Name, p, row.Source, strings.Join(dashed(row.Params), " ")))
			}
		}
	}
	l := &linter{b: b}
	l.eachCommand(func(where string, c Command) { check(where, c.Text) })
	for _, c := range b.Cmdlets {
		if c.Example != "" {
			check(fmt.Sprintf("cmdlet %s example", c.Name), c.Example)
		}
	}
	return errs
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

func dashed(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = "-" + p
	}
	return out
}
