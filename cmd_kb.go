package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/knowledge"
)

// kbExportOptions are kb export's flags.
type kbExportOptions struct{ format string }

func newKBCmd(stdout io.Writer) *cobra.Command {
	kb := &cobra.Command{
		Use:   "kb",
		Short: "Work with the embedded knowledge base",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	o := &kbExportOptions{}
	export := &cobra.Command{
		Use:   "export --format json|markdown",
		Short: "Write the whole knowledge base as JSON or as a Markdown runbook",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return runKBExport(o, stdout) },
	}
	export.Flags().StringVar(&o.format, "format", "json", "json or markdown")
	kb.AddCommand(export)
	return kb
}

// runKBExport writes the whole knowledge base as JSON or Markdown.
func runKBExport(o *kbExportOptions, stdout io.Writer) error {
	if o.format != "json" && o.format != "markdown" {
		return usageError("--format %q: expected json or markdown", o.format)
	}
	base, err := knowledgeBase()
	if err != nil {
		return err
	}
	if o.format == "json" {
		return base.ExportJSON(stdout)
	}
	return base.ExportMarkdown(stdout, knowledge.ExampleVars())
}
