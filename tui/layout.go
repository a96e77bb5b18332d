package tui

import "github.com/ucpilot/ucpilot/tui/components"

// The layout helpers by their old names, for the screens still in this
// package (troubleshoot, home) until they move to their own.
var (
	paneTitle    = components.PaneTitle
	fitBlock     = components.FitBlock
	fitLine      = components.FitLine
	sideBySide   = components.SideBySide
	splitWidths  = components.SplitWidths
	stackHeights = components.StackHeights
)
