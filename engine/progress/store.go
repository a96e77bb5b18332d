package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Store reads and writes progress files in one directory.
type Store struct {
	dir string
	now func() time.Time
	mu  sync.Mutex // orders this process's saves; other processes rely on rename
}

// NewStore returns a store in dir; "" means DefaultDir.
func NewStore(dir string) (*Store, error) {
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	return &Store{dir: dir, now: time.Now}, nil
}

// Dir is the directory the store uses.
func (s *Store) Dir() string { return s.dir }

// Path is the file that holds key's progress.
func (s *Store) Path(key string) string { return filepath.Join(s.dir, FileName(key)) }

// Load reads key's progress. A missing file is empty progress. A corrupt
// file, or one a newer version wrote, is renamed aside (*.corrupt-<time>,
// *.newer-<time>) and reported as a *SetAsideError alongside empty
// progress, which is always usable. Any other read error is returned with
// empty progress too.
func (s *Store) Load(key string) (*Progress, error) {
	path := s.Path(key)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(key), nil
	}
	if err != nil {
		return New(key), fmt.Errorf("reading progress %s: %w", path, err)
	}
	p, reason := decode(data)
	if reason != nil {
		return New(key), s.setAside(path, reason)
	}
	p.Key = key
	return p, nil
}

// decode parses a file; the error it returns wraps ErrCorrupt or ErrNewer.
func decode(data []byte) (*Progress, error) {
	var head struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrCorrupt, err)
	}
	switch {
	case head.Version == nil || *head.Version < 1:
		return nil, fmt.Errorf("%w (no format version in it)", ErrCorrupt)
	case *head.Version > Version:
		return nil, fmt.Errorf("%w (format %d; this ucpilot reads up to %d)", ErrNewer, *head.Version, Version)
	}
	p := New("")
	if err := json.Unmarshal(data, p); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrCorrupt, err)
	}
	for id, t := range p.Topologies {
		if t == nil {
			delete(p.Topologies, id)
		}
	}
	if p.Topologies == nil {
		p.Topologies = map[string]*Topology{}
	}
	p.Version = Version
	return p, nil
}

func (s *Store) setAside(path string, reason error) error {
	tag := "corrupt"
	if errors.Is(reason, ErrNewer) {
		tag = "newer"
	}
	to := fmt.Sprintf("%s.%s-%s", path, tag, s.now().UTC().Format("20060102T150405.000000000"))
	e := &SetAsideError{Path: path, Reason: reason}
	if err := os.Rename(path, to); err != nil {
		e.MoveErr = err
	} else {
		e.MovedTo = to
	}
	return e
}

// Save writes p atomically: a reader (or a process killed halfway) sees
// the old file or the new one, never a mix.
func (s *Store) Save(p *Progress) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.save(p)
}

func (s *Store) save(p *Progress) error {
	out := p.Clone()
	out.Version = Version
	out.Updated = s.now().UTC()
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding progress: %w", err)
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("creating the progress directory: %w", err)
	}
	path := s.Path(p.Key)
	if err := writeAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("saving progress to %s: %w", path, err)
	}
	s.removeStaleTemps(path)
	return nil
}

// writeAtomic writes data to a new temp file beside path, syncs it, renames
// it over path and syncs the directory so the rename itself survives a
// power cut.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // not supported everywhere (Windows); the rename stands anyway
		_ = d.Close()
	}
	return nil
}

// staleTemp is how old a leftover temp file must be before a save removes
// it: younger ones may belong to a save in another process right now.
const staleTemp = time.Hour

func (s *Store) removeStaleTemps(path string) {
	matches, _ := filepath.Glob(path + ".tmp-*")
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && s.now().Sub(fi.ModTime()) > staleTemp {
			_ = os.Remove(m)
		}
	}
}

// Reset forgets key's progress in one topology, keeping the others.
func (s *Store) Reset(key, topology string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.Load(key)
	var aside *SetAsideError
	if err != nil && !errors.As(err, &aside) {
		return err
	}
	delete(p.Topologies, topology)
	return s.save(p)
}
