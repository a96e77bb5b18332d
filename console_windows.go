//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

type winConsole windows.Handle

func (h winConsole) get() (uint32, error) {
	var mode uint32
	err := windows.GetConsoleMode(windows.Handle(h), &mode)
	return mode, err
}

func (h winConsole) set(mode uint32) error { return windows.SetConsoleMode(windows.Handle(h), mode) }

// prepareConsole switches VT processing on for stdout before the TUI
// starts. Bubble Tea also does this inside Program.Run, but only after it
// has committed to the terminal; doing it first lets an old console fail
// with an explanation, and keeps anything printed before Run readable.
// Call restore after the TUI exits.
func prepareConsole() (restore func(), err error) {
	return enableVT(winConsole(windows.Handle(os.Stdout.Fd())))
}
