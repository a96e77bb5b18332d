package fleet

import (
	"fmt"
	"io"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/tui/styles"
)

// fleetResult is the lab's fleet scenario as fleet.exchange reports it,
// with fixed thumbprints.
func fleetResult() engine.Result {
	var servers []engine.Result
	for i := 1; i <= 12; i++ {
		name := fmt.Sprintf("exch%02d.contoso.lab", i)
		set := func(n, v string, st engine.Status) engine.Setting {
			return engine.Setting{Name: n, Value: v, Status: st}
		}
		r := engine.Result{ID: "fleet.exchange", Target: name, Status: engine.StatusPass, Summary: "as expected"}
		if i == 7 {
			r.Status, r.Summary = engine.StatusFail, "the current auth certificate D79014A5F4967AA41BD0E56D6E3B6F18E4F013C7 is not in its store"
			r.Pitfalls = []string{"exchange-auth-cert-missing-on-server"}
			r.Settings = append(r.Settings, set(engine.SetAuthCert, "missing", engine.StatusFail), set(engine.SetAuthDays, "-", engine.StatusSkipped))
		} else {
			r.Settings = append(r.Settings, set(engine.SetAuthCert, "D79014A5", engine.StatusPass), set(engine.SetAuthDays, "1825", engine.StatusPass))
		}
		r.Settings = append(r.Settings, set(engine.SetEWSOAuth, "on", engine.StatusPass), set(engine.SetAutodOAuth, "on", engine.StatusPass),
			set(engine.SetBearer, "offered", engine.StatusPass), set(engine.SetClock, "in step", engine.StatusPass))
		servers = append(servers, r)
	}
	return engine.Result{ID: "fleet.exchange", Group: "fleet", Status: engine.StatusFail,
		Summary: "1 of 12 Exchange servers need attention: exch07", Servers: servers}
}

func newModel() *Model {
	return New(styles.New(lipgloss.NewRenderer(io.Discard)), fleetResult())
}

func keys(m *Model, ks ...string) bool {
	done := false
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		case "right":
			msg = tea.KeyMsg{Type: tea.KeyRight}
		case "backspace":
			msg = tea.KeyMsg{Type: tea.KeyBackspace}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		done = m.Update(msg)
	}
	return done
}

func assertFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("%d lines, the terminal has %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d wide, the terminal %d: %q", i+1, n, w, l)
		}
	}
}

func TestGridGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 45}} {
		t.Run(fmt.Sprintf("grid_%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newModel()
			keys(m, "down", "down", "down", "down", "down", "down") // to exch07
			v := m.View(size[0], size[1])
			assertFits(t, v, size[0], size[1])
			golden.RequireEqual(t, []byte(v))
		})
	}
	t.Run("evidence_80x24", func(t *testing.T) {
		m := newModel()
		keys(m, "/", "0", "7", "enter", "enter")
		v := m.View(80, 24)
		assertFits(t, v, 80, 24)
		golden.RequireEqual(t, []byte(v))
	})
}

func TestGridMarksAndFilters(t *testing.T) {
	m := newModel()
	v := m.View(160, 45)
	if n := strings.Count(v, "◆"); n != 2 { // the legend and exch07's certificate
		t.Errorf("%d ◆ marks, want the legend and exch07's auth cert:\n%s", n, v)
	}
	if !strings.Contains(v, "✗ missing ◆") || !strings.Contains(v, "✗ exch07") {
		t.Errorf("exch07 not shown as failing and odd:\n%s", v)
	}
	keys(m, "/", "f", "a", "i", "l", "enter")
	if len(m.rows) != 1 || m.grid.Rows[m.rows[0]].Server != "exch07.contoso.lab" {
		t.Fatalf("filter fail: rows %v", m.rows)
	}
	keys(m, "enter")
	if v := m.View(80, 24); !strings.Contains(v, "exchange-auth-cert-missing-on-server") || !strings.Contains(v, "is not in") {
		t.Errorf("evidence of exch07 not shown:\n%s", v)
	}
	if keys(m, "esc") || m.showing {
		t.Fatal("esc should close the evidence first")
	}
	if keys(m, "esc") || m.query != "" || len(m.rows) != 12 {
		t.Fatal("esc should clear the filter next")
	}
	if !keys(m, "esc") {
		t.Error("esc with nothing open should leave the grid")
	}
	// Narrow: columns past the width are reached with →.
	n := newModel()
	v = n.View(80, 24)
	if !strings.Contains(v, "more") {
		t.Errorf("80 columns should say more columns are off to the right:\n%s", v)
	}
	keys(n, "right", "right")
	if v2 := n.View(80, 24); !strings.Contains(v2, "clock") {
		t.Errorf("after → the last columns should show:\n%s", v2)
	}
}
