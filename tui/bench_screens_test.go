package tui

import (
	"fmt"
	"testing"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/knowledge"
)

// BenchmarkViewScreens measures one frame of every screen at the smallest
// supported and a large terminal; scripts/bench reports the worst of them
// against the 2 ms budget.
func BenchmarkViewScreens(b *testing.B) {
	base, err := knowledge.Load()
	if err != nil {
		b.Fatal(err)
	}
	sizes := [][2]int{{80, 24}, {250, 70}}
	plain := map[string][]string{ // screen → keys that open it from Home
		"home":        nil,
		"browse":      {"b", "enter"},
		"identifiers": {"i"},
		"help":        {"?"},
	}
	for name, keys := range plain {
		for _, size := range sizes {
			b.Run(fmt.Sprintf("%s/%dx%d", name, size[0], size[1]), func(b *testing.B) {
				d := newDriver(b, base, size[0], size[1])
				for _, k := range keys {
					d.key(k)
				}
				benchFrames(b, d.m.View)
			})
		}
	}
	for _, size := range sizes {
		b.Run(fmt.Sprintf("checks/%dx%d", size[0], size[1]), func(b *testing.B) {
			a := newAsyncDriver(b, checksOptions(b, finishedRegistry(), engine.RunOptions{}), size[0], size[1])
			a.key("C")
			a.pumpUntil("the run to finish", a.runOver)
			a.settle() // nothing of the run may still be working while frames are timed
			benchFrames(b, a.m.View)
		})
		b.Run(fmt.Sprintf("guide/%dx%d", size[0], size[1]), func(b *testing.B) {
			e := newGuideEnv(b, size[0], size[1], "")
			e.open()
			benchFrames(b, e.m.View)
		})
	}
}

func benchFrames(b *testing.B, view func() string) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = view()
	}
}
