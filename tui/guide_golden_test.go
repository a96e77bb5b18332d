package tui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// guideGoldens drive the Guide on the fixture world into each view. The
// output is not a terminal, so the colour profile is Ascii and the goldens
// are plain text. Nothing shown depends on the clock.
var guideGoldens = []struct {
	name string
	run  func(e *guideEnv)
}{
	{"pick", func(e *guideEnv) { e.key("w") }},
	{"step", func(e *guideEnv) { e.open() }},
	{"failed", func(e *guideEnv) {
		e.open()
		e.key("n")
		e.key("n")
		e.key("v")
	}},
	{"confirm", func(e *guideEnv) {
		e.open()
		e.key("n")
		e.key("n")
		e.key("x")
	}},
	{"overview", func(e *guideEnv) {
		e.open()
		e.key("n")
		e.key("o")
	}},
}

func TestGuideGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range guideGoldens {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				e := newGuideEnv(t, size[0], size[1], "")
				sc.run(e)
				v := e.m.View()
				assertFits(t, v, size[0], size[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}
