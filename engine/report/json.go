package report

import (
	"encoding/json"
	"io"

	"github.com/ucpilot/ucpilot/engine"
)

// WriteJSON writes the report as indented JSON (the stable shape of
// engine.Report's MarshalJSON), with no HTML escaping so commands read as
// written.
func WriteJSON(w io.Writer, r engine.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
