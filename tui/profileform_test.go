package tui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui/profileform"
)

// formFieldOrder is the order enter walks the form in.
var formFieldOrder = []string{
	"topology", "domain", "tenant_id", "test_sip_uri",
	"exchange.fqdn", "exchange.autodiscover", "exchange.metadata_url", "exchange.ews_url",
	"sfb.pool", "sfb.web_external", "sfb.metadata_url",
	"tls.ca_file", "tls.insecure", "dns.server",
}

type savedProfile struct {
	path string
	p    *profile.Profile
}

func formOptions(t testing.TB, path string, p *profile.Profile, saved *[]savedProfile) Options {
	return Options{
		Base: fixtureBase(t), Vars: knowledge.ExampleVars(), Theme: "dark", Output: io.Discard,
		EnvLabel: "no profile — example names (contoso.com)", Profile: p, ProfilePath: path,
		OnProfileSaved: func(path string, p *profile.Profile) { *saved = append(*saved, savedProfile{path, p}) },
	}
}

func (a *asyncDriver) form() *profileform.Form { return a.m.screens[screenProfile].(*profileform.Form) }

func (a *asyncDriver) focusedKey() string { return a.form().FocusedKey() }

// next presses enter and waits for the focus to reach want.
func (a *asyncDriver) next(want string) {
	a.t.Helper()
	a.key("enter")
	a.pumpUntil("focus on "+want, func() bool { return a.focusedKey() == want })
}

func TestProfileFormValidatesAsYouType(t *testing.T) {
	var saved []savedProfile
	a := newAsyncDriver(t, formOptions(t, filepath.Join(t.TempDir(), "profile.yaml"), nil, &saved), 100, 30)
	a.mustShow("Environment profile", "(p)")
	a.key("p")
	a.pumpUntil("the form", func() bool { return a.focusedKey() == "topology" })
	a.next("domain")
	a.typeText("contoso")
	a.mustShow(`✗ domain: "contoso" is not a valid domain`)
	// enter does not leave a field with a problem
	a.key("enter")
	a.settle()
	if k := a.focusedKey(); k != "domain" {
		t.Fatalf("enter left the invalid domain field for %s", k)
	}
	a.typeText(".com")
	a.mustShow("✓ domain is valid")
	a.next("tenant_id")
	a.typeText("not-a-guid")
	a.mustShow(`✗ tenant_id: "not-a-guid" is not a GUID`)
	for range "not-a-guid" {
		a.key("backspace")
	}
	a.next("test_sip_uri")
	a.next("exchange.fqdn")
	// onprem needs an Exchange server: empty is a problem here
	a.mustShow("✗ exchange.fqdn: is empty; the onprem topology needs one Exchange server's FQDN")
	a.typeText("exch 01")
	a.mustShow(`✗ exchange.fqdn: "exch 01" is not a valid hostname`)
	// One esc over typed values asks first; the second leaves without
	// saving (issue 14: esc threw away everything typed without asking).
	a.key("esc")
	a.settle()
	if a.m.current() != screenProfile {
		t.Fatalf("one esc threw the typed values away (screen %v)", a.m.current())
	}
	a.mustShow("unsaved changes: esc again leaves without saving them")
	a.key("esc")
	a.settle()
	if a.m.current() != screenHome || len(saved) != 0 {
		t.Fatalf("esc did not leave the form without saving (screen %v, saved %d)", a.m.current(), len(saved))
	}
}

// Walking a prefilled form with enter saves the same profile; the session
// takes the new names at once.
func TestProfileFormSaves(t *testing.T) {
	var saved []savedProfile
	path := filepath.Join(t.TempDir(), "sub", "profile.yaml")
	start := onpremProfile(t)
	a := newAsyncDriver(t, formOptions(t, path, start, &saved), 100, 30)
	a.key("p")
	a.pumpUntil("the form", func() bool { return a.focusedKey() == "topology" })
	for _, k := range formFieldOrder[1:5] {
		a.next(k)
	}
	// change the Exchange server on the way
	for range start.Exchange.FQDN {
		a.key("backspace")
	}
	a.typeText("exch02.contoso.com")
	for _, k := range formFieldOrder[5:] {
		a.next(k)
	}
	a.key("enter")
	a.pumpUntil("the save", func() bool { return len(saved) == 1 })
	a.settle()
	got, err := profile.Load(path)
	if err != nil {
		t.Fatalf("the saved profile does not load: %v", err)
	}
	if err := got.Validate(); err != nil {
		t.Fatalf("the saved profile is not valid: %v", err)
	}
	if got.Exchange.FQDN != "exch02.contoso.com" || got.Domain != "contoso.com" || got.SfB.Pool != "pool01.contoso.com" {
		t.Errorf("saved profile = %+v", got)
	}
	if saved[0].path != path || saved[0].p.Exchange.FQDN != "exch02.contoso.com" {
		t.Errorf("OnProfileSaved heard %+v", saved[0])
	}
	c := a.m.c
	if c.Vars.ExchangeFQDN != "exch02.contoso.com" || c.Profile.Exchange.FQDN != "exch02.contoso.com" {
		t.Errorf("the session still uses the old names: vars %q", c.Vars.ExchangeFQDN)
	}
	if a.m.current() != screenHome || !strings.Contains(a.screen(), "profile saved to") {
		t.Errorf("after saving: screen %v\n%s", a.m.current(), a.screen())
	}
}

// The confirm for tls.insecure warns; a bad CA file is caught as typed.
func TestProfileFormCAFileAndInsecure(t *testing.T) {
	var saved []savedProfile
	dir := t.TempDir()
	a := newAsyncDriver(t, formOptions(t, filepath.Join(dir, "profile.yaml"), onpremProfile(t), &saved), 120, 40)
	a.key("p")
	a.pumpUntil("the form", func() bool { return a.focusedKey() == "topology" })
	for _, k := range formFieldOrder[1:12] {
		a.next(k)
	}
	a.typeText("missing.pem")
	a.mustShow(`✗ tls.ca_file: "missing.pem" does not exist`)
	if err := os.WriteFile(filepath.Join(dir, "bad.pem"), []byte("not pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	for range "missing.pem" {
		a.key("backspace")
	}
	a.typeText("bad.pem") // relative: read next to the profile
	a.mustShow(`✗ tls.ca_file: "bad.pem" holds no PEM certificate`)
	for range "bad.pem" {
		a.key("backspace")
	}
	a.next("tls.insecure")
	a.mustShow("Turn certificate verification OFF?", "[No]")
	a.key("esc")
	a.key("esc") // the first asks: values were typed
	a.settle()
}

func TestProfileFormGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("exchange_%dx%d", size[0], size[1]), func(t *testing.T) {
			var saved []savedProfile
			a := newAsyncDriver(t, formOptions(t, "/home/oncall/.config/ucpilot/profile.yaml", onpremProfile(t), &saved), size[0], size[1])
			a.key("p")
			a.pumpUntil("the form", func() bool { return a.focusedKey() == "topology" })
			for _, k := range formFieldOrder[1:5] {
				a.next(k)
			}
			a.typeText("/ews")
			a.settle()
			v := a.m.View()
			assertFits(t, v, size[0], size[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestProfileFormAbsentWithoutPath(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 120, 40)
	d.mustNotShow("Environment profile")
	d.key("p")
	if d.m.current() != screenHome {
		t.Fatal("p opened something without a profile path")
	}
}

// The form runs every value through the identifier checker of `ucpilot
// id`: the headline misprint .../metadata/jason/1 is refused with its
// correction and cannot be left with enter.
func TestProfileFormRefusesMisprint(t *testing.T) {
	var saved []savedProfile
	start := onpremProfile(t)
	start.Exchange.MetadataURL = ""
	a := newAsyncDriver(t, formOptions(t, filepath.Join(t.TempDir(), "profile.yaml"), start, &saved), 120, 40)
	a.key("p")
	a.pumpUntil("the form", func() bool { return a.focusedKey() == "topology" })
	for _, k := range formFieldOrder[1:7] {
		a.next(k)
	}
	a.typeText("https://autodiscover.contoso.com/autodiscover/metadata/jason/1")
	a.mustShow("is a misprint of the", "use https://autodiscover.contoso.com/autodiscover/metadata/json/1")
	if strings.Contains(a.screen(), "✓ exchange.metadata_url is valid") {
		t.Fatalf("the misprint shows as valid:\n%s", a.screen())
	}
	a.key("enter")
	a.settle()
	if k := a.focusedKey(); k != "exchange.metadata_url" {
		t.Fatalf("enter left the misprinted URL for %s", k)
	}
}
