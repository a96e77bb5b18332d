package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/engine/transcript"
)

// transcriptExportOptions are transcript export's flags.
type transcriptExportOptions struct{ format string }

func newTranscriptCmd(stdout io.Writer) *cobra.Command {
	t := &cobra.Command{
		Use:   "transcript",
		Short: "The record of every command ucpilot ran on a server (secrets redacted)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	o := &transcriptExportOptions{}
	export := &cobra.Command{
		Use:   "export --format markdown|json",
		Short: "Write the transcript for a change ticket",
		Long: `Write every command ucpilot ran — time, server, command, exit status, an excerpt of
the output and the checks re-run after it — with passwords and credentials redacted.
The file is $UCPILOT_TRANSCRIPT, else transcript.jsonl in the user's state directory.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return runTranscriptExport(o, stdout) },
	}
	export.Flags().StringVar(&o.format, "format", "markdown", "markdown or json")
	t.AddCommand(export)
	return t
}

// runTranscriptExport writes the transcript (secrets already redacted).
func runTranscriptExport(o *transcriptExportOptions, stdout io.Writer) error {
	if o.format != "markdown" && o.format != "json" {
		return usageError("--format %q: expected markdown or json", o.format)
	}
	path, err := transcript.DefaultPath()
	if err != nil {
		return exitWith(1, err)
	}
	entries, err := transcript.Open(path, transcript.NewRedactor()).Entries()
	if err != nil {
		return exitWith(1, fmt.Errorf("reading the transcript %s: %w", path, err))
	}
	return transcript.Export(stdout, entries, o.format)
}
