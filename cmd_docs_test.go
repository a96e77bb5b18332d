package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// rootWithMan is the real command tree plus `man`, added here when main.go
// does not register it yet, so these tests do not wait on that edit.
func rootWithMan(stdout *bytes.Buffer) *cobra.Command {
	root := newRootCmd(strings.NewReader(""), stdout, &bytes.Buffer{})
	if sub, _, err := root.Find([]string{"man"}); err != nil || sub == root {
		root.AddCommand(newManCmd(stdout))
	}
	return root
}

func generateMan(t *testing.T, dir string) *cobra.Command {
	t.Helper()
	var out bytes.Buffer
	root := rootWithMan(&out)
	root.SetArgs([]string{"man", "--dir", dir})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("ucpilot man --dir %s: %v", dir, err)
	}
	if !strings.Contains(out.String(), dir) {
		t.Errorf("man did not say where it wrote: %q", out.String())
	}
	return root
}

// roffFlag is how go-md2man (v2.0.6) writes a flag: bold, dashes as-is.
func roffFlag(name string) string { return `\fB--` + name + `\fP` }

func TestManPagesCoverEveryCommandAndFlag(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man1") // also proves --dir is created
	root := generateMan(t, dir)

	want := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c != root && (!c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand()) {
			return
		}
		page := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		want[page] = true
		body, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Errorf("no man page for %q: %v", c.CommandPath(), err)
			return
		}
		if !bytes.Contains(body, []byte(".SH NAME")) || !bytes.Contains(body, []byte(c.Short)) {
			t.Errorf("%s lacks a NAME section with %q", page, c.Short)
		}
		c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && !bytes.Contains(body, []byte(roffFlag(f.Name))) {
				t.Errorf("%s does not document --%s", page, f.Name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)

	for _, must := range []string{"ucpilot.1", "ucpilot-version.1", "ucpilot-completion-bash.1"} {
		if !want[must] {
			t.Errorf("expected a page %s; the command tree changed or completion is disabled", must)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("unexpected page %s (a hidden command such as man must not get one)", e.Name())
		}
	}
	if len(entries) != len(want) {
		t.Errorf("%d pages written, %d commands visible", len(entries), len(want))
	}
}

// TestManPagesAreReproducible: with the stamped commit date, two runs give
// identical bytes, so release archives of one commit do not differ.
func TestManPagesAreReproducible(t *testing.T) {
	old := date
	t.Cleanup(func() { date = old })
	date = "2026-02-03T04:05:06Z"
	a, b := t.TempDir(), t.TempDir()
	generateMan(t, a)
	generateMan(t, b)
	pages, _ := filepath.Glob(filepath.Join(a, "*.1"))
	if len(pages) == 0 {
		t.Fatal("no pages generated")
	}
	for _, p := range pages {
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, filepath.Base(p)))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs (err %v)", filepath.Base(p), err)
		}
		if !bytes.Contains(x, []byte("Feb 2026")) {
			t.Errorf("%s does not carry the build date", filepath.Base(p))
		}
	}
}

func TestManRejectsUnwritableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "plainfile")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	root := rootWithMan(&out)
	root.SetArgs([]string{"man", "--dir", filepath.Join(file, "man")})
	err := root.ExecuteContext(context.Background())
	if err == nil || !strings.Contains(err.Error(), "plainfile") {
		t.Fatalf("want an error naming the bad path, got %v", err)
	}
}

// TestCompletionScripts: cobra's default completion command must stay
// enabled, produce each shell's script, and complete our real commands.
func TestCompletionScripts(t *testing.T) {
	markers := map[string]string{
		"bash":       "# bash completion V2 for ucpilot",
		"zsh":        "#compdef ucpilot",
		"fish":       "complete -c ucpilot",
		"powershell": "Register-ArgumentCompleter -CommandName 'ucpilot'",
	}
	for sh, marker := range markers {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"completion", sh}, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Errorf("completion %s exited %d: %s", sh, code, errOut.String())
			continue
		}
		if !strings.Contains(out.String(), marker) {
			t.Errorf("completion %s output lacks %q", sh, marker)
		}
	}

	// What the shell asks for when the user types `ucpilot <TAB>`.
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{cobra.ShellCompRequestCmd, ""}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("__complete exited %d: %s", code, errOut.String())
	}
	root := newRootCmd(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() && !strings.Contains(out.String(), c.Name()) {
			t.Errorf("completing `ucpilot <TAB>` does not offer %s; got:\n%s", c.Name(), out.String())
		}
	}
	if strings.Contains(out.String(), "\nman") {
		t.Error("the hidden man command is offered as a completion")
	}
}
