package localshell

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ucpilot/ucpilot/remote/shell"
)

// The test binary doubles as the stand-in PowerShell: linked as pwsh/powershell.exe on
// PATH, it decodes -EncodedCommand and answers.
func TestMain(m *testing.M) {
	switch filepath.Base(os.Args[0]) {
	case "pwsh", "powershell.exe":
		os.Exit(fakePwsh(os.Args[1:]))
	}
	goleak.VerifyTestMain(m)
}

func fakePwsh(args []string) int {
	script, err := shell.ParseCommandLine(strings.Join(args, " "))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 64
	}
	if args[0] != "-NoProfile" || args[1] != "-NonInteractive" {
		fmt.Fprintln(os.Stderr, "missing -NoProfile -NonInteractive")
		return 65
	}
	switch {
	case strings.Contains(script, "TEST:tree"):
		// Start a grandchild that would run for a minute, report its pid, then hang.
		child := exec.Command(os.Args[0], "-NoProfile", "-NonInteractive", "-EncodedCommand", shell.EncodeCommand("TEST:sleep"))
		if err := child.Start(); err != nil {
			return 70
		}
		fmt.Printf("child=%d\n", child.Process.Pid)
		os.Stdout.Sync()
		if f := os.Getenv(childPidFileEnv); f != "" {
			_ = os.WriteFile(f, []byte(strconv.Itoa(child.Process.Pid)), 0o600)
		}
		time.Sleep(time.Minute)
		return 0
	case strings.Contains(script, "TEST:sleep"):
		time.Sleep(time.Minute)
		return 0
	case strings.Contains(script, "TEST:exit5"):
		fmt.Fprint(os.Stderr, "bad thing")
		return 5
	}
	sc, err := shell.ParseRendered(script)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("%s\n[%q]", shell.JSONMarker, sc.Args["value"])
	return 0
}

// fakeOnPath links the test binary as pwsh/powershell.exe in a temp dir first on PATH.
// childPidFileEnv names a file where TEST:tree writes its grandchild's pid
// once it runs, so a test waits for that rather than for a guessed time.
const childPidFileEnv = "LOCALSHELL_TEST_CHILD_PID_FILE"

func fakeOnPath(t *testing.T) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	name := "pwsh"
	if runtime.GOOS == "windows" {
		name = "powershell.exe"
	}
	if err := os.Symlink(exe, filepath.Join(dir, name)); err != nil {
		t.Skipf("cannot link the stand-in PowerShell: %v", err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestRunThroughPath(t *testing.T) {
	fakeOnPath(t)
	sh, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	if !strings.HasPrefix(sh.Target(), "this computer via ") {
		t.Errorf("Target = %q", sh.Target())
	}
	v := `it's ‘x’ $(calc) "dq"`
	s, _ := shell.Script{Body: "Write-Output $value", Args: map[string]string{"value": v}, JSON: true}.Render()
	res, err := sh.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	p, err := shell.Outcome(res)
	if err != nil || p != fmt.Sprintf("[%q]", v) {
		t.Errorf("payload %q %v (%+v)", p, err, res)
	}
	res, err = sh.Run(context.Background(), "TEST:exit5")
	if err != nil || res.ExitCode != 5 || res.Stderr != "bad thing" {
		t.Errorf("exit5: %+v %v", res, err)
	}
}

func TestNotFound(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if runtime.GOOS == "windows" {
		t.Setenv("SystemRoot", t.TempDir())
	}
	_, err := New("")
	if err == nil || !strings.Contains(err.Error(), "local PowerShell") {
		t.Errorf("want a clear not-found error, got %v", err)
	}
	sh, _ := New(filepath.Join(t.TempDir(), "missing-pwsh"))
	if _, err := sh.Run(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "cannot run") {
		t.Errorf("missing executable: %v", err)
	}
}

func TestTooLong(t *testing.T) {
	sh, _ := New("/bin/false")
	_, err := sh.Run(context.Background(), strings.Repeat("x", 13000))
	if !errors.As(err, new(*shell.CommandTooLongError)) {
		t.Errorf("want *CommandTooLongError, got %v", err)
	}
}
