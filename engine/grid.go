package engine

// Grid is a fleet check's per-server results laid out for reading across:
// one row per server, one column per setting. A cell whose value differs
// from what most servers show is Odd, so the one server that is not like
// the others stands out even when each value looks plausible alone.
type Grid struct {
	Columns []string
	Rows    []GridRow
}

// GridRow is one server.
type GridRow struct {
	Server string // the server's FQDN (its result's Target)
	Status Status
	Cells  []GridCell // one per column; Value "" when the server lacks it
	Result Result     // the server's result, for its evidence
}

// GridCell is one setting of one server.
type GridCell struct {
	Value  string
	Status Status
	Odd    bool // differs from the majority of the servers that showed one
}

// NewGrid lays out r.Servers; columns are the settings in the order the
// servers first show them. Majorities count only read values; with fewer
// than three servers nothing is odd (two servers have no majority).
func NewGrid(r Result) Grid {
	var g Grid
	index := map[string]int{}
	for _, s := range r.Servers {
		for _, st := range s.Settings {
			if _, ok := index[st.Name]; !ok {
				index[st.Name] = len(g.Columns)
				g.Columns = append(g.Columns, st.Name)
			}
		}
	}
	majority := make([]string, len(g.Columns))
	if len(r.Servers) >= 3 {
		for i, col := range g.Columns {
			if v, n := Majority(r.Servers, col); n*2 > countRead(r.Servers, col) {
				majority[i] = v
			}
		}
	}
	for _, s := range r.Servers {
		row := GridRow{Server: s.Target, Status: s.Status, Cells: make([]GridCell, len(g.Columns)), Result: s}
		for _, st := range s.Settings {
			i := index[st.Name]
			odd := majority[i] != "" && st.Value != notRead && st.Value != majority[i]
			row.Cells[i] = GridCell{Value: st.Value, Status: st.Status, Odd: odd}
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// countRead counts the servers that showed a value for setting name.
func countRead(servers []Result, name string) int {
	n := 0
	for _, s := range servers {
		if v := settingValue(s, name); v != "" && v != notRead {
			n++
		}
	}
	return n
}
