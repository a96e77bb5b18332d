package engine_test

import (
	"bytes"
	"testing"

	"go.uber.org/goleak"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/report"
)

// TestMain lives in the external test package because it can import
// engine/report (which imports engine): the in-package tests that check
// hostile server text reaches no report raw render through the real
// writers via engine.RenderReports. Every test must leave no goroutine
// running.
func TestMain(m *testing.M) {
	engine.RenderReports = renderReports
	goleak.VerifyTestMain(m)
}

func renderReports(r engine.Report) (map[string]string, error) {
	out := map[string]string{}
	for format, write := range map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return report.WriteTextWith(b, r, report.TextOptions{}) },
		"json":     func(b *bytes.Buffer) error { return report.WriteJSON(b, r) },
		"markdown": func(b *bytes.Buffer) error { return report.WriteMarkdown(b, r) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			return nil, err
		}
		out[format] = b.String()
	}
	return out, nil
}
