//go:build !unix

package tui

import (
	"os"
	"time"
)

// queryBackground does not ask on Windows: termenv does not either
// (termenv_windows.go), and the console has no OSC 11.
func queryBackground(_ *os.File, _, _ time.Duration) (dark, ok bool) { return false, false }
