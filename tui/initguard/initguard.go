// Package initguard keeps Bubble Tea v1's package init from asking the
// terminal for its background colour before main has read a flag.
//
// bubbletea@v1.3.10 tea_init.go:21 calls lipgloss.HasDarkBackground() in an
// init function; on a terminal that answers neither the OSC 11 query nor the
// cursor report, termenv waits its OSCTimeout of 5 s (termenv@v0.16.0
// termenv_unix.go:18 and :150), for every command, even --theme dark and
// `ucpilot version`. termenv skips the query when TERM starts with "dumb"
// (termenv_unix.go:238), so this package sets TERM=dumb for the span of the
// package inits and tui's init puts the real value back; tui.Run then asks
// the terminal itself with a short deadline (tui/bgquery_unix.go).
//
// Ordering: Go (1.21 and later) initialises, at each step, the first
// package in import-path order whose imports are all initialised. This
// package imports only "os", so it is ready as soon as "os" is, and it
// sorts before "log", "os/signal" and "os/exec", which Bubble Tea imports
// and which themselves wait for "os"; so it always runs before Bubble Tea's
// init. It must keep importing nothing but "os".
package initguard

import "os"

var term, hadTerm = os.LookupEnv("TERM")

func init() {
	// A failure leaves TERM as it was: the query then runs as before.
	_ = os.Setenv("TERM", "dumb")
}

// Restore puts back the TERM the process started with.
func Restore() {
	if hadTerm {
		_ = os.Setenv("TERM", term)
	} else {
		_ = os.Unsetenv("TERM")
	}
}

// Saved returns the TERM the process started with, as Restore puts it back.
func Saved() (value string, ok bool) { return term, hadTerm }
