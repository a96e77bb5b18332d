package shell

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrNoPayload means stdout has no JSON envelope: the script was not rendered with
// JSON: true, or it died before writing (look at stderr and the exit code).
var ErrNoPayload = errors.New("the script output has no ucpilot JSON payload")

// JSONPayload returns the JSON that an enveloped script (Script.JSON) wrote after
// JSONMarker, skipping banners printed before it.
func JSONPayload(stdout string) (string, error) {
	i := strings.LastIndex(stdout, JSONMarker)
	if i < 0 {
		return "", ErrNoPayload
	}
	return strings.TrimSpace(stdout[i+len(JSONMarker):]), nil
}

// RemoteError is the error object an enveloped script writes to stderr when a command
// throws. Fields are PowerShell's ErrorRecord parts.
type RemoteError struct {
	Message  string `json:"message"`
	Type     string `json:"type"`
	Category string `json:"category"`
	ErrorID  string `json:"errorId"`
	Target   string `json:"target"`
	Position string `json:"position"`
}

func (e *RemoteError) Error() string {
	msg := strings.TrimSpace(e.Message)
	if e.ErrorID != "" {
		return fmt.Sprintf("PowerShell error: %s [%s]", msg, e.ErrorID)
	}
	return "PowerShell error: " + msg
}

// ParseRemoteError finds the envelope's error object in stderr. It returns false when
// stderr holds no such object (for example only CLIXML progress records).
func ParseRemoteError(stderr string) (*RemoteError, bool) {
	const start = `{"error":`
	i := strings.LastIndex(stderr, start)
	if i < 0 {
		return nil, false
	}
	var env struct {
		Error *RemoteError `json:"error"`
	}
	dec := json.NewDecoder(strings.NewReader(stderr[i:]))
	if err := dec.Decode(&env); err != nil || env.Error == nil {
		return nil, false
	}
	return env.Error, true
}

// Outcome interprets a Result produced by an enveloped script: the JSON payload on
// success, or the most specific error available (the remote error object, else the exit
// code with the end of stderr).
func Outcome(r Result) (string, error) {
	if r.ExitCode != 0 {
		if re, ok := ParseRemoteError(r.Stderr); ok {
			return "", re
		}
		return "", fmt.Errorf("the script exited with code %d: %s", r.ExitCode, tail(r.Stderr, 400))
	}
	return JSONPayload(r.Stdout)
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "(no error output)"
	}
	if r := []rune(s); len(r) > n {
		return "…" + string(r[len(r)-n:])
	}
	return s
}
