package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ucpilot/ucpilot/internal/termwrap"
	"github.com/ucpilot/ucpilot/remote/lab"
)

// writeLabList is lab --list: a table, or JSON with --json.
func writeLabList(w io.Writer, asJSON bool) error {
	scenarios := lab.List()
	if asJSON {
		type item struct {
			Name     string   `json:"name"`
			Title    string   `json:"title"`
			Topology string   `json:"topology"`
			Pitfalls []string `json:"pitfalls"`
		}
		out := struct {
			Scenarios []item `json:"scenarios"`
		}{Scenarios: []item{}}
		for _, s := range scenarios {
			p := s.Pitfalls
			if p == nil {
				p = []string{}
			}
			out.Scenarios = append(out.Scenarios, item{s.Name, s.Title, s.Topology, p})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	wrapped, flush := termwrap.ForTerminal(w) // a row wider than the terminal continues under its title
	tw := tabwriter.NewWriter(wrapped, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTOPOLOGY\tTITLE\tPITFALLS")
	for _, s := range scenarios {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, s.Topology, s.Title, strings.Join(s.Pitfalls, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return flush()
}
