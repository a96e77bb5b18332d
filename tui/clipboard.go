package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/atotto/clipboard"
	osc52 "github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/term"
)

// Clipboard copies text for the user and says where the text went, as a
// phrase the status bar shows ("sent to the terminal (OSC 52)"): only what
// was seen to work is claimed.
type Clipboard interface {
	Copy(text string) (how string, err error)
}

// The phrases Copy returns, one per way that worked.
const (
	howTmux   = "copied to tmux's paste buffer (prefix ] pastes)"
	howNative = "copied to the system clipboard"
	// OSC 52 is fire and forget: the terminal (or tmux, screen, a
	// terminal with clipboard access off) may drop it without a word.
	howOSC52 = "sent to the terminal (OSC 52)"
)

// osc52Limit caps the text sent through OSC 52: some terminals drop or choke
// on long sequences, and no command of ours comes near it.
const osc52Limit = 64 * 1024

// clipboardEnv lets a user force one way: auto (default), tmux, osc52,
// native, off.
const clipboardEnv = "UCPILOT_CLIPBOARD"

// TerminalClipboard sends OSC 52 to the terminal (which reaches the local
// clipboard even over SSH) and also writes the native clipboard where a
// display exists. Inside tmux ($TMUX set) it loads tmux's paste buffer
// instead of OSC 52: tmux's defaults (set-clipboard external,
// allow-passthrough off) drop the sequence silently, while load-buffer -w
// always fills the buffer and forwards it to the outer terminal where tmux
// allows. Every field is injectable so tests capture the bytes.
type TerminalClipboard struct {
	Out    io.Writer           // the terminal; nil skips OSC 52
	Getenv func(string) string // nil means os.Getenv
	GOOS   string              // empty means runtime.GOOS
	Native func(string) error  // nil means no native clipboard
	Tmux   func(string) error  // loads tmux's paste buffer; nil means never
}

// Copy copies text and names the ways that worked.
func (c *TerminalClipboard) Copy(text string) (string, error) {
	getenv := c.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	goos := c.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	mode := strings.ToLower(getenv(clipboardEnv))
	var ways []string
	var errs []error
	auto := mode == "" || mode == "auto"
	inTmux, sent := false, false
	if c.Tmux != nil && getenv("TMUX") != "" && (auto || mode == "tmux") {
		if err := c.Tmux(text); err != nil {
			errs = append(errs, fmt.Errorf("tmux load-buffer: %w", err))
		} else {
			inTmux = true
			ways = append(ways, howTmux)
		}
	}
	if c.Out != nil && !inTmux && (auto || mode == "osc52") {
		if len(text) > osc52Limit {
			errs = append(errs, fmt.Errorf("OSC 52: %d bytes is over the %d-byte limit", len(text), osc52Limit))
		} else if _, err := io.WriteString(c.Out, osc52Sequence(text, getenv)); err != nil {
			errs = append(errs, fmt.Errorf("OSC 52: %w", err))
		} else {
			sent = true
		}
	}
	if c.Native != nil && (mode == "native" || (mode != "off" && mode != "osc52" && hasDisplay(getenv, goos))) {
		if err := c.Native(text); err != nil {
			errs = append(errs, fmt.Errorf("system clipboard: %w", err))
		} else {
			ways = append(ways, howNative)
		}
	}
	if sent {
		ways = append(ways, howOSC52) // the certain ways first
	}
	if len(ways) == 0 {
		if len(errs) == 0 {
			errs = append(errs, fmt.Errorf("no clipboard is reachable (%s=%q, no terminal output)", clipboardEnv, mode))
		}
		return "", errors.Join(errs...)
	}
	return strings.Join(ways, ", "), nil
}

// tmuxLoadBuffer puts text in the paste buffer of the tmux server named by
// $TMUX; -w (tmux 3.2+) also hands it to the outer terminal's clipboard
// when tmux's set-clipboard allows. An older tmux refuses -w: the buffer
// alone is still worth having.
func tmuxLoadBuffer(text string) error {
	load := func(args ...string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "tmux", args...)
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.CombinedOutput()
		if err != nil && len(out) > 0 {
			return fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
		}
		return err
	}
	if err := load("load-buffer", "-w", "-"); err != nil {
		if err2 := load("load-buffer", "-"); err2 != nil {
			return err
		}
	}
	return nil
}

// osc52Sequence wraps the OSC 52 sequence for the multiplexer in between:
// tmux needs a DCS passthrough (with allow-passthrough on, or set-clipboard
// on handles the plain form), GNU screen a DCS in chunks.
func osc52Sequence(text string, getenv func(string) string) string {
	seq := osc52.New(text)
	switch {
	case getenv("TMUX") != "":
		seq = seq.Tmux()
	case strings.HasPrefix(getenv("TERM"), "screen"):
		seq = seq.Screen()
	}
	return seq.String()
}

// hasDisplay reports whether a native clipboard can exist: a desktop OS, or
// an X11 / Wayland session. Over plain SSH there is none, and the X11 tools
// would only print errors.
func hasDisplay(getenv func(string) string, goos string) bool {
	switch goos {
	case "windows", "darwin":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}

// copyCmd copies off the Update loop: the native clipboard may start a
// process (xclip, wl-copy) and must not freeze the screen.
func copyCmd(cb Clipboard, text string) tea.Cmd {
	return func() tea.Msg {
		if cb == nil {
			return copiedMsg{text: text, err: errors.New("no clipboard configured")}
		}
		how, err := cb.Copy(text)
		return copiedMsg{text: text, how: how, err: err}
	}
}

// outputTarget is where the program draws and where OSC 52 goes.
type outputTarget struct {
	writer   io.Writer // what Bubble Tea renders to
	isStdout bool      // writer is the process's stdout
	terminal bool      // writer is a terminal device
	clip     io.Writer // the terminal for OSC 52, or nil
	closer   io.Closer // a /dev/tty we opened, closed when Run ends
}

// resolveOutput picks the terminal for OSC 52: a writer the caller gave
// that is not a file (a test buffer, an SSH session) is trusted as the
// terminal; a file is used if it is a terminal; otherwise (openTTY) the
// controlling terminal, so `ucpilot > log` still copies to the clipboard.
func resolveOutput(o Options, openTTY bool) outputTarget {
	w := o.Output
	if w == nil {
		w = os.Stdout
	}
	t := outputTarget{writer: w}
	f, isFile := w.(*os.File)
	if !isFile {
		t.clip = w
		return t
	}
	t.isStdout = f == os.Stdout
	if term.IsTerminal(int(f.Fd())) {
		t.terminal, t.clip = true, f
		return t
	}
	if openTTY && runtime.GOOS != "windows" {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			t.clip, t.closer = tty, tty
		}
	}
	return t
}

// defaultClipboard is the TerminalClipboard for a session.
func defaultClipboard(out outputTarget) Clipboard {
	return &TerminalClipboard{Out: out.clip, Native: clipboard.WriteAll, Tmux: tmuxLoadBuffer}
}
