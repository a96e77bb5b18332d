//go:build windows

package localshell

import (
	"os/exec"
	"strconv"
)

// prepareTree makes cancellation kill the process and its children (taskkill /T); a
// plain Kill would leave cmdlets' helper processes running.
func prepareTree(cmd *exec.Cmd) {
	cmd.Cancel = func() error {
		kill := exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(cmd.Process.Pid))
		if err := kill.Run(); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
}
