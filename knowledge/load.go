package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ucpilot/ucpilot/assets"
)

// Load reads the embedded knowledge base and builds its search index. It
// does not lint: the lint test guards the shipped files, and Lint is there for
// callers that load other files.
func Load() (*Base, error) { return LoadFS(assets.FS) }

// LoadFS reads a knowledge base laid out like assets/ from fsys.
func LoadFS(fsys fs.FS) (*Base, error) {
	b := &Base{}
	var errs []error
	pitfallFiles, _ := fs.Glob(fsys, "pitfalls/*.yaml")
	sort.Strings(pitfallFiles)
	for _, f := range pitfallFiles {
		var p Pitfall
		if err := decodeFile(fsys, f, &p); err != nil {
			errs = append(errs, err)
			continue
		}
		if want := strings.TrimSuffix(path.Base(f), ".yaml"); p.ID != want {
			errs = append(errs, fmt.Errorf("%s: id %q does not match the file name %q", f, p.ID, want))
		}
		b.Pitfalls = append(b.Pitfalls, p)
	}
	topoFiles, _ := fs.Glob(fsys, "topologies/*.yaml")
	sort.Strings(topoFiles)
	for _, f := range topoFiles {
		var t Topology
		if err := decodeFile(fsys, f, &t); err != nil {
			errs = append(errs, err)
			continue
		}
		b.Topologies = append(b.Topologies, t)
	}
	sort.SliceStable(b.Topologies, func(i, j int) bool {
		return topologyOrder(b.Topologies[i].ID) < topologyOrder(b.Topologies[j].ID)
	})
	var ids struct {
		Identifiers []Identifier `yaml:"identifiers"`
	}
	if err := decodeFile(fsys, "identifiers.yaml", &ids); err != nil {
		errs = append(errs, err)
	}
	b.Identifiers = ids.Identifiers
	var cmdlets struct {
		Cmdlets []Cmdlet `yaml:"cmdlets"`
	}
	if err := decodeFile(fsys, "cmdlets.yaml", &cmdlets); err != nil {
		errs = append(errs, err)
	}
	b.Cmdlets = cmdlets.Cmdlets
	var checks struct {
		Checks []CheckSpec `yaml:"checks"`
	}
	if err := decodeFile(fsys, "checks.yaml", &checks); err != nil {
		errs = append(errs, err)
	}
	b.Checks = checks.Checks
	// The background table is optional too: without it every word weighs
	// by the base alone.
	if data, err := fs.ReadFile(fsys, "commonwords.txt"); err == nil {
		if b.common, err = parseCommonWords(data); err != nil {
			errs = append(errs, err)
		}
	}
	// The vocabulary is optional: a base without one searches its own words.
	if _, err := fs.Stat(fsys, "vocabulary.yaml"); err == nil {
		if err := decodeFile(fsys, "vocabulary.yaml", &b.Vocabulary); err != nil {
			errs = append(errs, err)
		}
	}
	srcs, err := loadSources(fsys)
	if err != nil {
		errs = append(errs, err)
	}
	b.Sources = srcs
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	b.pitfallByID = make(map[string]*Pitfall, len(b.Pitfalls))
	for i := range b.Pitfalls {
		b.pitfallByID[b.Pitfalls[i].ID] = &b.Pitfalls[i]
	}
	b.indexSources()
	b.index = buildIndex(b)
	return b, nil
}

// loadSources reads every sources table, assets/sources/*.yaml, in file-name
// order. Each file is a YAML list of {ref, title, url}; several helpers and
// authors keep their own file, and the lint requires every cited source to be
// in one of them.
func loadSources(fsys fs.FS) ([]Source, error) {
	files, _ := fs.Glob(fsys, "sources/*.yaml")
	sort.Strings(files)
	var all []Source
	var errs []error
	for _, f := range files {
		var rows []Source
		if err := decodeFile(fsys, f, &rows); err != nil {
			errs = append(errs, err)
			continue
		}
		for i := range rows {
			rows[i].file = path.Base(f)
		}
		all = append(all, rows...)
	}
	return all, errors.Join(errs...)
}

// indexSources builds the ref lookup; when two tables list the same ref the
// first (in file-name order) wins and the lint reports a conflict.
func (b *Base) indexSources() {
	b.sourceByRef = make(map[string]Source, len(b.Sources))
	for _, s := range b.Sources {
		if _, dup := b.sourceByRef[s.Ref]; !dup {
			b.sourceByRef[s.Ref] = s
		}
	}
}

// topologyOrder keeps the topologies in the order the product presents
// them (TopologyIDs); an unknown id sorts last.
func topologyOrder(id string) int {
	ids := TopologyIDs()
	if i := slices.Index(ids, id); i >= 0 {
		return i
	}
	return len(ids)
}

// decodeFile decodes one YAML file strictly: an unknown key is an error, so a
// misspelt field in a data file is caught instead of silently dropped.
func decodeFile(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("knowledge base: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("knowledge base file %s: %w", name, err)
	}
	return nil
}
