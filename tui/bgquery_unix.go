//go:build unix

package tui

import (
	"bytes"
	"os"
	"strings"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// queryBackground asks the terminal on f for its background colour as
// termenv does — OSC 11, then a cursor report that every VT100-style
// terminal answers, so a terminal without OSC 11 still says something — but
// waits only firstByte for the first byte of any answer, where termenv
// waits 5 s. Once bytes arrive the terminal is alive and gets up to whole
// to finish, so a slow SSH link does not leave half a reply to be read as
// key presses. ok is false when the terminal did not tell.
func queryBackground(f *os.File, firstByte, whole time.Duration) (dark, ok bool) {
	// Like termenv: a multiplexer may sit between several terminals, and a
	// dumb terminal has no escape sequences at all.
	if t := os.Getenv("TERM"); strings.HasPrefix(t, "screen") || strings.HasPrefix(t, "tmux") || strings.HasPrefix(t, "dumb") {
		return false, false
	}
	fd := int(f.Fd())
	if pg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || pg != unix.Getpgrp() {
		return false, false // a background job must not touch the terminal
	}
	old, err := term.MakeRaw(fd)
	if err != nil {
		return false, false
	}
	defer term.Restore(fd, old) //nolint:errcheck // best effort, as termenv
	if _, err := f.WriteString("\x1b]11;?\x1b\\\x1b[6n"); err != nil {
		return false, false
	}
	var reply []byte
	buf := make([]byte, 64)
	deadline := time.Now().Add(firstByte)
	for len(reply) < 256 {
		left := time.Until(deadline)
		if left <= 0 {
			return false, false
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left/time.Millisecond)+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return false, false
		}
		n, err = unix.Read(fd, buf)
		if err != nil || n <= 0 {
			return false, false
		}
		if len(reply) == 0 {
			deadline = time.Now().Add(whole)
		}
		reply = append(reply, buf[:n]...)
		if cursorReportDone(reply) {
			return parseBackgroundReply(reply)
		}
	}
	return false, false
}

// cursorReportDone reports whether reply ends with the cursor report
// (ESC [ row ; col R), which a terminal sends after any OSC 11 answer.
func cursorReportDone(reply []byte) bool {
	i := bytes.LastIndex(reply, []byte("\x1b["))
	return i >= 0 && bytes.IndexByte(reply[i:], 'R') > 0
}
