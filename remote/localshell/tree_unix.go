//go:build !windows

package localshell

import (
	"os/exec"
	"syscall"
)

// prepareTree starts the process in its own process group and makes cancellation kill
// the whole group.
func prepareTree(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
