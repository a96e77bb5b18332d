package main

import "bytes"

// query is a request the program under test sent to its terminal and that a
// real terminal would answer on the program's input.
type query int

const (
	queryBackground query = iota // OSC 11 ; ? — background colour (termenv, Lip Gloss)
	queryForeground              // OSC 10 ; ? — foreground colour
	queryCursor                  // CSI 6 n — cursor position report (DSR)
	numQueries
)

func (q query) String() string {
	return [...]string{"osc11", "osc10", "dsr"}[q]
}

// queryPatterns are matched on the raw byte stream. termenv ends its OSC
// queries with ST (ESC \); matching only the prefix also catches BEL endings.
var queryPatterns = [numQueries][]byte{
	queryBackground: []byte("\x1b]11;?"),
	queryForeground: []byte("\x1b]10;?"),
	queryCursor:     []byte("\x1b[6n"),
}

const longestPattern = 6

// stream follows what the program wrote to the terminal: the raw bytes (to
// find queries, which may be split across reads) and the visible text with
// escape sequences removed (to find the words of the first frame, which may
// be wrapped in colour codes).
type stream struct {
	raw     []byte
	scanned int // raw[:scanned] has been searched for queries
	text    []byte
	state   stripState
}

func (s *stream) write(p []byte) {
	s.raw = append(s.raw, p...)
	s.text = s.state.strip(s.text, p)
}

// queries returns the queries completed since the last call, in the order
// the program sent them, so replies go out in the order a terminal would
// send them (termenv reads the OSC reply first, then the cursor report).
func (s *stream) queries() []query {
	var out []query
	for {
		rest := s.raw[s.scanned:]
		best, kind := -1, query(0)
		for q, pat := range queryPatterns {
			if i := bytes.Index(rest, pat); i >= 0 && (best < 0 || i < best) {
				best, kind = i, query(q)
			}
		}
		if best < 0 {
			break
		}
		out = append(out, kind)
		s.scanned += best + len(queryPatterns[kind])
	}
	// Keep a possible partial pattern at the end for the next read.
	if keep := len(s.raw) - (longestPattern - 1); keep > s.scanned {
		s.scanned = keep
	}
	return out
}

// hasAll reports whether every marker appears in the visible text.
func (s *stream) hasAll(markers [][]byte) bool {
	for _, m := range markers {
		if !bytes.Contains(s.text, m) {
			return false
		}
	}
	return true
}

// tail returns up to n bytes of the end of the visible text, for errors.
func (s *stream) tail(n int) string {
	if len(s.text) <= n {
		return string(s.text)
	}
	return string(s.text[len(s.text)-n:])
}

// stripState is a small ECMA-48 parser that keeps printable bytes and drops
// control sequences (CSI), string sequences (OSC, DCS, APC, PM, SOS) and
// two- or three-byte escapes. Its state survives across writes.
type stripState int

const (
	stGround    stripState = iota
	stEscape               // after ESC
	stInter                // ESC followed by intermediate bytes, e.g. ESC ( B
	stCSI                  // inside ESC [ ... final
	stString               // inside OSC/DCS/APC/PM/SOS, until BEL or ST
	stStringEsc            // ESC seen inside a string: ST if the next byte is '\'
)

func (st *stripState) strip(dst, p []byte) []byte {
	for _, b := range p {
		switch *st {
		case stGround:
			switch {
			case b == 0x1b:
				*st = stEscape
			case b == '\n' || b == '\r':
				dst = append(dst, '\n')
			case b >= 0x20 || b == '\t':
				dst = append(dst, b)
			}
		case stEscape:
			switch {
			case b == '[':
				*st = stCSI
			case b == ']' || b == 'P' || b == 'X' || b == '^' || b == '_':
				*st = stString
			case b >= 0x20 && b <= 0x2f:
				*st = stInter
			case b == 0x1b:
				// ESC ESC: the first one was cut short.
			default:
				*st = stGround
			}
		case stInter:
			if b < 0x20 || b > 0x2f {
				*st = stGround
			}
		case stCSI:
			if b >= 0x40 && b <= 0x7e {
				*st = stGround
			}
		case stString:
			switch b {
			case 0x07:
				*st = stGround
			case 0x1b:
				*st = stStringEsc
			}
		case stStringEsc:
			if b == '\\' {
				*st = stGround
			} else {
				*st = stString
			}
		}
	}
	return dst
}
