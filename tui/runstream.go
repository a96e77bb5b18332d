package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/engine"
)

// nextResult streams a run's results into Bubble Tea one at a time: it
// reads one result and delivers it as onResult(res), or done once the
// engine closed the channel. The screen calls it again for the next, so
// a screen that replaced the run simply stops asking.
func nextResult(results <-chan engine.Result, onResult func(engine.Result) tea.Msg, done tea.Msg) tea.Cmd {
	return func() tea.Msg {
		res, ok := <-results
		if !ok {
			return done
		}
		return onResult(res)
	}
}
