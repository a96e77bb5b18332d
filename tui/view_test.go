package tui

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui/components"
)

// goldenScenarios drive the fixture base into each screen. The colour
// profile is Ascii (the output is not a terminal) so goldens are plain text.
var goldenScenarios = []struct {
	name string
	run  func(d *driver)
}{
	{"home", func(d *driver) {}},
	{"troubleshoot_intro", func(d *driver) { d.key("/") }},
	{"troubleshoot_pitfall", func(d *driver) {
		d.key("/")
		d.typeText("code=5")
		d.forceHits(hitsFor(d.m.c.Base, "code5", "iisreset"))
		d.key("enter")
	}},
	{"troubleshoot_disruptive", func(d *driver) {
		d.key("/")
		d.typeText("iisreset")
		d.forceHits(hitsFor(d.m.c.Base, "iisreset", "code5"))
		d.key("tab")
		d.key("tab")
	}},
	{"troubleshoot_nomatch", func(d *driver) {
		d.key("/")
		d.typeText("xyzzy")
		d.forceHits(nil)
	}},
	{"browse_step", func(d *driver) {
		d.key("b")
		d.key("enter")
	}},
	{"identifiers", func(d *driver) { d.key("i") }},
	{"help", func(d *driver) { d.key("?") }},
}

func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range goldenScenarios {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				d := newDriver(t, fixtureBase(t), size[0], size[1])
				sc.run(d)
				v := d.m.View()
				assertFits(t, v, size[0], size[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
	t.Run("too_small_50x12", func(t *testing.T) {
		d := newDriver(t, fixtureBase(t), 50, 12)
		golden.RequireEqual(t, []byte(d.m.View()))
	})
}

// assertFits fails if the view is wider or taller than the terminal.
func assertFits(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("view is %d lines high, the terminal %d", len(lines), h)
	}
	for i, ln := range lines {
		if lw := ansi.StringWidth(ln); lw > w {
			t.Errorf("line %d is %d cells wide, the terminal %d: %q", i+1, lw, w, ansi.Strip(ln))
		}
	}
}

// The real embedded base is growing while this is written: every screen,
// and the detail of every entry, must render inside 80x24 without panicking.
func TestSmokeRealBase(t *testing.T) {
	b, err := knowledge.Load()
	if err != nil {
		t.Fatalf("the embedded knowledge base does not load: %v", err)
	}
	for _, size := range [][2]int{{80, 24}, {60, 15}, {250, 70}} {
		w, h := size[0], size[1]
		d := newDriver(t, b, w, h)
		check := func(where string) {
			t.Helper()
			v := d.m.View()
			if strings.TrimSpace(ansi.Strip(v)) == "" {
				t.Fatalf("%dx%d %s: empty view", w, h, where)
			}
			assertFits(t, v, w, h)
		}
		check("home")
		for _, k := range []string{"b", "tab", "G", "tab", "G", "i", "G", "tab", "G", "?", "G"} {
			d.key(k)
			check("after " + k)
		}
		d.key("/")
		d.typeText("ExCreateItem exchange operations failed, code=5")
		check("search")
		// Every pitfall's detail, scrolled to the end.
		for i := range b.Pitfalls {
			d.forceHits(hitsFor(b, b.Pitfalls[i].ID))
			d.key("tab")
			d.key("tab")
			d.key("G")
			check("pitfall " + b.Pitfalls[i].ID)
			d.key("/")
		}
	}
}

func TestNoColorKeepsSelectionAndStatusVisible(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 120, 40) // Ascii: what NO_COLOR gives
	d.key("/")
	d.typeText("iis")
	d.forceHits(hitsFor(d.m.c.Base, "iisreset", "code5"))
	d.key("enter")
	d.key("c")
	v := d.m.View()
	if strings.Contains(v, "\x1b[") {
		t.Fatalf("the Ascii profile still emits escape codes: %q", v)
	}
	for _, want := range []string{"> pitfall No iisreset", "━━ Results", "✓ sent to the terminal (OSC 52):", "changes server · disruptive", "[unverified"} {
		if !strings.Contains(v, want) {
			t.Errorf("without colour the view lacks %q", want)
		}
	}
}

func TestStylesFollowTheRenderer(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	r.SetHasDarkBackground(true)
	if got := NewStyles(r).Selected.Render("x"); !strings.Contains(got, "\x1b[") {
		t.Fatalf("with an ANSI profile the selection has no attributes: %q", got)
	}
	dark := NewStyles(r).KindPitfall.Render("x")
	r.SetHasDarkBackground(false)
	if light := NewStyles(r).KindPitfall.Render("x"); light == dark {
		t.Fatalf("light and dark backgrounds render the same colour %q", light)
	}
}

func TestThemeFixesBackground(t *testing.T) {
	out := outputTarget{writer: io.Discard}
	if !newRenderer(Options{Theme: "dark"}, out).HasDarkBackground() {
		t.Error(`theme "dark" did not set a dark background`)
	}
	if newRenderer(Options{Theme: "light"}, out).HasDarkBackground() {
		t.Error(`theme "light" did not set a light background`)
	}
	if p := newRenderer(Options{Theme: "dark", Accessible: true}, out).ColorProfile(); p != termenv.Ascii {
		t.Errorf("accessible mode uses colour profile %v, want Ascii", p)
	}
}

// A long command breaks only at spaces, with a continuation mark: never
// after the "-" of a parameter (issue 14 item 6).
func TestCommandsWrapOnlyAtSpaces(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		d := newDriver(t, fixtureBase(t), size[0], size[1])
		d.key("b")
		d.key("enter")
		d.key("tab") // the detail pane has the keys; scroll to the commands
		v := d.m.View()
		for range 6 {
			if strings.Contains(v, "EnterprisePartnerApplication") {
				break
			}
			d.key("down")
			v = d.m.View()
		}
		if !strings.Contains(v, "EnterprisePartnerApplication") {
			t.Fatalf("%dx%d: the command is not on screen:\n%s", size[0], size[1], v)
		}
		for _, ln := range strings.Split(v, "\n") {
			if t2 := strings.TrimRight(ln, " "); strings.HasSuffix(t2, " -") {
				t.Errorf("%dx%d: a line ends inside a parameter: %q", size[0], size[1], t2)
			}
		}
		if !strings.Contains(v, "-AuthMetadataUrl") || !strings.Contains(v, components.ContinuationMark) {
			t.Errorf("%dx%d: -AuthMetadataUrl split or the continuation unmarked:\n%s", size[0], size[1], v)
		}
	}
}

// At 80 columns the environment line and a long status wrap instead of
// losing their end, which says what to do next (issue 14 item 10).
func TestLongLinesWrapAt80(t *testing.T) {
	d := newDriver(t, fixtureBase(t), 80, 24)
	d.m.c.EnvLabel = "lab: healthy (onprem) — a simulated environment on this machine; other scenarios: ucpilot lab --list"
	v := d.m.View()
	assertFits(t, v, 80, 24)
	if flat := strings.Join(strings.Fields(v), " "); !strings.Contains(flat, "other scenarios: ucpilot lab --list") {
		t.Errorf("the environment line lost its end:\n%s", v)
	}
	d.send(statusMsg{text: "profile saved to /home/someone/.config/ucpilot/profile.yaml; commands now use its names"})
	v = d.m.View()
	assertFits(t, v, 80, 24)
	if flat := strings.Join(strings.Fields(v), " "); !strings.Contains(flat, "commands now use its names") {
		t.Errorf("the status lost its end:\n%s", v)
	}
}
