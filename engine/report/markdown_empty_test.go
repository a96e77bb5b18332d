package report

import (
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/engine"
)

// An empty evidence value reads "(empty)", not an empty code span that
// Markdown shows as stray backticks (issue 14 extras).
func TestMarkdownEmptyEvidenceValue(t *testing.T) {
	r := engine.Report{Topology: "onprem", Checks: []engine.Result{{ID: "bearer.ews", Status: engine.StatusFail, Summary: "no issuers",
		Evidence: []engine.Evidence{{Label: "trusted_issuers", Value: ""}}}}}
	var b strings.Builder
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "``") || !strings.Contains(out, `trusted\_issuers: *(empty)*`) {
		t.Errorf("empty value rendered as:\n%s", out)
	}
}
