package tui

import (
	"context"
	"fmt"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/tui/profileform"
)

// Errors of the line-by-line profile prompts (package profileform).
var (
	ErrInterrupted = profileform.ErrInterrupted
	ErrInputEnded  = profileform.ErrInputEnded
)

// newProfileForm is the profile form as a screen of this session: a save
// becomes the session's profile at once (commands use its names).
func newProfileForm(c *Common, path string, accessible bool, onSaved func(string, *profile.Profile)) *profileform.Form {
	return profileform.New(profileform.Deps{
		Styles:  c.Styles,
		Back:    &c.Keys.Back,
		Profile: func() *profile.Profile { return c.Profile },
		Saved: func(path string, p *profile.Profile) {
			c.Profile, c.Vars = p, p.Vars()
			c.EnvLabel = fmt.Sprintf("profile %s (%s)", p.Label(), path)
			if onSaved != nil {
				onSaved(path, p)
			}
		},
		Status: statusCmd,
		Leave:  goBack,
	}, path, accessible)
}

// RunProfileForm runs the profile form on its own, outside the full-screen
// program (profileform.Run): line by line with o.Accessible.
func RunProfileForm(ctx context.Context, o Options) error {
	return profileform.Run(ctx, profileform.RunOptions{Path: o.ProfilePath, Profile: o.Profile,
		Accessible: o.Accessible, Input: o.Input, Output: o.Output})
}
