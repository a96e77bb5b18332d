package main

import (
	"errors"
	"strings"
	"testing"
)

// fakeConsole records mode changes; getErr simulates a non-console handle,
// setErr a console that rejects the VT bit.
type fakeConsole struct {
	mode           uint32
	getErr, setErr error
	sets           []uint32
}

func (f *fakeConsole) get() (uint32, error) { return f.mode, f.getErr }
func (f *fakeConsole) set(m uint32) error {
	if f.setErr != nil {
		return f.setErr
	}
	f.sets = append(f.sets, m)
	f.mode = m
	return nil
}

func TestEnableVTTurnsOnAndRestores(t *testing.T) {
	const orig = 0x0001 | 0x0002 // processed output, wrap at EOL
	c := &fakeConsole{mode: orig}
	restore, err := enableVT(c)
	if err != nil {
		t.Fatal(err)
	}
	if c.mode != orig|enableVirtualTerminalProcessing {
		t.Fatalf("mode after enable = %#x, want %#x", c.mode, orig|enableVirtualTerminalProcessing)
	}
	restore()
	if c.mode != orig {
		t.Fatalf("mode after restore = %#x, want original %#x", c.mode, orig)
	}
}

func TestEnableVTLeavesAlreadyEnabledAndNonConsoles(t *testing.T) {
	on := &fakeConsole{mode: 0x0007}
	restore, err := enableVT(on)
	restore()
	if err != nil || len(on.sets) != 0 {
		t.Errorf("already-VT console: err %v, mode writes %v; want none", err, on.sets)
	}
	pipe := &fakeConsole{getErr: errors.New("The handle is invalid.")}
	restore, err = enableVT(pipe)
	restore()
	if err != nil || len(pipe.sets) != 0 {
		t.Errorf("redirected output: err %v, mode writes %v; want no error and no writes", err, pipe.sets)
	}
}

func TestEnableVTExplainsLegacyConsole(t *testing.T) {
	c := &fakeConsole{mode: 0x0003, setErr: errors.New("The parameter is incorrect.")}
	_, err := enableVT(c)
	if !errors.Is(err, errLegacyConsole) {
		t.Fatalf("want errLegacyConsole, got %v", err)
	}
	for _, want := range []string{"parameter is incorrect", "Windows Terminal", "ucpilot search"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q (cause and next step)", err, want)
		}
	}
}

func TestPrepareConsoleRestoreIsCallable(t *testing.T) {
	// Under `go test` stdout is a pipe or file on every OS, so this must
	// succeed without touching anything.
	restore, err := prepareConsole()
	if err != nil || restore == nil {
		t.Fatalf("prepareConsole(): restore is nil: %t, err %v", restore == nil, err)
	}
	restore()
}
