package profileform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/tui/components"
	"github.com/ucpilot/ucpilot/tui/styles"
)

// ErrInterrupted is what the line-by-line prompts return when the user
// leaves with Ctrl+C (the context ended) before finishing: nothing more was
// saved, and the command line exits 130 without an error message.
var ErrInterrupted = errors.New("interrupted")

// ErrInputEnded is what the line-by-line prompts return when the input
// ends before the last question: nothing was saved.
var ErrInputEnded = errors.New("the input ended before the last question; the profile was not saved")

// RunOptions are what `profile edit` gives the form run on its own.
type RunOptions struct {
	Path       string           // where the profile is saved
	Profile    *profile.Profile // the starting values (nil: none yet)
	Accessible bool             // line-by-line prompts instead of the form
	Input      io.Reader        // nil: os.Stdin
	Output     io.Writer        // nil: os.Stdout
}

// Run runs the profile form on its own, outside the full-screen
// program: with o.Accessible as plain line-by-line prompts (one question
// at a time, no redraws, for screen readers), otherwise as huh's own
// form. Each answer is checked as it is typed with the same rules as the
// TUI's form; the profile is saved to o.Path only when the whole of
// it validates. Leaving early returns ErrInterrupted (Ctrl+C) or
// ErrInputEnded from the prompts, huh.ErrUserAborted from the form.
func Run(ctx context.Context, o RunOptions) error {
	if o.Path == "" {
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
	back := key.NewBinding(key.WithKeys("esc"))
	start := o.Profile
	d := Deps{Styles: styles.New(r), Back: &back, Profile: func() *profile.Profile { return start }}
	f := &Form{d: d, path: o.Path, standalone: true}
	f.reset()
	var lp *linePrompter
	if o.Accessible {
		lp = &linePrompter{ctx: ctx, out: out, lines: components.ReadLines(in)}
	}
	for attempt := 0; attempt < 3; attempt++ {
		if lp != nil {
			if err := lp.ask(f); err != nil {
				return err
			}
		} else if err := f.form.WithInput(in).WithOutput(out).RunWithContext(ctx); err != nil {
			if errors.Is(err, huh.ErrUserAborted) {
				return err
			}
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
		if err := p.Save(o.Path); err != nil {
			return err
		}
		fmt.Fprintf(out, "Saved the profile to %s.\n", o.Path)
		return nil
	}
	return errors.New("profile form: not saved after three attempts")
}

// linePrompter asks the form's questions one plain line at a time: the key
// and what it is for, the current value kept by Enter, a choice answered by
// its number or its value. It reads through a channel so that Ctrl+C (the
// context ending) leaves at once instead of waiting for a line.
type linePrompter struct {
	ctx   context.Context
	out   io.Writer
	lines <-chan string
}

func (lp *linePrompter) say(format string, args ...any) { fmt.Fprintf(lp.out, format+"\n", args...) }

// line reads one answer; ErrInterrupted when the context ends,
// ErrInputEnded when the input does.
func (lp *linePrompter) line(prompt string) (string, error) {
	fmt.Fprint(lp.out, prompt+" ")
	select {
	case s, ok := <-lp.lines:
		if !ok {
			lp.say("")
			return "", ErrInputEnded
		}
		return strings.TrimSpace(s), nil
	case <-lp.ctx.Done():
		lp.say("")
		return "", ErrInterrupted
	}
}

// ask walks every group of the form and fills f.vals.
func (lp *linePrompter) ask(f *Form) error {
	v := f.vals
	for _, g := range formGroups {
		lp.say("%s", g.title)
		for _, spec := range g.keys {
			var err error
			switch spec.key {
			case keyTopology:
				err = lp.choose(spec, &v.Topology)
			case keyInsecure:
				err = lp.confirm(spec, &v.Insecure)
			default:
				err = lp.text(f, spec, spec.val(v))
			}
			if err != nil {
				return err
			}
		}
		lp.say("")
	}
	return nil
}

func (lp *linePrompter) text(f *Form, spec formSpec, field *string) error {
	lp.say("%s: %s", spec.key, spec.desc)
	if spec.example != "" {
		lp.say("  for example %s", spec.example)
	}
	keep := "leaves it empty"
	if *field != "" {
		keep = fmt.Sprintf("keeps %s, a single - empties it", *field)
	}
	for {
		ans, err := lp.line(fmt.Sprintf("%s (Enter %s):", spec.key, keep))
		if err != nil {
			return err
		}
		switch ans {
		case "":
			ans = *field
		case "-":
			ans = ""
		}
		if err := f.validator(spec.key, field)(ans); err != nil {
			lp.say("Not accepted: %s", err)
			continue
		}
		*field = ans
		return nil
	}
}

func (lp *linePrompter) choose(spec formSpec, field *string) error {
	lp.say("%s: %s", spec.key, spec.desc)
	def := 0
	for i, c := range topologyChoices {
		if c.value == *field {
			def = i
		}
		lp.say("  %d. %s", i+1, c.label)
	}
	for {
		ans, err := lp.line(fmt.Sprintf("%s, a number or a name (Enter keeps %s):", spec.key, topologyChoices[def].value))
		if err != nil {
			return err
		}
		if ans == "" {
			*field = topologyChoices[def].value
			return nil
		}
		for i, c := range topologyChoices {
			if ans == strconv.Itoa(i+1) || strings.EqualFold(ans, c.value) {
				*field = c.value
				return nil
			}
		}
		names := make([]string, len(topologyChoices))
		for i, c := range topologyChoices {
			names[i] = c.value
		}
		lp.say("Not accepted: answer 1 to %d or one of %s", len(topologyChoices), strings.Join(names, ", "))
	}
}

func (lp *linePrompter) confirm(spec formSpec, field *bool) error {
	lp.say("%s: %s", spec.key, spec.desc)
	keep := "no"
	if *field {
		keep = "yes"
	}
	for {
		ans, err := lp.line(fmt.Sprintf("%s, yes or no (Enter keeps %s):", spec.key, keep))
		if err != nil {
			return err
		}
		switch strings.ToLower(ans) {
		case "":
			return nil
		case "y", "yes":
			*field = true
			return nil
		case "n", "no":
			*field = false
			return nil
		}
		lp.say("Not accepted: answer yes or no")
	}
}
