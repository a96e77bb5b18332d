package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newGuideCmd(stdout io.Writer) *cobra.Command {
	var topology, profilePath, format string
	cmd := &cobra.Command{
		Use:   "guide --topology onprem|hybrid|sfbonline [--profile FILE] --format markdown",
		Short: "Write a topology's whole procedure with this environment's values (for a change ticket)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if format != "markdown" {
				return usageError("--format %q: expected markdown", format)
			}
			env, err := loadProfile(profilePath, false)
			if err != nil {
				return err
			}
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
		},
	}
	cmd.Flags().StringVar(&topology, "topology", "", "onprem, hybrid or sfbonline (default: the profile's)")
	cmd.Flags().StringVar(&profilePath, "profile", "", "profile file (default $UCPILOT_PROFILE, then the user config dir)")
	cmd.Flags().StringVar(&format, "format", "markdown", "output format: markdown")
	return cmd
}
