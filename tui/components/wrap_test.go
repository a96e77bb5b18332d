package components

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Commands wrap at spaces only, each line that goes on is marked, and no
// token is split: joining the lines without their marks gives the command.
func TestWrapCommandKeepsTokensWhole(t *testing.T) {
	cmd := "Set-ClientAccessService -Identity EX01 -AutoDiscoverServiceInternalUri https://autodiscover.contoso.com/Autodiscover/Autodiscover.xml | Format-List ClientAuthorizationOAuthServerIdentity"
	for _, w := range []int{64, 70, 76, 100} { // every token fits in these
		lines := WrapCommand(cmd, w)
		var words []string
		for i, ln := range lines {
			if ansi.StringWidth(ln) > w {
				t.Errorf("width %d: line %q is %d cells", w, ln, ansi.StringWidth(ln))
			}
			goesOn := strings.HasSuffix(ln, " "+ContinuationMark)
			if goesOn != (i < len(lines)-1) {
				t.Errorf("width %d: line %d %q: continuation mark %v", w, i, ln, goesOn)
			}
			words = append(words, strings.Fields(strings.TrimSuffix(ln, " "+ContinuationMark))...)
		}
		if got := strings.Join(words, " "); got != cmd {
			t.Errorf("width %d: tokens changed:\n got %q\nwant %q", w, got, cmd)
		}
	}
}

func TestWrapCommandShortAndTooLong(t *testing.T) {
	if got := WrapCommand("  Get-CsOAuthConfiguration\nGet-X", 40); strings.Join(got, "|") != "  Get-CsOAuthConfiguration|Get-X" {
		t.Errorf("short lines changed: %q", got)
	}
	// A token wider than the line is the one thing cut, and marked.
	long := strings.Repeat("a", 25)
	got := WrapCommand("x "+long, 12)
	if strings.Join(got, "") == "" || !strings.HasSuffix(got[0], ContinuationMark) {
		t.Fatalf("%q", got)
	}
	var joined string
	for _, ln := range got {
		if ansi.StringWidth(ln) > 12 {
			t.Errorf("line %q wider than 12", ln)
		}
		joined += strings.TrimSuffix(strings.TrimSuffix(ln, ContinuationMark), " ")
	}
	if strings.ReplaceAll(joined, " ", "") != "x"+long {
		t.Errorf("joined %q", joined)
	}
}
