package tui

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"go.yaml.in/yaml/v3"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/knowledge/paste"
)

const pastedRecord = `Test-CsExStorageConnectivity : The remote server returned an error: (401) Unauthorized. 2000003;reason="The hostname component of the audience claim value is invalid.";error_category="invalid_resource"
At line:1 char:1
+ Test-CsExStorageConnectivity -SipUri sip:kim@contoso.com
+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : InvalidOperation: (:) [Test-CsExStorageConnectivity], WebException
    + FullyQualifiedErrorId : Microsoft.Rtc.Management.Hosting.TestCsExStorageConnectivityCmdlet
`

func pasteMsg(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true}
}

// testToken is an S2S token from Lync for Exchange in the tenant realm,
// expired an hour before tokenNow.
func testToken() string {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	return enc(`{"alg":"none","typ":"JWT"}`) + "." + enc(`{"aud":"00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@5de110f8-2e0f-4d45-891d-bcf2218e253d",`+
		`"iss":"00000004-0000-0ff1-ce00-000000000000@5de110f8-2e0f-4d45-891d-bcf2218e253d","nameid":"S-1-5-21-1-2-3-1104","nbf":1796400000,"exp":1796403600}`) + "."
}

var tokenNow = time.Unix(1796407200, 0)

// The paste-glue bug (issue 14 item 2): a search, back to Home, then a
// paste. The paste must be the whole new query, not "code=5" + paste.
func TestPasteOnHomeStartsAFreshQuery(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("/")
	d.typeText("code=5")
	d.key("esc") // leave the field
	d.key("esc") // back to Home
	if d.m.current() != screenHome {
		t.Fatalf("not on Home: %v", d.m.current())
	}
	d.send(pasteMsg("HCW8064 The HCW has completed, but was not able to perform the OAuth portion"))
	tr := d.m.troubleshoot()
	if got := tr.input.Value(); got != "HCW8064 The HCW has completed, but was not able to perform the OAuth portion" {
		t.Fatalf("field holds %q after the paste", got)
	}
	if d.m.current() != screenTroubleshoot {
		t.Errorf("the paste did not open Troubleshoot")
	}

	// In the field too, a paste replaces what was typed.
	d.typeText(" more")
	d.send(pasteMsg("metadata/jason/1"))
	if got := tr.input.Value(); got != "metadata/jason/1" {
		t.Errorf("field holds %q after a paste in the field", got)
	}
}

func TestCtrlUClearsTheQuery(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("/")
	d.typeText("code=5")
	d.mustShow("^u clear")
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	tr := d.m.troubleshoot()
	if tr.input.Value() != "" || tr.query != "" || len(tr.hits) != 0 {
		t.Errorf("ctrl+u left %q (query %q, %d hits)", tr.input.Value(), tr.query, len(tr.hits))
	}
	d.mustShow("Guides")
	d.key("?")
	d.mustShow("^u", "clear")
}

// The raw paste, line breaks and all, is what gets recognized, though the
// field shows it on one line; typing on drops back to the field's text.
func TestPasteIsRecognized(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 120, 40)
	d.send(pasteMsg(pastedRecord))
	tr := d.m.troubleshoot()
	if strings.Contains(tr.input.Value(), "\n") {
		t.Errorf("the field holds line breaks: %q", tr.input.Value())
	}
	d.mustShow("recognized: a PowerShell error record from Test-CsExStorageConnectivity")
	if tr.rec.Field("x-ms-diagnostics code") != "2000003" {
		t.Errorf("fields %v", tr.rec.Fields)
	}
	d.send(pasteMsg("event 99999"))
	d.mustShow("unknown: event 99999 — no entry of the knowledge base knows this code")
	d.mustNotShow("recognized:")
}

var pasteGoldens = []struct {
	name string
	run  func(d *driver)
}{
	{"record_after_search", func(d *driver) {
		d.key("/")
		d.typeText("code=5")
		d.key("esc")
		d.key("esc")
		d.send(pasteMsg(pastedRecord))
		d.forceHits(hitsFor(d.m.c.Base, "code5", "iisreset"))
	}},
	{"unknown_code", func(d *driver) {
		d.send(pasteMsg("event 99999"))
	}},
	{"token", func(d *driver) {
		d.m.c.Profile = &profile.Profile{Topology: "onprem", Domain: "contoso.com", Exchange: profile.Exchange{FQDN: "exch01.contoso.com"}}
		d.m.troubleshoot().now = func() time.Time { return tokenNow }
		d.send(pasteMsg("Authorization: Bearer " + testToken()))
		if strings.Contains(d.screen(), testToken()[:20]) {
			d.t.Fatalf("the token is on screen:\n%s", d.screen())
		}
	}},
}

func TestPasteGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range pasteGoldens {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				d := newDriver(t, fixtureBase(t), size[0], size[1])
				sc.run(d)
				v := d.m.View()
				assertFits(t, v, size[0], size[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

func TestOutOfDomainSaysWhatIsCovered(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 120, 40)
	d.key("/")
	d.typeText("banana smoothie recipe")
	d.mustShow("is not about the Exchange ⇄ Lync / Skype for Business OAuth trust")
}

// Every pasted case of the evaluation set, pasted into Troubleshoot over
// the real base at 80x24: recognized without a panic, and the screen fits.
func TestEvalPastesFitTheScreen(t *testing.T) {
	b, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../knowledge/testdata/eval/*.yaml")
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []struct{ ID, Query, Kind string }
		if err := yaml.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		d := newDriver(t, b, 80, 24)
		for _, c := range cases {
			if c.Kind != "paste" {
				continue
			}
			n++
			d.send(pasteMsg(c.Query))
			if got := d.m.troubleshoot().query; got == "" {
				t.Errorf("%s: the paste left no query", c.ID)
			}
			assertFits(t, d.m.View(), 80, 24)
		}
	}
	if n == 0 {
		t.Skip("no evaluation set")
	}
}

func TestHugePasteIsBounded(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.send(pasteMsg(strings.Repeat(pastedRecord, 300))) // ~130 KB
	tr := d.m.troubleshoot()
	if len(tr.raw) > paste.MaxInput {
		t.Errorf("kept %d bytes of the paste", len(tr.raw))
	}
	d.mustShow("recognized: a PowerShell error record")
	assertFits(t, d.m.View(), 80, 24)
}

// The recognized line wraps only at spaces: "Test-OAuthConnectivity" at
// the end of an 80-column line moved whole to the next one (it was split
// at its hyphen).
func TestRecognizedLineWrapsAtSpacesOnly(t *testing.T) {
	sum := "recognized: a Test-OAuthConnectivity result and a .NET exception from Test-OAuthConnectivity · WebException"
	lines := wrapAtSpaces(sum, 80)
	if len(lines) != 2 {
		t.Fatalf("lines: %q", lines)
	}
	for _, ln := range lines {
		if strings.HasSuffix(ln, "-") || strings.HasPrefix(ln, "OAuth") {
			t.Errorf("split inside a word: %q", lines)
		}
		if len([]rune(ln)) > 80 {
			t.Errorf("line wider than 80: %q", ln)
		}
	}
	if got := wrapAtSpaces(strings.Repeat("x", 50), 20); len(got) != 3 || got[0] != strings.Repeat("x", 20) {
		t.Errorf("a word wider than the line: %q", got)
	}
}
