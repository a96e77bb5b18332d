// Package assets embeds the knowledge base data files. Adding a pitfall or a
// topology step is a change to these files only; knowledge loads and lints them.
package assets

import "embed"

// FS holds every knowledge base file.
//
//go:embed pitfalls/*.yaml topologies/*.yaml identifiers.yaml cmdlets.yaml checks.yaml vocabulary.yaml commonwords.txt sources/*.yaml
var FS embed.FS
