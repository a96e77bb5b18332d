package engine_test

import (
	"bytes"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/report"
)

// The in-package tests check that hostile server text reaches no report
// raw; they render through the real writers via this hook.
func init() {
	engine.RenderReports = func(r engine.Report) (map[string]string, error) {
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
}
