package tui

import (
	"bytes"
	"strconv"
)

// parseBackgroundReply reads the OSC 11 answer "ESC ] 11 ; rgb:R/G/B"
// (each component 1 to 4 hex digits, ended by BEL or ST) from a terminal's
// reply and reports whether that colour is dark, by HSL lightness below
// one half as termenv decides. ok is false when there is no such answer.
func parseBackgroundReply(reply []byte) (dark, ok bool) {
	i := bytes.Index(reply, []byte("\x1b]11;rgb:"))
	if i < 0 {
		return false, false
	}
	rest := reply[i+len("\x1b]11;rgb:"):]
	end := bytes.IndexAny(rest, "\x07\x1b")
	if end < 0 {
		return false, false
	}
	parts := bytes.Split(rest[:end], []byte("/"))
	if len(parts) != 3 {
		return false, false
	}
	var c [3]float64
	for k, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return false, false
		}
		v, err := strconv.ParseUint(string(p), 16, 16)
		if err != nil {
			return false, false
		}
		c[k] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	lightness := (max(c[0], c[1], c[2]) + min(c[0], c[1], c[2])) / 2
	return lightness < 0.5, true
}
