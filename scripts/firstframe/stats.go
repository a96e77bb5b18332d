package main

import (
	"slices"
	"time"
)

// summary is the spread of one measurement over the runs of a mode.
type summary struct {
	Median, P90, Max time.Duration
}

// summarize uses nearest-rank percentiles: with few runs (the silent modes
// stop after three) interpolation would invent values nobody measured.
func summarize(d []time.Duration) summary {
	if len(d) == 0 {
		return summary{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return summary{Median: rank(0.5), P90: rank(0.9), Max: s[len(s)-1]}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
