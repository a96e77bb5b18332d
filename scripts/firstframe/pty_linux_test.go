//go:build linux

package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The test binary doubles as the program under test: started with
// FIRSTFRAME_FAKE=1 it behaves like a TUI that asks its terminal for the
// background colour (as termenv does) and then draws a line saying what it
// learned and the window size it saw.
func TestMain(m *testing.M) {
	if os.Getenv("FIRSTFRAME_FAKE") == "1" {
		fakeTUI()
		return
	}
	os.Exit(m.Run())
}

func fakeTUI() {
	fd := int(os.Stdin.Fd())
	if t, err := unix.IoctlGetTermios(fd, unix.TCGETS); err == nil {
		raw := *t
		raw.Lflag &^= unix.ECHO | unix.ICANON
		_ = unix.IoctlSetTermios(fd, unix.TCSETS, &raw)
	}
	fmt.Print("\x1b]11;?\x1b\\\x1b[6n")
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 64)
		n, _ := os.Stdin.Read(buf)
		got <- string(buf[:n])
	}()
	answer := "none"
	select {
	case s := <-got:
		switch {
		case strings.Contains(s, "]11;rgb:"):
			answer = "colour"
		case strings.Contains(s, "R"):
			answer = "cursor"
		}
	case <-time.After(300 * time.Millisecond):
	}
	ws, _ := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ)
	fmt.Printf("\x1b[2J\x1b[1mREADY\x1b[0m answer=%s size=%dx%d\r\n", answer, ws.Col, ws.Row)
	time.Sleep(time.Minute) // killed by runOnce
}

func TestRunOnceInPTY(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		term terminal
		want string
	}{
		{termAnswering, "answer=colour size=80x24"},
		{termDSROnly, "answer=cursor size=80x24"},
		{termSilent, "answer=none size=80x24"},
	} {
		t.Run(tc.term.name, func(t *testing.T) {
			c := runConfig{
				bin: self, args: []string{"-test.run=^$"},
				env:  append(os.Environ(), "FIRSTFRAME_FAKE=1"),
				cols: 80, rows: 24, term: tc.term, timeout: 10 * time.Second,
				markers: [][]byte{[]byte("READY"), []byte(tc.want)},
			}
			s, err := runOnce(c)
			if err != nil {
				t.Fatal(err)
			}
			if s.Queries[queryBackground] != 1 || s.Queries[queryCursor] != 1 {
				t.Errorf("queries seen %v, want one colour and one cursor query", s.Queries)
			}
			if s.FirstByte <= 0 || s.Query < s.FirstByte || s.Frame < s.Query {
				t.Errorf("times out of order: first byte %v, query %v, frame %v", s.FirstByte, s.Query, s.Frame)
			}
		})
	}
}

func TestRunOnceExplainsMissingFrame(t *testing.T) {
	c := runConfig{bin: "/bin/sh", args: []string{"-c", "echo hello"}, env: os.Environ(),
		cols: 80, rows: 24, term: termAnswering, timeout: 5 * time.Second,
		markers: [][]byte{[]byte("Troubleshoot")}}
	_, err := runOnce(c)
	if err == nil {
		t.Fatal("no error although the marker never appeared")
	}
	for _, want := range []string{`"Troubleshoot"`, "hello", "-marker"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}
