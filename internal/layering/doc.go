// Package layering holds no code: its test checks the import directions
// docs/ARCHITECTURE.md states, with go list, so a change that breaks them
// fails CI instead of drifting from the document.
package layering
