//go:build !windows

package main

// prepareConsole is a no-op outside Windows: Unix terminals interpret
// escape sequences without being asked.
func prepareConsole() (restore func(), err error) { return func() {}, nil }
