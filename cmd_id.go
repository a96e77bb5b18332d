package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/knowledge"
)

// idOptions are the id command's flags and argument.
type idOptions struct {
	value  string
	asJSON bool
}

func newIDCmd(stdout io.Writer) *cobra.Command {
	o := &idOptions{}
	cmd := &cobra.Command{
		Use:   "id VALUE",
		Short: "Check an application id, issuer or metadata URL for known values and typos",
		Long: `Check one identifier: an application id (00000004-0000-0ff1-ce00-000000000000),
an issuer (00000004-…@contoso.com) or a metadata URL
(https://pool01.contoso.com/metadata/json/1).

Exit status: 0 known, 1 a near miss (the correction is printed) or unknown,
2 on usage errors.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("id takes exactly one VALUE (quote it if it contains spaces), got %d", len(args))
			}
			if strings.TrimSpace(args[0]) == "" {
				return usageError("id: VALUE is empty")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			o.value = args[0]
			return runID(o, stdout)
		},
	}
	cmd.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	return cmd
}

// runID prints the verdict on one identifier: exit 0 known, 1 otherwise.
func runID(o *idOptions, stdout io.Writer) error {
	kb, err := knowledgeBase()
	if err != nil {
		return err
	}
	v := kb.CheckIdentifier(o.value)
	if o.asJSON {
		out := struct {
			Input       string `json:"input"`
			Status      string `json:"status"`
			Name        string `json:"name,omitempty"`
			Value       string `json:"value,omitempty"`
			Correction  string `json:"correction,omitempty"`
			Explanation string `json:"explanation,omitempty"`
		}{Input: v.Input, Status: v.Status, Correction: v.Correction, Explanation: v.Explanation}
		if v.Identifier != nil {
			out.Name, out.Value = v.Identifier.Name, v.Identifier.Value
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		writeIDText(stdout, v)
	}
	if v.Status != "known" {
		return exitWith(1, nil)
	}
	return nil
}

func writeIDText(w io.Writer, v knowledge.IDVerdict) {
	switch v.Status {
	case "known":
		name := "a known value"
		if v.Identifier != nil {
			name = fmt.Sprintf("%s (%s)", v.Identifier.Name, v.Identifier.Product)
		}
		fmt.Fprintf(w, "OK: %s is %s.\n", v.Input, name)
	case "typo":
		fmt.Fprintf(w, "TYPO: %s\n  %s\n  Use: %s\n", v.Input, v.Explanation, v.Correction)
	default:
		fmt.Fprintf(w, "UNKNOWN: %s\n", v.Input)
		if v.Explanation != "" {
			fmt.Fprintf(w, "  %s\n", v.Explanation)
		}
	}
	if v.Identifier != nil && v.Status == "known" && v.Identifier.Where != "" {
		fmt.Fprintf(w, "  Where it appears: %s\n", v.Identifier.Where)
	}
}
