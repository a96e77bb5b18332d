package main

import (
	"fmt"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
)

// loadedProfile is the environment a command works on: a validated profile,
// or none (then commands use the documentation's example names).
type loadedProfile struct {
	Profile *profile.Profile // nil when no profile exists
	Path    string
}

// Vars returns the template values: the profile's, or the example names.
func (l loadedProfile) Vars() knowledge.Vars {
	if l.Profile == nil {
		return knowledge.ExampleVars()
	}
	return l.Profile.Vars()
}

// Label names the environment for screens and reports.
func (l loadedProfile) Label() string {
	if l.Profile == nil {
		return "no profile — commands use the example names (contoso.com)"
	}
	return fmt.Sprintf("profile %s (%s)", l.Profile.Label(), l.Path)
}

// loadProfile finds and validates the profile. required says whether a
// missing default profile is an error (check) or fine (guide, TUI). Any
// problem is exit 3: nothing starts with a half-valid profile.
func loadProfile(flagPath string, required bool) (loadedProfile, error) {
	path, found, err := profile.Locate(flagPath)
	if err != nil {
		return loadedProfile{}, exitWith(3, err)
	}
	if !found {
		if required {
			return loadedProfile{}, exitWith(3, fmt.Errorf("no profile: none at %s; pass --profile FILE, set $%s, or create one in the TUI (or try the lab: ucpilot check --lab healthy)", path, profile.EnvVar))
		}
		return loadedProfile{Path: path}, nil
	}
	p, err := profile.Load(path)
	if err != nil {
		return loadedProfile{}, exitWith(3, err)
	}
	if err := p.Validate(); err != nil {
		return loadedProfile{}, exitWith(3, fmt.Errorf("profile %s is not valid:\n%w", path, err))
	}
	return loadedProfile{Profile: p, Path: path}, nil
}
