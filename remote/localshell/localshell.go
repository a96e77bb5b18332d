// Package localshell runs PowerShell on this computer: powershell.exe on Windows (for
// ucpilot running on the Exchange or Skype for Business server itself), pwsh elsewhere.
// Scripts go as -EncodedCommand arguments; cancelling the context kills the whole
// process tree, so cmdlets that start helpers do not outlive a cancelled check.
package localshell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/ucpilot/ucpilot/remote/shell"
)

var _ shell.Shell = (*Shell)(nil)

// Shell runs scripts in a local PowerShell process, one process per Run.
type Shell struct {
	exe string
}

// New finds PowerShell: powershell.exe on PATH, then
// %SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe on Windows; pwsh on PATH
// elsewhere. exe, when not empty, is used as is.
func New(exe string) (*Shell, error) {
	if exe != "" {
		return &Shell{exe: exe}, nil
	}
	found, err := find()
	if err != nil {
		return nil, err
	}
	return &Shell{exe: found}, nil
}

func find() (string, error) {
	if runtime.GOOS == "windows" {
		if p, err := exec.LookPath("powershell.exe"); err == nil {
			return p, nil
		}
		root := os.Getenv("SystemRoot")
		if root == "" {
			root = `C:\Windows`
		}
		p := filepath.Join(root, "System32", "WindowsPowerShell", "v1.0", "powershell.exe")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		return "", fmt.Errorf("local PowerShell: powershell.exe is neither on PATH nor at %s", p)
	}
	p, err := exec.LookPath("pwsh")
	if err != nil {
		return "", fmt.Errorf("local PowerShell: pwsh is not on PATH (%v); the Exchange and Skype for Business "+
			"cmdlets only exist on Windows servers, so use the ssh or winrm transport from here", err)
	}
	return p, nil
}

// waitDelay bounds how long Run waits for output pipes after the process is killed
// (a grandchild holding them open must not hang Run).
const waitDelay = 2 * time.Second

// Run runs script and returns its output. A non-zero exit is reported in the Result.
func (s *Shell) Run(ctx context.Context, script string) (shell.Result, error) {
	line, err := shell.CommandLineWithLimit(filepath.Base(s.exe), script, shell.CreateProcessLimit)
	if err != nil {
		return shell.Result{}, err
	}
	_ = line // only the length check matters; exec passes the arguments itself
	start := time.Now()
	cmd := exec.CommandContext(ctx, s.exe, shell.Args(script)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = waitDelay
	prepareTree(cmd)
	err = cmd.Run()
	res := shell.Result{Stdout: out.String(), Stderr: errb.String(), Duration: time.Since(start)}
	if ctx.Err() != nil {
		res.ExitCode = -1
		return res, fmt.Errorf("local PowerShell stopped: %w", ctx.Err())
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return res, nil
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		res.ExitCode = ee.ExitCode()
		return res, nil
	}
	res.ExitCode = -1
	return res, fmt.Errorf("local PowerShell: cannot run %s: %w", s.exe, err)
}

// Target implements shell.Shell.
func (s *Shell) Target() string {
	return "this computer via " + filepath.Base(s.exe)
}

// Close implements shell.Shell; nothing stays open between runs.
func (s *Shell) Close() error { return nil }
