package engine

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkRunConcurrency runs N fake checks that each take 400 ms. Run is
// concurrent when wall/slowest stays near 1 (it would be N if checks ran
// one after another).
func BenchmarkRunConcurrency(b *testing.B) {
	const slowest = 400 * time.Millisecond
	for _, n := range []int{10, 50} {
		b.Run(fmt.Sprintf("checks=%d", n), func(b *testing.B) {
			var checks []fake
			for i := range n {
				checks = append(checks, fake{id: fmt.Sprintf("c%d", i), fn: func(ctx context.Context, _ *Env) Result {
					select {
					case <-time.After(slowest):
						return Result{Status: StatusPass}
					case <-ctx.Done():
						return Result{Status: StatusError}
					}
				}})
			}
			plan := fakePlan(b, checks...)
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				results := 0
				for r := range Run(context.Background(), plan, RunOptions{}) {
					if r.Status != StatusPass {
						b.Fatalf("%s: %s", r.ID, r.Status)
					}
					results++
				}
				if results != n {
					b.Fatalf("%d results, want %d", results, n)
				}
				total += time.Since(start)
			}
			b.ReportMetric(float64(total)/float64(b.N)/float64(slowest), "wall/slowest")
		})
	}
}
