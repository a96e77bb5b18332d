package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestGoreleaserValidatorCatchesBreakage proves the validator is not a
// rubber stamp: each edit breaks one release promise in the real file and
// must be reported.
func TestGoreleaserValidatorCatchesBreakage(t *testing.T) {
	good := string(readGoreleaser(t))
	cases := []struct {
		name, old, new, wantProblem string
	}{
		{"schema v1", "version: 2\n", "version: 1\n", "version is 1"},
		{"cgo on", "CGO_ENABLED=0", "CGO_ENABLED=1", "CGO_ENABLED"},
		{"cgo twice", "- CGO_ENABLED=0", "- CGO_ENABLED=0\n      - CGO_ENABLED=1", "CGO_ENABLED"},
		{"arm64 dropped", "goarch: [amd64, arm64]", "goarch: [amd64]", "targets"},
		{"ignore drops one", "goarch: [amd64, arm64]", "goarch: [amd64, arm64]\n    ignore:\n      - goos: windows\n        goarch: arm64", "targets"},
		{"extra 386", "goarch: [amd64, arm64]", "goarch: [amd64, arm64, 386]", "targets"},
		{"no trimpath", "- -trimpath", "- -v", "-trimpath"},
		{"commit not stamped", "-X main.commit={{.Commit}} ", "", "main.commit"},
		{"wrong variable", "-X main.date=", "-X main.buildDate=", "main.date"},
		{"windows tar", "formats: [zip]", "formats: [tar.gz]", "windows archives"},
		{"v1 format key", "formats: [tar.gz]", "format: tar.gz", "deprecated key archives[].format"},
		{"v1 override key", "formats: [zip]", "format: zip", "format_overrides[].format"},
		{"v1 snapshot key", "version_template:", "name_template:", "snapshot.name_template"},
		{"gobinary", "    main: .\n", "    main: .\n    gobinary: go1.26\n", "builds[].gobinary"},
		{"replacements", "    files:\n", "    replacements:\n      darwin: Darwin\n    files:\n", "archives[].replacements"},
		{"no checksum", "  algorithm: sha256\n", "  algorithm: md5\n", "checksum"},
		{"misspelt key", "mod_timestamp:", "mod_timestmap:", "decoding"},
		{"no man pages", "src: docs/man/*.1", "src: docs/other/*.1", "docs/man/"},
		{"name collides", "_{{ .Arch }}\"", "\"", ".Arch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(good, c.old) {
				t.Fatalf("mutation %q not applicable: %q not in %s", c.name, c.old, goreleaserFile)
			}
			bad := strings.Replace(good, c.old, c.new, 1)
			probs := validateGoreleaser([]byte(bad))
			if !strings.Contains(strings.Join(probs, "\n"), c.wantProblem) {
				t.Errorf("broken file passed or gave the wrong reason; want a problem mentioning %q, got %q", c.wantProblem, probs)
			}
		})
	}
}

// TestVersionCommandShowsStampedVars sets the three variables the ldflags
// stamp and checks `ucpilot version` prints each of them.
func TestVersionCommandShowsStampedVars(t *testing.T) {
	oldV, oldC, oldD := version, commit, date
	t.Cleanup(func() { version, commit, date = oldV, oldC, oldD })
	version, commit, date = "7.7.7-test", "c0ffee1", "2026-03-04T05:06:07Z"

	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"version"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("version exited %d: %s", code, errOut.String())
	}
	for _, want := range []string{version, commit, date} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("version output %q lacks %q", out.String(), want)
		}
	}
}

// TestLdflagsStampTheBinary builds the binary with the exact ldflags from
// .goreleaser.yaml (templates filled in) and runs `version`. The linker
// silently ignores -X for a variable that does not exist, so only a real
// build proves the names in the file match package main.
func TestLdflagsStampTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	var ld string
	for _, b := range parseBuilds(t) {
		ld = strings.Join(b.Ldflags, " ")
	}
	fill := map[string]string{"Version": "9.9.9-ldflags", "Commit": "feedbee", "CommitDate": "2026-01-02T03:04:05Z"}
	ld = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`).ReplaceAllStringFunc(ld, func(m string) string {
		name := strings.Trim(m, "{}. \t")
		if v, ok := fill[name]; ok {
			return v
		}
		t.Fatalf("ldflags use template %s that this test does not fill", m)
		return ""
	})
	bin := filepath.Join(t.TempDir(), "ucpilot")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	// No -trimpath here: it changes every package's cache key and forces a
	// full rebuild; the point is the -X names, which trimpath does not touch.
	build := exec.Command(goBin, "build", "-ldflags", ld, "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build with the release ldflags failed: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s version: %v\n%s", bin, err, out)
	}
	for _, want := range fill {
		if !strings.Contains(string(out), want) {
			t.Errorf("stamped binary says %q; want it to contain %q (is the -X variable name right?)", out, want)
		}
	}
}

func parseBuilds(t *testing.T) []grBuild {
	t.Helper()
	var c grConfig
	if err := yamlUnmarshalStrict(readGoreleaser(t), &c); err != nil {
		t.Fatalf("decoding %s: %v", goreleaserFile, err)
	}
	if len(c.Builds) == 0 {
		t.Fatalf("%s has no builds", goreleaserFile)
	}
	return c.Builds
}

// TestReleaseHooksNameRealCommands runs what the before-hooks run: each
// `go run . X` must name a command of the real CLI (so `man` must be
// registered in main.go), and the completion hook must cover all shells.
func TestReleaseHooksNameRealCommands(t *testing.T) {
	var c grConfig
	if err := yamlUnmarshalStrict(readGoreleaser(t), &c); err != nil {
		t.Fatalf("decoding %s: %v", goreleaserFile, err)
	}
	root := newRootCmd(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	root.InitDefaultCompletionCmd() // cobra adds it lazily at Execute
	sawCompletion := false
	for _, h := range c.Before.Hooks {
		for _, run := range regexp.MustCompile(`go run \. ([a-z-]+)`).FindAllStringSubmatch(h, -1) {
			sub, _, err := root.Find([]string{run[1]})
			if err != nil || sub == root {
				t.Errorf("hook %q runs `ucpilot %s`, which is not a command (register it in main.go's AddCommand list)", h, run[1])
			}
			sawCompletion = sawCompletion || run[1] == "completion"
		}
		if strings.Contains(h, "completion") {
			for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
				if !strings.Contains(h, sh) {
					t.Errorf("completion hook %q skips %s", h, sh)
				}
			}
		}
	}
	if !sawCompletion {
		t.Error("no before-hook generates shell completions")
	}
}
