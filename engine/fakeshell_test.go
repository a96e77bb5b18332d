package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ucpilot/ucpilot/remote/shell"
)

// fakeShell answers scripts by the first rule whose substring the script
// contains, shaped like Windows PowerShell 5.1 through the envelope.
type fakeShell struct {
	target string
	rules  []rule
	mu     sync.Mutex
	ran    []string
}

type rule struct {
	contains string
	res      shell.Result
	err      error
}

func newFake(target string, rules ...rule) *fakeShell {
	return &fakeShell{target: target, rules: rules}
}

func (f *fakeShell) Run(_ context.Context, script string) (shell.Result, error) {
	f.mu.Lock()
	f.ran = append(f.ran, script)
	f.mu.Unlock()
	for _, r := range f.rules {
		if strings.Contains(script, r.contains) {
			return r.res, r.err
		}
	}
	return psErr("The term is not recognized as the name of a cmdlet", "CommandNotFoundException"), nil
}

func (f *fakeShell) Target() string { return f.target }
func (f *fakeShell) Close() error   { return nil }

func (f *fakeShell) scripts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.ran...)
}

// jsonOut is an enveloped success: a banner, the marker, the payload.
func jsonOut(payload string) shell.Result {
	return shell.Result{Stdout: "Welcome to the Exchange Management Shell!\r\n\n" + shell.JSONMarker + "\n" + payload}
}

// psErr is an enveloped failure: the error object on stderr, exit code 1.
func psErr(msg, id string) shell.Result {
	return shell.Result{ExitCode: 1, Stderr: fmt.Sprintf(`{"error":{"message":%q,"type":"System.Exception","category":"NotSpecified","errorId":%q,"target":"","position":""}}`, msg, id)}
}

// msDate writes t the way Windows PowerShell 5.1's ConvertTo-Json does.
func msDate(t time.Time) string { return fmt.Sprintf(`"\/Date(%d)\/"`, t.UnixMilli()) }
