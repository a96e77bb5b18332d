package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The goreleaser binary cannot be built with the local toolchain, so these
// tests stand in for `goreleaser check`: they decode .goreleaser.yaml
// strictly and assert the release promises of issue 7.

const goreleaserFile = ".goreleaser.yaml"

// wantTargets are the platforms admins run ucpilot on.
var wantTargets = []string{
	"darwin_amd64", "darwin_arm64",
	"linux_amd64", "linux_arm64",
	"windows_amd64", "windows_arm64",
}

// stringList accepts both forms goreleaser accepts: `x` and `[x, y]`.
type stringList []string

func (s *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = stringList{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*s = l
	return nil
}

// grFile is an archive entry: a bare glob or {src, dst, strip_parent}.
type grFile struct {
	Src         string `yaml:"src"`
	Dst         string `yaml:"dst"`
	StripParent bool   `yaml:"strip_parent"`
}

func (f *grFile) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		f.Src = n.Value
		return nil
	}
	// Node.Decode forgets the outer decoder's KnownFields, so re-decode
	// strictly: a misspelt "strip_parnet" must not pass silently.
	type plain grFile // no UnmarshalYAML: avoids recursion
	b, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	var p plain
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*f = grFile(p)
	return nil
}

type grBuild struct {
	ID           string     `yaml:"id"`
	Main         string     `yaml:"main"`
	Binary       string     `yaml:"binary"`
	Env          []string   `yaml:"env"`
	Goos         []string   `yaml:"goos"`
	Goarch       []string   `yaml:"goarch"`
	Targets      []string   `yaml:"targets"`
	Ignore       []grTarget `yaml:"ignore"`
	Flags        stringList `yaml:"flags"`
	Ldflags      stringList `yaml:"ldflags"`
	ModTimestamp string     `yaml:"mod_timestamp"`
}

type grTarget struct {
	Goos   string `yaml:"goos"`
	Goarch string `yaml:"goarch"`
}

type grArchive struct {
	ID              string     `yaml:"id"`
	Formats         stringList `yaml:"formats"`
	FormatOverrides []struct {
		Goos    string     `yaml:"goos"`
		Formats stringList `yaml:"formats"`
	} `yaml:"format_overrides"`
	NameTemplate string   `yaml:"name_template"`
	Files        []grFile `yaml:"files"`
}

// grConfig lists every key .goreleaser.yaml uses. Decoding is strict, so
// a misspelt key fails here instead of being ignored at release time;
// when you add a valid key to the file, add it here too.
type grConfig struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Before      struct {
		Hooks []string `yaml:"hooks"`
	} `yaml:"before"`
	Builds   []grBuild   `yaml:"builds"`
	Archives []grArchive `yaml:"archives"`
	Checksum *struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
	Snapshot *struct {
		VersionTemplate string `yaml:"version_template"`
	} `yaml:"snapshot"`
	Changelog *struct {
		Sort    string `yaml:"sort"`
		Filters struct {
			Exclude []string `yaml:"exclude"`
		} `yaml:"filters"`
	} `yaml:"changelog"`
}

func readGoreleaser(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(goreleaserFile)
	if err != nil {
		t.Fatalf("reading %s: %v", goreleaserFile, err)
	}
	return data
}

func TestGoreleaserConfig(t *testing.T) {
	for _, p := range validateGoreleaser(readGoreleaser(t)) {
		t.Error(p)
	}
}

// validateGoreleaser returns every broken release promise in data.
func validateGoreleaser(data []byte) []string {
	probs := deprecatedKeys(data)
	var c grConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return append(probs, fmt.Sprintf("decoding %s strictly: %v (misspelt or unsupported key?)", goreleaserFile, err))
	}
	if c.Version != 2 {
		probs = append(probs, fmt.Sprintf("version is %d, want 2 (goreleaser v2 refuses other schemas)", c.Version))
	}
	if c.ProjectName != "ucpilot" {
		probs = append(probs, fmt.Sprintf("project_name is %q, want ucpilot", c.ProjectName))
	}
	if len(c.Builds) == 0 {
		probs = append(probs, "no builds")
	}
	for i, b := range c.Builds {
		probs = append(probs, checkBuild(i, b)...)
	}
	if len(c.Archives) == 0 {
		probs = append(probs, "no archives")
	}
	for i, a := range c.Archives {
		probs = append(probs, checkArchive(i, a)...)
	}
	if c.Checksum == nil || c.Checksum.Algorithm != "sha256" || c.Checksum.NameTemplate == "" {
		probs = append(probs, "checksum: want a name_template and algorithm sha256")
	}
	if c.Snapshot == nil || c.Snapshot.VersionTemplate == "" {
		probs = append(probs, "snapshot.version_template missing: snapshot builds would get no usable version")
	}
	if c.Changelog == nil {
		probs = append(probs, "changelog section missing")
	}
	return probs
}

func checkBuild(i int, b grBuild) []string {
	var probs []string
	at := fmt.Sprintf("builds[%d]", i)
	if b.Main != "." {
		probs = append(probs, fmt.Sprintf("%s.main is %q, want . (package main is the module root)", at, b.Main))
	}
	var cgo []string
	for _, e := range b.Env {
		if strings.HasPrefix(e, "CGO_ENABLED=") {
			cgo = append(cgo, e)
		}
	}
	if !slices.Equal(cgo, []string{"CGO_ENABLED=0"}) {
		probs = append(probs, fmt.Sprintf("%s.env sets %v, want exactly CGO_ENABLED=0 (cross-compiling needs pure Go)", at, cgo))
	}
	if got := buildTargets(b); !slices.Equal(got, wantTargets) {
		probs = append(probs, fmt.Sprintf("%s targets are %v, want %v", at, got, wantTargets))
	}
	if !slices.Contains(b.Flags, "-trimpath") {
		probs = append(probs, at+".flags lacks -trimpath (builds would embed local paths)")
	}
	if !strings.Contains(b.ModTimestamp, ".CommitTimestamp") {
		probs = append(probs, at+".mod_timestamp should be {{ .CommitTimestamp }} for reproducible archives")
	}
	ld := strings.Join(b.Ldflags, " ")
	stamps := ldflagStamps(ld)
	for v, tmpl := range map[string]string{"main.version": ".Version", "main.commit": ".Commit", "main.date": ".CommitDate"} {
		if got := stamps[v]; !regexp.MustCompile(`^\{\{\s*` + regexp.QuoteMeta(tmpl) + `\s*\}\}$`).MatchString(got) {
			probs = append(probs, fmt.Sprintf("%s.ldflags: -X %s=%q, want {{%s}}", at, v, got, tmpl))
		}
	}
	for _, f := range []string{"-s", "-w"} {
		if !slices.Contains(strings.Fields(ld), f) {
			probs = append(probs, fmt.Sprintf("%s.ldflags lacks %s (binary size budget)", at, f))
		}
	}
	return probs
}

// buildTargets expands a build's platform matrix the way goreleaser does:
// an explicit targets list wins, otherwise goos x goarch minus ignore.
func buildTargets(b grBuild) []string {
	var out []string
	if len(b.Targets) > 0 {
		for _, t := range b.Targets {
			parts := strings.SplitN(t, "_", 3) // drop goamd64/goarm suffixes
			if len(parts) >= 2 {
				out = append(out, parts[0]+"_"+parts[1])
			}
		}
	} else {
		for _, goos := range b.Goos {
			for _, arch := range b.Goarch {
				if !ignored(b.Ignore, goos, arch) {
					out = append(out, goos+"_"+arch)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func ignored(ign []grTarget, goos, goarch string) bool {
	for _, i := range ign {
		if (i.Goos == "" || i.Goos == goos) && (i.Goarch == "" || i.Goarch == goarch) {
			return true
		}
	}
	return false
}

// ldflagStamps maps each -X variable to its value template.
func ldflagStamps(ld string) map[string]string {
	out := map[string]string{}
	f := strings.Fields(ld)
	for i := 0; i+1 < len(f); i++ {
		if f[i] != "-X" {
			continue
		}
		if k, v, ok := strings.Cut(f[i+1], "="); ok {
			out[k] = v
		}
	}
	return out
}

func checkArchive(i int, a grArchive) []string {
	var probs []string
	at := fmt.Sprintf("archives[%d]", i)
	if !slices.Equal(a.Formats, stringList{"tar.gz"}) {
		probs = append(probs, fmt.Sprintf("%s.formats is %v, want [tar.gz] for linux and darwin", at, a.Formats))
	}
	var win stringList
	for _, o := range a.FormatOverrides {
		if o.Goos == "windows" {
			win = o.Formats
		}
	}
	if !slices.Equal(win, stringList{"zip"}) {
		probs = append(probs, fmt.Sprintf("%s: windows archives are %v, want [zip] via format_overrides", at, win))
	}
	for _, part := range []string{".ProjectName", ".Version", ".Os", ".Arch"} {
		if !strings.Contains(a.NameTemplate, part) {
			probs = append(probs, fmt.Sprintf("%s.name_template %q lacks %s (archive names would collide or mislead)", at, a.NameTemplate, part))
		}
	}
	var srcs []string
	for _, f := range a.Files {
		srcs = append(srcs, f.Src)
	}
	for _, want := range []string{"README", "LICENSE", "docs/man/", "docs/completions/"} {
		if !slices.ContainsFunc(srcs, func(s string) bool { return strings.HasPrefix(s, want) }) {
			probs = append(probs, fmt.Sprintf("%s.files %v ship nothing matching %s", at, srcs, want))
		}
	}
	return probs
}

// deprecatedKeys names v1-era and since-deprecated keys by path, with the
// replacement, because `goreleaser check` is not available to say so.
func deprecatedKeys(data []byte) []string {
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return []string{fmt.Sprintf("parsing %s: %v", goreleaserFile, err)}
	}
	type rule struct{ path, instead string }
	rules := []rule{
		{"build", "builds"}, {"archive", "archives"}, {"nfpm", "nfpms"}, {"scoop", "scoops"},
		{"brews", "homebrew_casks"}, {"furies", "gemfury"},
		{"builds[].gobinary", "builds[].tool"},
		{"archives[].format", "archives[].formats"},
		{"archives[].format_overrides[].format", "format_overrides[].formats"},
		{"archives[].replacements", "name_template logic"},
		{"archives[].builds", "archives[].ids"},
		{"archives[].rlcp", "nothing (now default)"},
		{"archives[].strip_parent_binary_folder", "strip_binary_directory"},
		{"snapshot.name_template", "snapshot.version_template"},
		{"nightly.name_template", "nightly.version_template"},
		{"changelog.skip", "changelog.disable"},
		{"nfpms[].builds", "nfpms[].ids"}, {"nfpms[].replacements", "file_name_template logic"},
		{"source.rlcp", "nothing (now default)"},
	}
	var probs []string
	for _, r := range rules {
		if hasPath(doc, strings.Split(r.path, ".")) {
			probs = append(probs, fmt.Sprintf("deprecated key %s: use %s", r.path, r.instead))
		}
	}
	return probs
}

// hasPath reports whether the key path exists; a "[]" suffix on a step
// means "in any element of this list".
func hasPath(node any, path []string) bool {
	if len(path) == 0 {
		return true
	}
	m, ok := node.(map[string]any)
	if !ok {
		return false
	}
	key, isList := strings.CutSuffix(path[0], "[]")
	child, ok := m[key]
	if !ok {
		return false
	}
	if !isList {
		return hasPath(child, path[1:])
	}
	items, _ := child.([]any)
	for _, it := range items {
		if hasPath(it, path[1:]) {
			return true
		}
	}
	return false
}

func yamlUnmarshalStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(v)
}
