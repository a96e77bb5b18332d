package main

import (
	"io"

	"github.com/spf13/cobra"
)

// guideOptions are the guide command's flags.
type guideOptions struct{ topology, profilePath, format string }

func newGuideCmd(stdout io.Writer) *cobra.Command {
	o := &guideOptions{}
	cmd := &cobra.Command{
		Use:   "guide --topology onprem|hybrid|sfbonline [--profile FILE] --format markdown",
		Short: "Write a topology's whole procedure with this environment's values (for a change ticket)",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return runGuide(o, stdout) },
	}
	cmd.Flags().StringVar(&o.topology, "topology", "", "onprem, hybrid or sfbonline (default: the profile's)")
	cmd.Flags().StringVar(&o.profilePath, "profile", "", "profile file (default $UCPILOT_PROFILE, then the user config dir)")
	cmd.Flags().StringVar(&o.format, "format", "markdown", "output format: markdown")
	return cmd
}

// runGuide writes a topology's procedure with the profile's values.
func runGuide(o *guideOptions, stdout io.Writer) error {
	if o.format != "markdown" {
		return usageError("--format %q: expected markdown", o.format)
	}
	env, err := loadProfile(o.profilePath, false)
	if err != nil {
		return err
	}
	topology := o.topology
	if topology == "" && env.Profile != nil {
		topology = env.Profile.Topology
	}
	if topology == "" {
		return usageError("--topology is required without a profile: onprem, hybrid or sfbonline")
	}
	kb, err := knowledgeBase()
	if err != nil {
		return err
	}
	if kb.Topology(topology) == nil {
		return usageError("--topology %q: expected onprem, hybrid or sfbonline", topology)
	}
	return kb.ExportProcedureMarkdown(stdout, topology, env.Vars(), env.Label())
}
