package tui

import (
	"context"
	"errors"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
)

// Options configure a TUI session.
type Options struct {
	Base       *knowledge.Base
	Vars       knowledge.Vars // values for command templates (knowledge.ExampleVars() when no profile)
	EnvLabel   string         // one line naming the active environment, shown on Home
	Theme      string         // "auto" | "dark" | "light"; "dark"/"light" skip the background query
	Accessible bool
	ReadOnly   bool
	Input      io.Reader // nil = os.Stdin
	Output     io.Writer // nil = os.Stdout
	// Clipboard copies commands; nil means OSC 52 to the terminal output
	// plus the native clipboard where a display exists.
	Clipboard Clipboard

	// Checks enables the Checks screen (key C); nil hides it.
	Checks *CheckSource
	// Profile is the environment's validated profile, nil when none exists
	// yet. The profile form starts from it and Checks plans with it.
	Profile *profile.Profile
	// ProfilePath is where the profile form saves; "" hides the form.
	ProfilePath string
	// OnProfileSaved, when set, hears of every profile the form saved. It
	// runs on the UI goroutine: keep it quick.
	OnProfileSaved func(path string, p *profile.Profile)
	// Guide enables the Guide screen (key w); nil hides it. Its
	// verifications run the checks of Checks.
	Guide *GuideSource
	// Runner runs the commands shown in Troubleshoot, Browse and Checks
	// (x). nil uses Guide.Runner; with neither, x says to copy instead.
	Runner *CommandRunner
	// Asker brings the runner's questions (a password, an unknown host
	// key) into the TUI; nil when the runner never asks.
	Asker *Asker
	// Redact removes secrets from what commands printed and from their
	// errors before anything is drawn (the transcript Redactor's Redact).
	Redact func(string) string
	// Renderer draws the styles; nil makes one for Output. A server
	// passes one that knows the remote terminal's colours (TERM).
	Renderer *lipgloss.Renderer
}

// Run runs the TUI until the user quits or ctx ends. It uses the alternate
// screen and never captures the mouse, so commands stay selectable.
func Run(ctx context.Context, o Options) error {
	if o.Base == nil {
		return errors.New("tui: no knowledge base to show (Options.Base is nil); load one with knowledge.Load first")
	}
	out := resolveOutput(o, true)
	if out.closer != nil {
		defer out.closer.Close()
	}
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithAltScreen()}
	if !out.isStdout {
		opts = append(opts, tea.WithOutput(out.writer))
	}
	// os.Stdin is left to Bubble Tea's default, which opens the terminal
	// when stdin is a pipe; on Windows resize events need that default too.
	if o.Input != nil && o.Input != io.Reader(os.Stdin) {
		opts = append(opts, tea.WithInput(o.Input))
	}
	_, err := tea.NewProgram(newModel(o, out), opts...).Run()
	if err != nil && ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		// Cancelled by the caller: report why, not how.
		return ctx.Err()
	}
	return err
}
