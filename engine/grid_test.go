package engine

import "testing"

func server(name string, st Status, settings ...Setting) Result {
	return Result{Target: name, Status: st, Settings: settings}
}

func TestNewGridMarksTheOddValue(t *testing.T) {
	ok := func(name, v string) Setting { return Setting{Name: name, Value: v, Status: StatusPass} }
	r := Result{Servers: []Result{
		server("exch01.contoso.com", StatusPass, ok("auth cert", "AAAA"), ok("EWS OAuth", "on")),
		server("exch02.contoso.com", StatusPass, ok("auth cert", "AAAA"), ok("EWS OAuth", "on")),
		server("exch07.contoso.com", StatusFail, Setting{"auth cert", "missing", StatusFail}, ok("EWS OAuth", "on")),
		// Not read: no vote, never odd.
		server("exch08.contoso.com", StatusPass, Setting{"auth cert", notRead, StatusSkipped}, ok("EWS OAuth", "on"), ok("clock", "in step")),
	}}
	g := NewGrid(r)
	if len(g.Columns) != 3 || g.Columns[0] != "auth cert" || g.Columns[2] != "clock" {
		t.Fatalf("columns %v", g.Columns)
	}
	for _, row := range g.Rows {
		for i, c := range row.Cells {
			wantOdd := row.Server == "exch07.contoso.com" && i == 0
			if c.Odd != wantOdd {
				t.Errorf("%s %s odd = %v", row.Server, g.Columns[i], c.Odd)
			}
		}
	}
	if g.Rows[0].Cells[2].Value != "" {
		t.Errorf("a setting the server lacks should be empty, got %q", g.Rows[0].Cells[2].Value)
	}
	// Two servers have no majority: nothing is odd.
	two := NewGrid(Result{Servers: r.Servers[1:3]})
	for _, row := range two.Rows {
		for _, c := range row.Cells {
			if c.Odd {
				t.Errorf("two servers: %s marked odd", row.Server)
			}
		}
	}
}

func TestJudgeClocksFlagsTheOneOff(t *testing.T) {
	var rs []Result
	for i, skew := range []string{"0", "1", "-1", "420", "0"} {
		r := Result{Target: string(rune('a' + i)), Status: StatusPass, Summary: "as expected"}
		r.SetFact(factClockSkew, skew)
		rs = append(rs, r)
	}
	rs = append(rs, Result{Target: "noanswer", Status: StatusPass, Summary: "as expected"})
	judgeClocks(rs)
	for i, r := range rs {
		v := settingValue(r, SetClock)
		switch {
		case i == 3 && (r.Status != StatusFail || v != "+7m0s"):
			t.Errorf("7 minutes ahead: %s %q %q", r.Status, v, r.Summary)
		case i == 5 && v != notRead:
			t.Errorf("no Date header: clock %q", v)
		case i != 3 && i != 5 && (r.Status != StatusPass || v != "in step"):
			t.Errorf("%d: %s %q", i, r.Status, v)
		}
	}
}
