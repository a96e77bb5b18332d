package engine

import (
	"slices"
	"testing"
	"time"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		s    Summary
		want int
	}{
		{Summary{}, 0},
		{Summary{Pass: 3, Skipped: 2}, 0},
		{Summary{Pass: 3, Warn: 1}, 1},
		{Summary{Warn: 1, Fail: 1}, 2},
		{Summary{Pass: 1, Error: 1}, 2},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.s); got != tt.want {
			t.Errorf("ExitCode(%+v) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestNewReportOrdersByPlan(t *testing.T) {
	plan := fakePlan(t, fake{id: "a"}, fake{id: "b"}, fake{id: "c"})
	rep := NewReport(plan, []Result{{ID: "c", Status: StatusFail}, {ID: "a", Status: StatusPass}, {ID: "b", Status: StatusWarn}}, time.Second)
	var ids []string
	for _, c := range rep.Checks {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, []string{"a", "b", "c"}) || rep.Summary != (Summary{Pass: 1, Warn: 1, Fail: 1}) || ExitCode(rep.Summary) != 2 {
		t.Fatalf("report %v %+v", ids, rep.Summary)
	}
}
