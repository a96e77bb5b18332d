//go:build !linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
)

// startInPTY is implemented for Linux only: the budget is measured on the
// Linux build machines, and each OS opens pseudo-terminals differently.
func startInPTY(cmd *exec.Cmd, cols, rows int) (*os.File, error) {
	return nil, fmt.Errorf("firstframe: opening a pseudo-terminal is implemented for linux only, not %s; run the benchmark on a Linux machine", runtime.GOOS)
}
