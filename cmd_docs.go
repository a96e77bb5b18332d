package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd builds the hidden `ucpilot man` command. The release build runs
// it so the man pages come from the same command definitions as --help and
// can never describe flags that no longer exist.
func newManCmd(stdout io.Writer) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:    "man",
		Short:  "Write roff man pages for every command into a directory",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return writeManPages(cmd.Root(), dir, stdout)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "man", "directory that receives one .1 page per command (created if missing)")
	return cmd
}

// writeManPages renders the tree under root into dir and names the
// directory on stdout so a release hook's log shows where pages went.
func writeManPages(root *cobra.Command, dir string, stdout io.Writer) error {
	if dir == "" {
		return usageError("--dir is empty: give the directory that should receive the man pages")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return exitWith(1, fmt.Errorf("creating the man page directory %s: %w; check the path and its permissions", dir, err))
	}
	// The generated HISTORY section stamps today's date, which would make
	// two builds of one commit differ; the header date below is enough.
	disableAutoGenTags(root)
	header := &doc.GenManHeader{
		Section: "1", // Title left empty: cobra names each page after its command path
		Source:  "ucpilot " + version,
		Manual:  "ucpilot manual",
		Date:    buildDate(),
	}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return exitWith(1, fmt.Errorf("writing man pages into %s: %w; check free space and permissions", dir, err))
	}
	fmt.Fprintf(stdout, "man pages written to %s\n", dir)
	return nil
}

func disableAutoGenTags(c *cobra.Command) {
	c.DisableAutoGenTag = true
	for _, sub := range c.Commands() {
		disableAutoGenTags(sub)
	}
}

// buildDate returns the commit date stamped by the release build, so a
// rebuild of the same commit yields identical pages. A dev build returns
// nil and cobra falls back to SOURCE_DATE_EPOCH or the current time.
func buildDate() *time.Time {
	t, err := time.Parse(time.RFC3339, date)
	if err != nil {
		return nil
	}
	return &t
}
