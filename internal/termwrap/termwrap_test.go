package termwrap

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A long table row or check line wraps within the width and continues
// under its last column; no word is lost; short lines are untouched.
func TestLineWrapsUnderItsColumn(t *testing.T) {
	row := "auth-cert-expired   onprem    The OAuth certificate expired on every server, so no token is signed   auth-cert-expired, iisreset"
	lines := Line(row, 60)
	if len(lines) < 2 {
		t.Fatalf("not wrapped: %q", lines)
	}
	col := strings.Index(row, "The OAuth")
	for i, ln := range lines {
		if ansi.StringWidth(ln) > 60 {
			t.Errorf("line %d is %d cells: %q", i, ansi.StringWidth(ln), ln)
		}
		if i > 0 && (len(ln)-len(strings.TrimLeft(ln, " ")) != col) {
			t.Errorf("continuation %q does not start under the title column (%d)", ln, col)
		}
	}
	if got := strings.Join(strings.Fields(strings.Join(lines, " ")), " "); got != strings.Join(strings.Fields(row), " ") {
		t.Errorf("words changed:\n got %q\nwant %q", got, row)
	}
	if got := Line("short line", 60); len(got) != 1 || got[0] != "short line" {
		t.Errorf("short line changed: %q", got)
	}
}

func TestWriterWrapsWholeLinesAndFlushesTheRest(t *testing.T) {
	var b bytes.Buffer
	w := New(&b, 30)
	w.Write([]byte("PASS  dns.autodiscover  autodiscover.contoso.com resolves to 10.0.0.10\nsecond "))
	w.Write([]byte("line"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, ln := range strings.Split(out, "\n") {
		if ansi.StringWidth(ln) > 30 {
			t.Errorf("line %q wider than 30", ln)
		}
	}
	if !strings.HasSuffix(out, "\nsecond line") || !strings.Contains(out, "10.0.0.10") {
		t.Errorf("output %q", out)
	}
}
