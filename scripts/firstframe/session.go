package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// terminal is how the emulated terminal answers the program's queries.
type terminal struct {
	name       string
	answerOSC  bool // reply to OSC 10/11 colour queries
	answerDSR  bool // reply to the cursor position request
	background string
}

var (
	termAnswering = terminal{name: "answering", answerOSC: true, answerDSR: true, background: "rgb:0000/0000/0000"}
	termLight     = terminal{name: "answering-light", answerOSC: true, answerDSR: true, background: "rgb:ffff/ffff/ffff"}
	termDSROnly   = terminal{name: "dsr-only", answerDSR: true}
	termSilent    = terminal{name: "silent"}
)

// reply is what a terminal of this kind writes back for q, or nil.
func (t terminal) reply(q query) []byte {
	switch {
	case q == queryBackground && t.answerOSC:
		return []byte("\x1b]11;" + t.background + "\x1b\\")
	case q == queryForeground && t.answerOSC:
		return []byte("\x1b]10;rgb:ffff/ffff/ffff\x1b\\")
	case q == queryCursor && t.answerDSR:
		return []byte("\x1b[1;1R")
	}
	return nil
}

// sample is one start of the program.
type sample struct {
	FirstByte time.Duration // exec to the first byte on the terminal
	Query     time.Duration // exec to the first background query (0: none)
	Frame     time.Duration // exec to the moment every marker was on screen
	Queries   [numQueries]int
}

// runConfig describes one start: what to run and how the terminal behaves.
type runConfig struct {
	bin        string
	args       []string
	env        []string
	cols, rows int
	term       terminal
	markers    [][]byte
	timeout    time.Duration
	trace      io.Writer // when set, every read is logged with its time
}

// runOnce starts the program in a fresh pty, plays the terminal, and stops
// the program (SIGKILL: only the start is measured) once the frame is seen.
func runOnce(c runConfig) (sample, error) {
	var smp sample
	cmd := exec.Command(c.bin, c.args...)
	cmd.Env = c.env
	start := time.Now()
	master, err := startInPTY(cmd, c.cols, c.rows)
	if err != nil {
		return smp, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		master.Close()
	}()
	if err := master.SetReadDeadline(start.Add(c.timeout)); err != nil {
		return smp, fmt.Errorf("pty read deadline: %w", err)
	}
	var s stream
	buf := make([]byte, 32<<10)
	for {
		n, rerr := master.Read(buf)
		now := time.Since(start)
		if n > 0 {
			if c.trace != nil {
				fmt.Fprintf(c.trace, "%8.2f ms  %5d bytes  %q\n", ms(now), n, clip(buf[:n], 60))
			}
			if smp.FirstByte == 0 {
				smp.FirstByte = now
			}
			s.write(buf[:n])
			for _, q := range s.queries() {
				smp.Queries[q]++
				if q == queryBackground && smp.Query == 0 {
					smp.Query = now
				}
				if r := c.term.reply(q); r != nil {
					if _, err := master.Write(r); err != nil {
						return smp, fmt.Errorf("answering the %s query: %w", q, err)
					}
				}
			}
			if s.hasAll(c.markers) {
				smp.Frame = now
				return smp, nil
			}
		}
		if rerr != nil {
			return smp, frameError(c, rerr, &s)
		}
	}
}

// frameError explains a start that never showed the frame.
func frameError(c runConfig, err error, s *stream) error {
	why := "the program exited or closed the terminal"
	if errors.Is(err, os.ErrDeadlineExceeded) {
		why = fmt.Sprintf("no frame within %s", c.timeout)
	}
	var names []string
	for _, m := range c.markers {
		names = append(names, fmt.Sprintf("%q", m))
	}
	return fmt.Errorf("%s %s: %s (markers %s not all seen; last screen text: %q); check the binary starts the TUI with these arguments, or pass -marker",
		c.bin, strings.Join(c.args, " "), why, strings.Join(names, ", "), s.tail(300))
}

func clip(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
