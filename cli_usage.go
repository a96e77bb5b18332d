package main

import (
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/engine"
)

// usageExitCode is the exit status of a flag or argument error cobra
// found. check answers monitoring systems, where 2 reads CRITICAL: a
// mistyped flag there is "could not run" (3, UNKNOWN). Elsewhere it is 2.
func usageExitCode(root *cobra.Command, args []string) int {
	if c, _, err := root.Find(args); err == nil && c.Name() == "check" {
		return engine.ExitCouldNotRun
	}
	return 2
}

var unknownCommandRE = regexp.MustCompile(`^unknown command "([^"]*)" for "([^"]*)"`)

// suggestCommand names the nearest command to a mistyped one ("chek" →
// "check"), or "" when nothing is near.
func suggestCommand(root *cobra.Command, err error) string {
	m := unknownCommandRE.FindStringSubmatch(err.Error())
	if m == nil {
		return ""
	}
	parent := root
	if path := strings.Fields(m[2]); len(path) > 1 {
		if c, _, ferr := root.Find(path[1:]); ferr == nil {
			parent = c
		}
	}
	if parent.SuggestionsMinimumDistance <= 0 {
		parent.SuggestionsMinimumDistance = 2
	}
	s := parent.SuggestionsFor(m[1])
	if len(s) == 0 {
		return ""
	}
	return "Did you mean " + strings.Join(s, " or ") + "?"
}
