package main

import (
	"context"
	"errors"
	"io"

	"github.com/charmbracelet/huh"
	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/tui"
)

func newProfileCmd(stdin io.Reader, stdout io.Writer, opts *rootOptions) *cobra.Command {
	p := &cobra.Command{
		Use:   "profile",
		Short: "The environment profile: the names of your servers",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var path string
	edit := &cobra.Command{
		Use:   "edit [--profile FILE]",
		Short: "Create or edit the profile in a form that checks every answer as you type",
		Long: `Create or edit the profile with a form; every answer is checked as you type and the
file is saved only when the whole profile is valid. With --accessible (or ACCESSIBLE=1)
the form asks one plain question per line, for screen readers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// An invalid profile is what the form is for: load it without
			// validating, so its answers start from what is there.
			file, found, err := profile.Locate(path)
			if err != nil {
				return exitWith(3, err)
			}
			var current *profile.Profile
			if found {
				if current, err = profile.Load(file); err != nil {
					return exitWith(3, err)
				}
			}
			err = tui.RunProfileForm(cmd.Context(), tui.Options{
				Profile: current, ProfilePath: file, Accessible: opts.accessible,
				Input: stdin, Output: stdout,
			})
			return interruptedOr(err, 1)
		},
	}
	edit.Flags().StringVar(&path, "profile", "", "profile file (default $UCPILOT_PROFILE, then the user config dir)")
	p.AddCommand(edit)
	return p
}

// interruptedOr turns leaving a prompt early (Ctrl+C, the end of the
// input) into a quiet exit 130, as a shell reports an interrupted command;
// any other error exits with code.
func interruptedOr(err error, code int) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tui.ErrInterrupted), errors.Is(err, huh.ErrUserAborted), errors.Is(err, context.Canceled):
		return exitWith(130, nil)
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return exitWith(code, err)
}
