package sshshell

import (
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The real-sshd test runs this binary as the server's powershell.exe (ForceCommand).
	if filepath.Base(os.Args[0]) == fakePowerShellName {
		os.Exit(fakePowerShell())
	}
	goleak.VerifyTestMain(m)
}
