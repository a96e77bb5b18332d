package tui

import (
	"fmt"
	"testing"

	"github.com/ucpilot/ucpilot/knowledge"
)

// BenchmarkView measures one frame of the Troubleshoot screen showing a
// pitfall from the real base: the cost paid after every key press.
func BenchmarkView(b *testing.B) {
	base, err := knowledge.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {250, 70}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			d := newDriver(b, base, size[0], size[1])
			d.key("/")
			d.typeText("ExCreateItem exchange operations failed, code=5")
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = d.m.View()
			}
		})
	}
}

// BenchmarkKeystroke is one typed character in the search field: Update,
// the search it triggers, the result message and the next frame.
func BenchmarkKeystroke(b *testing.B) {
	base, err := knowledge.Load()
	if err != nil {
		b.Fatal(err)
	}
	d := newDriver(b, base, 80, 24)
	d.key("/")
	d.typeText("ExCreateItem exchange operations failed, code=")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.key("5")
		_ = d.m.View()
		d.key("backspace")
	}
}
