package main

import (
	"errors"
	"fmt"
)

// enableVirtualTerminalProcessing is the Windows console output mode bit
// (ENABLE_VIRTUAL_TERMINAL_PROCESSING) that makes the console interpret
// ANSI/VT escape sequences instead of printing them. Declared here so the
// decision logic below builds and is tested on every platform.
const enableVirtualTerminalProcessing uint32 = 0x0004

// consoleMode reads and writes one console handle's mode.
type consoleMode interface {
	get() (uint32, error)
	set(mode uint32) error
}

// errLegacyConsole means the console cannot draw the TUI at all.
var errLegacyConsole = errors.New("this console does not understand terminal escape sequences")

// enableVT turns on VT processing for c and returns how to undo it.
// Output that is not a console (a pipe, a file, a mintty pty) is left
// alone: there is nothing to switch and nothing to restore.
func enableVT(c consoleMode) (restore func(), err error) {
	noop := func() {}
	mode, err := c.get()
	if err != nil {
		return noop, nil
	}
	if mode&enableVirtualTerminalProcessing != 0 {
		return noop, nil
	}
	if err := c.set(mode | enableVirtualTerminalProcessing); err != nil {
		// Consoles before Windows 10 1511 / Server 2016 reject the bit,
		// and Bubble Tea would then fail with a bare "parameter is
		// incorrect"; say what it means and what still works.
		return noop, fmt.Errorf("%w (%v): the console on Windows before 10 / Server 2016 cannot show the terminal UI; "+
			"run ucpilot in Windows Terminal or over SSH from another machine, "+
			"or use the plain-text subcommands (ucpilot search, id, kb)", errLegacyConsole, err)
	}
	return func() { _ = c.set(mode) }, nil
}
