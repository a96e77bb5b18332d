package main

import (
	"bytes"
	"slices"
	"testing"
	"time"
)

func TestStripDropsEscapes(t *testing.T) {
	in := "\x1b]11;?\x1b\\\x1b[6n\x1b[?1049h\x1b[H\r\x1b[1;94m ucpilot · Home\x1b[0m\x1b[K\r\n" +
		"\x1b(B\x1b]52;c;aGk=\x07> \x1b[7mTroubleshoot\x1b[0m"
	var st stripState
	got := string(st.strip(nil, []byte(in)))
	want := "\n ucpilot · Home\n\n> Troubleshoot"
	if got != want {
		t.Errorf("strip = %q, want %q", got, want)
	}
}

// Terminal output arrives in arbitrary chunks; the result must not depend
// on where the reads split it.
func TestStripAcrossWrites(t *testing.T) {
	in := []byte("a\x1b[1;94mb\x1b]11;rgb:0/0/0\x1b\\c\x1b]2;title\x07d")
	var whole stripState
	want := whole.strip(nil, in)
	for cut := range len(in) {
		var st stripState
		got := st.strip(nil, in[:cut])
		got = st.strip(got, in[cut:])
		if !bytes.Equal(got, want) {
			t.Fatalf("split at %d: %q, want %q", cut, got, want)
		}
	}
	if string(want) != "abcd" {
		t.Errorf("strip = %q, want abcd", want)
	}
}

func TestQueriesInOrderAndSplit(t *testing.T) {
	out := []byte("x\x1b]11;?\x1b\\\x1b[6ny\x1b]10;?\x07")
	for cut := range len(out) {
		var s stream
		s.write(out[:cut])
		got := s.queries()
		s.write(out[cut:])
		got = append(got, s.queries()...)
		want := []query{queryBackground, queryCursor, queryForeground}
		if !slices.Equal(got, want) {
			t.Fatalf("split at %d: queries %v, want %v", cut, got, want)
		}
		if again := s.queries(); len(again) != 0 {
			t.Fatalf("split at %d: queries reported twice: %v", cut, again)
		}
	}
}

func TestHasAllMarkers(t *testing.T) {
	var s stream
	markers := [][]byte{[]byte("Troubleshoot"), []byte("Identifiers")}
	s.write([]byte("\x1b[1mTrouble"))
	if s.hasAll(markers) {
		t.Fatal("markers reported before they were written")
	}
	s.write([]byte("shoot\x1b[0m\r\nIdentifiers"))
	if !s.hasAll(markers) {
		t.Fatalf("markers not found in %q", s.text)
	}
}

func TestTerminalReplies(t *testing.T) {
	if r := termAnswering.reply(queryBackground); string(r) != "\x1b]11;rgb:0000/0000/0000\x1b\\" {
		t.Errorf("answering terminal background reply = %q", r)
	}
	if r := termDSROnly.reply(queryBackground); r != nil {
		t.Errorf("dsr-only terminal answered the colour query: %q", r)
	}
	if r := termDSROnly.reply(queryCursor); string(r) != "\x1b[1;1R" {
		t.Errorf("dsr-only cursor reply = %q", r)
	}
	for q := range numQueries {
		if r := termSilent.reply(q); r != nil {
			t.Errorf("silent terminal answered %s: %q", q, r)
		}
	}
}

func TestSummarize(t *testing.T) {
	var d []time.Duration
	for i := 20; i >= 1; i-- { // unsorted on purpose
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	s := summarize(d)
	if s.Median != 10*time.Millisecond || s.P90 != 18*time.Millisecond || s.Max != 20*time.Millisecond {
		t.Errorf("summarize(1..20 ms) = %+v, want median 10ms p90 18ms max 20ms", s)
	}
	if d[0] != 20*time.Millisecond {
		t.Error("summarize sorted the caller's slice")
	}
	one := summarize([]time.Duration{7})
	if one.Median != 7 || one.P90 != 7 || one.Max != 7 {
		t.Errorf("summarize of one value = %+v", one)
	}
	if (summarize(nil) != summary{}) {
		t.Error("summarize(nil) is not zero")
	}
}

func TestChildEnv(t *testing.T) {
	env := childEnv([]string{"CI=true", "TERM=screen", "PATH=/bin", "NO_COLOR=1", "HOME=/root", "SSH_CONNECTION=1 2 3 4"}, "/tmp/h")
	want := []string{"PATH=/bin", "TERM=xterm-256color", "HOME=/tmp/h", "XDG_CONFIG_HOME=/tmp/h/.config"}
	if !slices.Equal(env, want) {
		t.Errorf("childEnv = %q, want %q", env, want)
	}
}

// FuzzStrip: whatever a program writes, stripping neither panics nor lets
// an ESC through, and never grows the text.
func FuzzStrip(f *testing.F) {
	f.Add([]byte("\x1b[1;94mucpilot\x1b[0m\r\n"))
	f.Add([]byte("\x1b]11;?\x1b\\\x1b[6n"))
	f.Add([]byte("\x1bP1$r0m\x1b\\\x1b(B\x1b\x1b["))
	f.Fuzz(func(t *testing.T, in []byte) {
		var s stream
		s.write(in)
		_ = s.queries()
		if bytes.IndexByte(s.text, 0x1b) >= 0 {
			t.Fatalf("ESC left in text %q", s.text)
		}
		if len(s.text) > len(in) {
			t.Fatalf("text %d bytes from %d input bytes", len(s.text), len(in))
		}
	})
}
