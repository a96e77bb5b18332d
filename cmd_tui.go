package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/tui"
)

type rootOptions struct {
	theme      string
	accessible bool
	readOnly   bool
}

func validTheme(t string) bool { return t == "auto" || t == "dark" || t == "light" }

func runTUI(ctx context.Context, o *rootOptions, stdin io.Reader, stdout io.Writer) error {
	if !validTheme(o.theme) {
		return usageError("--theme %q: expected auto, dark or light", o.theme)
	}
	kb, err := knowledge.Load()
	if err != nil {
		return exitWith(3, fmt.Errorf("loading the embedded knowledge base: %w", err))
	}
	vars := knowledge.ExampleVars()
	restore, err := prepareConsole()
	if err != nil {
		return exitWith(1, err)
	}
	defer restore()
	return tui.Run(ctx, tui.Options{
		Base:       kb,
		Vars:       vars,
		EnvLabel:   "no profile — commands use the example names (contoso.com)",
		Theme:      o.theme,
		Accessible: o.accessible,
		ReadOnly:   o.readOnly,
		Input:      stdin,
		Output:     stdout,
	})
}
