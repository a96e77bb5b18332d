package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/knowledge"
)

func newKBCmd(stdout io.Writer) *cobra.Command {
	kb := &cobra.Command{
		Use:   "kb",
		Short: "Work with the embedded knowledge base",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	var format string
	export := &cobra.Command{
		Use:   "export --format json|markdown",
		Short: "Write the whole knowledge base as JSON or as a Markdown runbook",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if format != "json" && format != "markdown" {
				return usageError("--format %q: expected json or markdown", format)
			}
			base, err := knowledgeBase()
			if err != nil {
				return err
			}
			if format == "json" {
				return base.ExportJSON(stdout)
			}
			return base.ExportMarkdown(stdout, knowledge.ExampleVars())
		},
	}
	export.Flags().StringVar(&format, "format", "json", "json or markdown")
	kb.AddCommand(export)
	return kb
}
