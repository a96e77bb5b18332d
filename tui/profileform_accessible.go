package tui

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// RunProfileForm runs the profile form on its own, outside the full-screen
// program: with o.Accessible as huh's line-by-line prompts (one question
// at a time, no redraws, for screen readers), otherwise as huh's own
// form. Each answer is checked as it is typed with the same rules as the
// TUI's form; the profile is saved to o.ProfilePath only when the whole of
// it validates.
func RunProfileForm(ctx context.Context, o Options) error {
	if o.ProfilePath == "" {
		return errors.New("profile form: no path to save the profile to")
	}
	in, out := o.Input, o.Output
	if in == nil {
		in = os.Stdin
	}
	if out == nil {
		out = os.Stdout
	}
	r := lipgloss.NewRenderer(out)
	if o.Accessible {
		r.SetColorProfile(termenv.Ascii)
	}
	c := &Common{Profile: o.Profile, Styles: NewStyles(r), Keys: DefaultKeyMap()}
	f := newProfileForm(c, o.ProfilePath, o.Accessible, nil)
	for attempt := 0; attempt < 3; attempt++ {
		if err := f.form.WithInput(in).WithOutput(out).RunWithContext(ctx); err != nil {
			return fmt.Errorf("profile form: %w", err)
		}
		p := f.candidate()
		if err := p.Validate(); err != nil {
			// A later answer can make an earlier one wrong (the topology
			// decides what is required): say what, and ask again.
			fmt.Fprintf(out, "Not saved, the profile has problems:\n%v\nPlease answer again.\n", err)
			f.base = *p
			f.vals = valuesOf(p)
			f.build()
			continue
		}
		if err := p.Save(o.ProfilePath); err != nil {
			return err
		}
		fmt.Fprintf(out, "Saved the profile to %s.\n", o.ProfilePath)
		return nil
	}
	return errors.New("profile form: not saved after three attempts")
}
