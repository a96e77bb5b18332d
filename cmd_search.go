package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ucpilot/ucpilot/internal/safetext"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/knowledge/paste"
)

// searchResult is the stable JSON shape of one hit; scripts depend on it.
type searchResult struct {
	Kind     string          `json:"kind"`
	ID       string          `json:"id"`
	Title    string          `json:"title"`
	Score    float64         `json:"score"`
	Cause    string          `json:"cause"`
	Fix      string          `json:"fix"`
	Commands []searchCommand `json:"commands"`
	Sources  []string        `json:"sources"`
	NotOAuth bool            `json:"not_oauth,omitempty"`
}

type searchCommand struct {
	Text    string `json:"text"`
	Changes bool   `json:"changes"`
	Shell   string `json:"shell,omitempty"`
}

func newSearchCmd(stdout io.Writer) *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "search [--json] [--limit N] QUERY... | -",
		Short: "Search pitfalls, steps, identifiers and cmdlets (paste an error line)",
		Long: `Search the knowledge base. Type fragments ("code=5", "jason", "401 storage") or
paste what the server said: a PowerShell error record, an Event Viewer text, HTTP
headers, an AADSTS line, a stack trace, log lines or a token. What was recognized
is said above the results; only its signal is searched, not the record's noise.
A code no entry knows is reported as unknown. "-" reads the paste from stdin.

Exit status: 0 with results (or a decoded token), 1 with none, 2 on usage errors.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 1 || limit > 100 {
				return usageError("--limit %d: expected a number from 1 to 100", limit)
			}
			query := strings.Join(args, " ")
			if len(args) == 1 && args[0] == "-" {
				b, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), paste.MaxInput))
				if err != nil {
					return exitWith(3, fmt.Errorf("reading the paste from stdin: %w", err))
				}
				query = string(b)
			}
			if strings.TrimSpace(query) == "" {
				return usageError("search: the query is empty; give words or an error line (ucpilot search \"401 storage\"), or - to read a paste from stdin")
			}
			kb, err := knowledgeBase()
			if err != nil {
				return err
			}
			ans := kb.Ask(query, limit)
			results := make([]searchResult, 0, len(ans.Hits))
			for _, h := range ans.Hits {
				results = append(results, toSearchResult(kb, h, knowledge.ExampleVars()))
			}
			rec := toRecognized(ans.Recognized, time.Now())
			outside := ans.OutOfDomain && ans.Recognized.Token == nil
			unknown := ans.Unknown
			if unknown == nil {
				unknown = []string{}
			}
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(struct {
					Query      string            `json:"query"`
					Recognized *searchRecognized `json:"recognized,omitempty"`
					Unknown    []string          `json:"unknown"`
					// OutOfDomain: nothing answers and nothing in the
					// query is about this trust.
					OutOfDomain bool           `json:"out_of_domain"`
					Results     []searchResult `json:"results"`
				}{safetext.String(paste.RedactTokens(query), safetext.MaxValue), rec, unknown, outside, results}); err != nil {
					return err
				}
			} else {
				writeRecognizedText(stdout, ans.Recognized, rec, unknown)
				if len(results) > 0 || ans.Recognized.Token == nil {
					writeSearchText(stdout, paste.RedactTokens(query), results)
				}
				if outside {
					fmt.Fprintln(stdout, "\n"+coverage)
				}
			}
			if len(results) == 0 && ans.Recognized.Token == nil {
				return exitWith(1, nil)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVar(&limit, "limit", 10, "at most this many results (1-100)")
	return cmd
}

// coverage says what ucpilot answers, for a question outside it.
const coverage = "This looks like something ucpilot does not cover. It knows the server-to-server OAuth trust\n" +
	"between Exchange and Lync / Skype for Business: partner applications, auth certificates,\n" +
	"metadata documents, the hybrid and online paths, and the errors, events and symptoms they cause."

func renderCommands(cmds []knowledge.Command, shell knowledge.Shell, v knowledge.Vars) []searchCommand {
	out := make([]searchCommand, 0, len(cmds))
	for _, c := range cmds {
		sh := c.Shell
		if sh == "" {
			sh = shell
		}
		out = append(out, searchCommand{Text: knowledge.MustRender(c.Text, v), Changes: c.Changes, Shell: string(sh)})
	}
	return out
}

func toSearchResult(kb *knowledge.Base, h knowledge.Hit, v knowledge.Vars) searchResult {
	r := searchResult{Kind: string(h.Kind), ID: h.ID, Title: h.Title, Score: h.Score}
	switch {
	case h.Pitfall != nil:
		p := h.Pitfall
		r.Cause, r.Fix, r.Sources, r.NotOAuth = p.Cause, p.Fix, p.Sources, p.NotOAuth
		r.Commands = renderCommands(p.Commands, "", v)
	case h.Step != nil:
		s := h.Step
		r.Cause, r.Fix, r.Sources = s.Why, s.What, s.Sources
		r.Commands = renderCommands(s.Commands, s.Shell, v)
	case h.Identifier != nil:
		id := h.Identifier
		r.Cause = id.Where
		r.Fix = id.Value
		r.Sources = id.Sources
	case h.Cmdlet != nil:
		c := h.Cmdlet
		r.Cause = c.Does
		r.Sources = c.Sources
		if c.Example != "" {
			r.Commands = renderCommands([]knowledge.Command{{Text: c.Example, Changes: c.Changes}}, c.Shell, v)
		}
	}
	if r.Commands == nil {
		r.Commands = []searchCommand{}
	}
	// Users see each source as its title and address, never an internal ref.
	r.Sources = kb.SourceLabels(r.Sources)
	return r
}

func writeSearchText(w io.Writer, query string, results []searchResult) {
	if len(results) == 0 {
		// A long paste is named by its start.
		query = safetext.Line(strings.Join(strings.Fields(query), " "), 120)
		fmt.Fprintf(w, "No entry matches %q.\nTry fewer or different words, or read the procedures: ucpilot kb export --format markdown\n", query)
		return
	}
	for i, r := range results {
		fmt.Fprintf(w, "%2d. [%s] %s  (%s, score %.2f)\n", i+1, r.Kind, r.Title, r.ID, r.Score)
	}
	top := results[0]
	fmt.Fprintf(w, "\n== %s\n", top.Title)
	if top.NotOAuth {
		fmt.Fprintln(w, "Note: this is NOT an OAuth trust problem.")
	}
	if top.Cause != "" {
		fmt.Fprintf(w, "\nCause: %s\n", strings.TrimSpace(top.Cause))
	}
	if top.Fix != "" {
		fmt.Fprintf(w, "\nFix: %s\n", strings.TrimSpace(top.Fix))
	}
	for _, c := range top.Commands {
		mark := "read-only"
		if c.Changes {
			mark = "changes the server"
		}
		fmt.Fprintf(w, "\n  # %s, %s\n  %s\n", c.Shell, mark, strings.ReplaceAll(c.Text, "\n", "\n  "))
	}
	if len(top.Sources) > 0 {
		fmt.Fprintf(w, "\nSources:\n  %s\n", strings.Join(top.Sources, "\n  "))
	}
}
