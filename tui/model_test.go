package tui

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/knowledge"
)

func TestHomeMenuOpensScreensAndEscReturns(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.mustShow("Where to start", "no profile — example names (contoso.com)")
	d.key("j")
	d.key("enter")
	if got := d.m.current(); got != screenBrowse {
		t.Fatalf("down+enter on Home opened screen %d, want Browse", got)
	}
	d.key("esc")
	if got := d.m.current(); got != screenHome {
		t.Fatalf("esc from Browse went to screen %d, want Home", got)
	}
	d.key("esc") // nothing below Home: must stay, not panic
	if got := d.m.current(); got != screenHome {
		t.Fatalf("esc on Home moved to screen %d", got)
	}
}

func TestSlashFocusesSearchFromAnywhere(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("i")
	if d.m.current() != screenIdentifiers {
		t.Fatalf("i did not open Identifiers")
	}
	d.key("/")
	if d.m.current() != screenTroubleshoot || !d.m.active().Capturing() {
		t.Fatalf("/ did not open Troubleshoot with the field focused (screen %d)", d.m.current())
	}
	d.typeText("metadata/jason/1")
	if got := d.m.troubleshoot().input.Value(); got != "metadata/jason/1" {
		t.Fatalf("typing a / into the field gave %q: the key was taken as a global", got)
	}
}

func TestQTypesIntoSearchFieldAndQuitsOutsideIt(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("/")
	d.typeText("q?bij")
	if d.quit {
		t.Fatal("q in the search field quit the program")
	}
	if got := d.m.troubleshoot().input.Value(); got != "q?bij" {
		t.Fatalf("field holds %q, want the typed %q", got, "q?bij")
	}
	if d.m.current() != screenTroubleshoot {
		t.Fatalf("a letter in the field switched to screen %d", d.m.current())
	}
	d.key("esc")
	if d.m.active().Capturing() {
		t.Fatal("esc did not leave the search field")
	}
	d.key("q")
	if !d.quit {
		t.Fatal("q outside the field did not quit")
	}
}

func TestCtrlCQuitsWhileTyping(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("/")
	d.key("ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c in the search field did not quit")
	}
}

func TestEscLeavesFieldThenGoesBack(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("b")
	d.key("/")
	d.key("esc")
	if d.m.current() != screenTroubleshoot || d.m.active().Capturing() {
		t.Fatalf("first esc should only leave the field (screen %d)", d.m.current())
	}
	d.key("esc")
	if d.m.current() != screenBrowse {
		t.Fatalf("second esc went to screen %d, want Browse (where / was pressed)", d.m.current())
	}
}

func osc52For(text string) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\a"
}

func TestCopyWritesOSC52AndSaysSo(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("/")
	d.typeText("code=5")
	d.forceHits(hitsFor(d.m.c.Base, "code5", "iisreset"))
	d.key("enter") // to the results
	d.key("c")
	want := "whoami /groups | findstr /i RTCUniversalUserAdmins"
	if got := d.clip.String(); got != osc52For(want) {
		t.Fatalf("c wrote %q to the terminal, want the OSC 52 of %q", got, want)
	}
	d.mustShow("sent to the terminal (OSC 52): whoami /groups")
	if len(d.expired) == 0 || d.expired[len(d.expired)-1] != d.m.statusSeq {
		t.Fatal("the status message has no expiry scheduled")
	}

	d.clip.Reset()
	d.key("2")
	rendered := `Test-CsExStorageConnectivity -SipUri "sip:user@contoso.com" -Verbose`
	if got := d.clip.String(); got != osc52For(rendered) {
		t.Fatalf("2 copied %q, want the rendered second command %q", got, rendered)
	}
	d.mustShow(">[2]")

	d.clip.Reset()
	d.key("7")
	if d.clip.Len() != 0 {
		t.Fatal("7 copied something although the entry has two commands")
	}
	d.mustShow("no command 7 here: this entry has 2")

	d.send(clearStatusMsg{seq: d.m.statusSeq})
	d.mustNotShow("no command 7")
}

func TestStaleSearchResultIsDropped(t *testing.T) {
	b := fixtureBase(t)
	d := newDriver(t, b, 80, 24)
	d.key("/")
	d.typeText("code")
	old := d.m.troubleshoot().seq
	d.typeText("=5")
	d.forceHits(hitsFor(b, "code5"))
	d.send(searchResultMsg{seq: old, query: "code", hits: hitsFor(b, "iisreset")})
	tr := d.m.troubleshoot()
	if len(tr.hits) != 1 || tr.hits[0].ID != "code5" {
		t.Fatalf("a result for an older query replaced the current one: %+v", tr.hits)
	}
}

func TestNoMatchSaysSoAndOffersGuides(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("/")
	d.typeText("xyzzy")
	d.forceHits(nil)
	d.mustShow(`No entry matches "xyzzy" — try fewer words, or browse the procedures with b`,
		"guide Exchange Server and Skype for Business Server", "guide Skype for Business Server with Exchange Online")
	d.key("enter") // leave the field
	d.key("j")     // second guide
	d.key("enter")
	if d.m.current() != screenBrowse {
		t.Fatalf("enter on a guide opened screen %d, want Browse", d.m.current())
	}
	if tp := d.m.browse.topology(); tp == nil || tp.ID != "hybrid" {
		t.Fatalf("the guide opened topology %v, want hybrid", tp)
	}
	d.mustShow("Add the microsoft.sts OAuth server", "Tokens for Exchange Online come from Entra.")
}

func TestPitfallLabels(t *testing.T) {
	b := fixtureBase(t)
	d := newDriver(t, b, 120, 40)
	d.key("/")
	d.typeText("iis")
	d.forceHits(hitsFor(b, "iisreset", "code5"))
	d.mustShow("[unverified", "changes server · disruptive", "iisreset /noforce")
	d.mustNotShow("not an OAuth problem")
	d.key("down")
	d.mustShow("[not an OAuth problem]", "read-only · Elevated command prompt")
}

func TestBrowseWalksTopologiesAndSteps(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 120, 40)
	d.key("b")
	d.mustShow("Steps of onprem (2)", "Each server trusts the other")
	d.key("enter") // into the steps: shows step 1
	d.mustShow("onprem step 1 · exchange · Exchange Management Shell")
	d.key("j")
	d.mustShow("onprem step 2 · sfb", "New-CsPartnerApplication -Identity Exchange")
	d.mustShow("https://autodiscover.contoso.com/autodiscover/metadata/json/1")
	d.key("h")
	d.key("j") // second topology
	d.mustShow("Steps of hybrid (1)")
	d.key("tab")
	d.key("tab")
	d.key("c")
	want := "New-CsOAuthServer microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/00000000-0000-0000-0000-000000000000/metadata/json/1'"
	if got := d.clip.String(); got != osc52For(want) {
		t.Fatalf("copy in Browse wrote %q, want OSC 52 of %q", got, want)
	}
}

func TestIdentifiersShowTyposAndCopyValue(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("i")
	d.mustShow("00000002-0000-0ff1-ce00-000000000000", "Exchange Server and", "three zeros instead")
	d.key("j")
	d.mustShow("Set-CsOAuthConfiguration -ServiceName")
	d.key("y")
	if got := d.clip.String(); got != osc52For("00000004-0000-0ff1-ce00-000000000000") {
		t.Fatalf("y on an identifier copied %q", got)
	}
}

func TestHelpListsEveryBindingAndToggles(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 120, 40)
	d.key("?")
	if d.m.current() != screenHelp {
		t.Fatalf("? opened screen %d, want Help", d.m.current())
	}
	s := d.screen()
	for _, g := range d.m.c.Keys.Groups() {
		for _, b := range g.Bindings {
			if line := b.Help().Key + "  "; !strings.Contains(s, line) || !strings.Contains(s, b.Help().Desc) {
				t.Errorf("help does not list %q %q", b.Help().Key, b.Help().Desc)
			}
		}
	}
	d.key("?")
	if d.m.current() != screenHome {
		t.Fatalf("? on Help went to screen %d, want back to Home", d.m.current())
	}
}

func TestTooSmallTerminal(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 50, 12)
	d.mustShow("50x12", "needs at least", "60x15")
	d.key("j") // must not act blind
	if d.m.screens[screenHome].(*home).menu.Cursor() != 0 {
		t.Fatal("a key moved the hidden menu while the terminal was too small")
	}
	d.key("q")
	if !d.quit {
		t.Fatal("q did not quit from the too-small screen")
	}
}

// In every state no two enabled bindings may share a key, or one of them
// could never fire.
func TestEnabledBindingsNeverShareAKey(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	check := func(state string) {
		seen := map[string]string{}
		for _, b := range d.m.c.Keys.all() {
			if !b.Enabled() {
				continue
			}
			for _, k := range b.Keys() {
				if other, dup := seen[k]; dup {
					t.Errorf("%s: key %q is bound to both %q and %q", state, k, other, b.Help().Desc)
				}
				seen[k] = b.Help().Desc
			}
		}
	}
	steps := []string{"home", "/", "enter", "tab", "tab", "esc", "b", "tab", "tab", "i", "tab", "?"}
	for _, s := range steps {
		if s != "home" {
			d.key(s)
		}
		check("after " + s)
	}
}

func TestKeysDisabledWhereTheyDoNothing(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	k := d.m.c.Keys
	cases := []struct {
		name string
		b    *key.Binding
		want bool
	}{
		{"back on Home", &k.Back, false},
		{"copy on Home", &k.Copy, false},
		{"quit on Home", &k.Quit, true},
	}
	for _, c := range cases {
		if c.b.Enabled() != c.want {
			t.Errorf("%s: enabled=%v, want %v", c.name, c.b.Enabled(), c.want)
		}
	}
	d.key("/")
	if k.Quit.Enabled() || k.Help.Enabled() || k.Browse.Enabled() {
		t.Error("q, ? or b is enabled while the search field has the keys")
	}
	if !k.ForceQuit.Enabled() || !k.LeaveField.Enabled() {
		t.Error("ctrl+c or esc is disabled in the search field")
	}
	if strings.Contains(d.screen(), "q quit") {
		t.Error("the footer offers q quit while q types into the field")
	}
}

func TestVarsFillCommands(t *testing.T) {
	b := fixtureBase(t)
	o := Options{Base: b, Theme: "dark", Output: &strings.Builder{}, Vars: knowledge.ExampleVars()}
	o.Vars.SfBMetadataURL = "https://pool9.fabrikam.com/metadata/json/1"
	m := newModel(o, resolveOutput(o, false))
	m.Update(keyMsg("b"))
	m.resize(120, 40)
	m.Update(keyMsg("enter"))
	if v := m.View(); !strings.Contains(v, "https://pool9.fabrikam.com/metadata/json/1") {
		t.Fatalf("the step's command is not rendered with the session's values:\n%s", v)
	}
}

// Bubble Tea v1 hands over several runes typed in one burst as one message
// (tmux send-keys does this too): "/" must still open the search and the
// rest land in the field.
func TestRunesInOneMessageAreKeysInTurn(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/Exq")})
	if d.quit || d.m.current() != screenTroubleshoot {
		t.Fatalf("a burst of runes was not taken key by key (screen %d, quit %v)", d.m.current(), d.quit)
	}
	if got := d.m.troubleshoot().input.Value(); got != "Exq" {
		t.Fatalf("field holds %q, want %q", got, "Exq")
	}
}

func TestPasteAnywhereSearches(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.key("i")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("code=5 q"), Paste: true})
	if d.quit || d.m.current() != screenTroubleshoot {
		t.Fatalf("a paste on Identifiers did not open the search (screen %d, quit %v)", d.m.current(), d.quit)
	}
	if got := d.m.troubleshoot().input.Value(); got != "code=5 q" {
		t.Fatalf("the pasted text became %q in the field", got)
	}
}

// "/" from another screen starts a fresh search; on Troubleshoot it keeps
// the query to refine it.
func TestSlashStartsAFreshSearchFromElsewhere(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 100, 30)
	d.key("/")
	d.typeText("code=5")
	d.key("esc") // leave the field
	d.key("/")   // back into it, on the same screen
	if got := d.m.troubleshoot().input.Value(); got != "code=5" {
		t.Errorf("on Troubleshoot, / lost the query: %q", got)
	}
	d.key("esc")
	d.key("esc") // Home
	d.key("/")
	d.typeText("jason")
	if got := d.m.troubleshoot().input.Value(); got != "jason" {
		t.Errorf("from Home, / should start a new query, field holds %q", got)
	}
}
