package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runInterrupted runs the command line as if Ctrl+C had already been
// pressed (the signal ends the context) while a prompt waits for a line
// that never comes.
func runInterrupted(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, args, pr, &out, &errb)
	return code, out.String(), errb.String()
}

// Ctrl+C in the accessible profile form leaves it: exit 130, nothing
// saved, no error text (it used to ignore Ctrl+C and ask again).
func TestProfileEditAccessibleCtrlCLeaves(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("UCPILOT_PROFILE", "")
	path := filepath.Join(cfg, "ucpilot", "profile.yaml")
	code, out, errOut := runInterrupted(t, "--accessible", "profile", "edit")
	if code != 130 || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 130 and no error\n%s", code, errOut, out)
	}
	if !strings.Contains(out, "topology: Where each side runs.") {
		t.Errorf("the first prompt does not describe its key:\n%s", out)
	}
	if _, err := os.Stat(path); err == nil || strings.Contains(out, "Saved") {
		t.Errorf("an interrupted form saved:\n%s", out)
	}
}

// Piped answers that end early save nothing and say so: exit 1.
func TestProfileEditAccessibleInputEnds(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("UCPILOT_PROFILE", "")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--accessible", "profile", "edit"},
		strings.NewReader("onprem\ncontoso.com\n"), &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "not saved") {
		t.Fatalf("exit %d, stderr %q; want 1 saying nothing was saved", code, errb.String())
	}
}

// Ctrl+C in the accessible guide leaves quietly: 130, no "context
// canceled".
func TestAccessibleGuideCtrlCLeavesQuietly(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p := writeFile(t, "p.yaml", "topology: onprem\ndomain: contoso.com\nexchange:\n  fqdn: exch01.contoso.com\nsfb:\n  pool: pool01.contoso.com\n")
	code, out, errOut := runInterrupted(t, "--accessible", "--profile", p)
	if code != 130 || strings.Contains(errOut+out, "context canceled") {
		t.Fatalf("exit %d, stderr %q; want 130 without \"context canceled\"\n%s", code, errOut, out)
	}
}
