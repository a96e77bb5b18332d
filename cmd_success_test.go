package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/transcript"
)

// isolate points every per-user location at a temp dir, so no profile or
// transcript of the machine running the tests is read.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "HOME"} {
		t.Setenv(v, filepath.Join(dir, strings.ToLower(v)))
	}
	t.Setenv(profile.EnvVar, "")
	t.Setenv(transcript.EnvPath, filepath.Join(dir, "transcript.jsonl"))
	return dir
}

// cliCase is one command line, the exit status it must end with and what
// its output must hold.
type cliCase struct {
	args     []string
	code     int
	contains []string
	isJSON   bool // stdout must be one JSON document (or JSON lines)
}

func (c cliCase) run(t *testing.T) string {
	t.Helper()
	code, out, errOut := runCLI(t, c.args...)
	if code != c.code {
		t.Fatalf("ucpilot %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), code, c.code, out, errOut)
	}
	for _, want := range c.contains {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("ucpilot %s: output lacks %q\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), want, out, errOut)
		}
	}
	if c.isJSON {
		dec := json.NewDecoder(strings.NewReader(out))
		n := 0
		for dec.More() {
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("ucpilot %s: stdout is not JSON: %v\n%s", strings.Join(c.args, " "), err, out)
			}
			n++
		}
		if n == 0 {
			t.Errorf("ucpilot %s: no JSON on stdout", strings.Join(c.args, " "))
		}
	}
	return out
}

// The read-only commands: their output shape on success, exit 1 for "no
// answer", 2 for a usage error.
func TestCommandsSucceed(t *testing.T) {
	isolate(t)
	cases := map[string][]cliCase{
		"search": {
			{args: []string{"search", "jason"}, code: 0, contains: []string{"metadata"}},
			{args: []string{"search", "--json", "jason"}, code: 0, isJSON: true, contains: []string{`"results"`}},
			{args: []string{"search", "qqzxv"}, code: 1},
			{args: []string{"search", "--limit", "0", "jason"}, code: 2},
		},
		"id": {
			{args: []string{"id", "00000004-0000-0ff1-ce00-000000000000"}, code: 0, contains: []string{"OK: 00000004-0000-0ff1-ce00-000000000000 is "}},
			{args: []string{"id", "--json", "00000002-0000-0ff1-ce00-000000000000"}, code: 0, isJSON: true, contains: []string{`"status": "known"`}},
			{args: []string{"id", "00000004-0000-0ff1-ce00-00000000000"}, code: 1},
			{args: []string{"id"}, code: 2},
		},
		"kb export": {
			{args: []string{"kb", "export", "--format", "json"}, code: 0, isJSON: true, contains: []string{`"pitfalls"`, `"topologies"`}},
			{args: []string{"kb", "export", "--format", "markdown"}, code: 0, contains: []string{"# "}},
			{args: []string{"kb", "export", "--format", "yaml"}, code: 2},
		},
		"guide": {
			{args: []string{"guide", "--topology", "onprem", "--format", "markdown"}, code: 0, contains: []string{"# ", "```powershell"}},
			{args: []string{"guide", "--topology", "cloud"}, code: 2},
			{args: []string{"guide"}, code: 2},
		},
		"lab --list": {
			{args: []string{"lab", "--list"}, code: 0, contains: []string{"NAME", "TOPOLOGY", "healthy"}},
			{args: []string{"lab", "--list", "--json"}, code: 0, isJSON: true, contains: []string{`"scenarios"`, `"healthy"`}},
			{args: []string{"lab", "--json"}, code: 2},
		},
	}
	for name, cs := range cases {
		t.Run(name, func(t *testing.T) {
			for _, c := range cs {
				c.run(t)
			}
		})
	}
}

// transcript export: an empty transcript says so; a recorded command comes
// back in both formats; a bad format is a usage error.
func TestTranscriptExportSucceeds(t *testing.T) {
	dir := isolate(t)
	cliCase{args: []string{"transcript", "export"}, code: 0, contains: []string{"# ucpilot transcript", "No commands were run."}}.run(t)
	log := transcript.Open(filepath.Join(dir, "transcript.jsonl"), transcript.NewRedactor())
	if err := log.Append(transcript.Entry{Kind: transcript.KindCommand, Target: "exch01 via ssh", Command: "Get-AuthConfig", ExitCode: 0, Output: "ok"}); err != nil {
		t.Fatal(err)
	}
	cliCase{args: []string{"transcript", "export", "--format", "markdown"}, code: 0, contains: []string{"exch01 via ssh", "Get-AuthConfig", "exit code 0"}}.run(t)
	cliCase{args: []string{"transcript", "export", "--format", "json"}, code: 0, isJSON: true, contains: []string{`"command":"Get-AuthConfig"`}}.run(t)
	cliCase{args: []string{"transcript", "export", "--format", "pdf"}, code: 2}.run(t)
}

// Exit 3 means the command could not run at all: a profile that does not
// load is one such case.
func TestCommandCouldNotRun(t *testing.T) {
	dir := isolate(t)
	cliCase{args: []string{"check", "--profile", filepath.Join(dir, "missing.yaml")}, code: 3}.run(t)
}
