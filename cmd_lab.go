package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/knowledge"
)

// runLabCheck is filled in when the lab lands (issue 6).
func runLabCheck(_ *cobra.Command, _ *knowledge.Base, o *checkOptions, _ []string, _, _ io.Writer) error {
	return checkFailed(fmt.Errorf("--lab %q: the lab is not built into this version yet", o.lab))
}
