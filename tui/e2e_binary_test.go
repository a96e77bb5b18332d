package tui

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The end-to-end tests drive the real binary; it is built once per test
// process and shared, instead of once per test.
var e2eBuild struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if e2eBuild.dir != "" {
		_ = os.RemoveAll(e2eBuild.dir)
	}
	os.Exit(code)
}

// e2eBinary is $UCPILOT_E2E_BINARY, or the repository built once. It
// skips when there is no main.go to build.
func e2eBinary(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("UCPILOT_E2E_BINARY"); b != "" {
		return b
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "main.go")); err != nil {
		t.Skip("no main.go at the repository root yet: nothing to build")
	}
	e2eBuild.once.Do(func() {
		if e2eBuild.dir, e2eBuild.err = os.MkdirTemp("", "ucpilot-e2e-"); e2eBuild.err != nil {
			return
		}
		e2eBuild.bin = filepath.Join(e2eBuild.dir, "ucpilot")
		build := exec.Command("go", "build", "-o", e2eBuild.bin, ".")
		build.Dir = root
		e2eBuild.out, e2eBuild.err = build.CombinedOutput()
	})
	if e2eBuild.err != nil {
		t.Fatalf("go build of the ucpilot binary failed: %v\n%s", e2eBuild.err, e2eBuild.out)
	}
	return e2eBuild.bin
}
