package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC) }
	return s
}

func sample(key string) *Progress {
	p := New(key)
	t := p.Topology("onprem")
	t.Current = "onprem-exchange-iisreset"
	t.MarkDone(StepDone{Step: "onprem-dns-names", When: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC),
		Checks: []CheckStatus{{"dns.autodiscover", "pass"}, {"dns.pool", "pass"}}})
	t.MarkDone(StepDone{Step: "onprem-optional-archiving", When: time.Date(2025, 3, 1, 9, 5, 0, 0, time.UTC),
		ConfirmedBy: "alice"})
	return p
}

func TestRoundTrip(t *testing.T) {
	s := newTestStore(t)
	want := sample("lab:no-iisreset")
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("lab:no-iisreset")
	if err != nil {
		t.Fatal(err)
	}
	if got.Updated.IsZero() {
		t.Error("Updated was not stamped on save")
	}
	got.Updated = want.Updated
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("loaded progress differs:\n got %+v\nwant %+v", got.Topologies["onprem"], want.Topologies["onprem"])
	}
	d, ok := got.Topologies["onprem"].IsDone("onprem-dns-names")
	if !ok || d.Verified() != "dns.autodiscover pass, dns.pool pass" {
		t.Errorf("dns step: done=%v verified %q", ok, d.Verified())
	}
	if d, _ := got.Topologies["onprem"].IsDone("onprem-optional-archiving"); d.Verified() != "confirmed by alice manually" {
		t.Errorf("manual step verified %q", d.Verified())
	}
	fi, err := os.Stat(s.Path("lab:no-iisreset"))
	if err != nil {
		t.Fatal(err)
	}
	if os.PathSeparator == '/' && fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("progress file mode %v: others can read it", fi.Mode())
	}
}

func TestLoadMissingIsEmpty(t *testing.T) {
	s := newTestStore(t)
	p, err := s.Load("/home/a/profile.yaml")
	if err != nil || p.Key != "/home/a/profile.yaml" || len(p.Topologies) != 0 || p.Version != Version {
		t.Fatalf("missing file: %+v, %v", p, err)
	}
}

func TestMarkDoneReplacesAndUndo(t *testing.T) {
	tp := &Topology{}
	tp.MarkDone(StepDone{Step: "a", ConfirmedBy: "x"})
	tp.MarkDone(StepDone{Step: "b", ConfirmedBy: "x"})
	tp.MarkDone(StepDone{Step: "a", Checks: []CheckStatus{{"c", "pass"}}})
	if len(tp.Done) != 2 || tp.Done[1].Step != "a" || tp.Done[1].ConfirmedBy != "" {
		t.Fatalf("MarkDone did not replace: %+v", tp.Done)
	}
	tp.Undo("a")
	if _, ok := tp.IsDone("a"); ok || len(tp.Done) != 1 {
		t.Fatalf("Undo left %+v", tp.Done)
	}
}

// A process killed while writing leaves at most a partial temp file; the
// real file must still load as it was.
func TestKillDuringWriteLeavesFileIntact(t *testing.T) {
	s := newTestStore(t)
	want := sample("k")
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	path := s.Path("k")
	partial := `{"version": 1, "key": "k", "topologies": {"onprem": {"curr`
	if err := os.WriteFile(path+".tmp-12345", []byte(partial), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("k")
	if err != nil {
		t.Fatalf("load with a partial temp file beside it: %v", err)
	}
	if got.Topologies["onprem"].Current != "onprem-exchange-iisreset" {
		t.Fatalf("the real file changed: %+v", got.Topologies["onprem"])
	}
	// A later save still works and leaves no temp file of its own.
	got.Topology("onprem").Current = "onprem-sfb-partnerapp"
	if err := s.Save(got); err != nil {
		t.Fatal(err)
	}
	temps, _ := filepath.Glob(path + ".tmp-*")
	if len(temps) != 1 || !strings.HasSuffix(temps[0], ".tmp-12345") {
		t.Errorf("temp files after save: %v (only the fresh partial one should remain)", temps)
	}
}

func TestStaleTempRemovedOnSave(t *testing.T) {
	s := newTestStore(t)
	path := s.Path("k")
	if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	old := path + ".tmp-999"
	if err := os.WriteFile(old, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	past := s.now().Add(-2 * staleTemp)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(New("k")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("a temp file older than %v survived a save: %v", staleTemp, err)
	}
}

func TestCorruptAndNewerSetAside(t *testing.T) {
	cases := []struct {
		name, data, tag string
		want            error
	}{
		{"garbage", "not json at all", "corrupt", ErrCorrupt},
		{"truncated", `{"version": 1, "topologies": {`, "corrupt", ErrCorrupt},
		{"no version", `{"topologies": {}}`, "corrupt", ErrCorrupt},
		{"wrong shape", `{"version": 1, "topologies": {"onprem": {"done": "yes"}}}`, "corrupt", ErrCorrupt},
		{"newer", `{"version": 7, "topologies": {"onprem": {"future": true}}}`, "newer", ErrNewer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestStore(t)
			path := s.Path("env")
			if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			p, err := s.Load("env")
			var aside *SetAsideError
			if !errors.As(err, &aside) || !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want a SetAsideError wrapping %v", err, tc.want)
			}
			if p == nil || len(p.Topologies) != 0 {
				t.Fatalf("progress with the error should be empty and usable, got %+v", p)
			}
			if !strings.Contains(aside.MovedTo, "."+tc.tag+"-") {
				t.Errorf("moved to %q, want a .%s-<time> name", aside.MovedTo, tc.tag)
			}
			kept, rerr := os.ReadFile(aside.MovedTo)
			if rerr != nil || string(kept) != tc.data {
				t.Errorf("the set-aside file does not hold the original bytes: %v", rerr)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("the bad file is still in place")
			}
			msg := err.Error()
			if !strings.Contains(msg, filepath.Base(aside.MovedTo)) || !strings.Contains(msg, "started afresh") {
				t.Errorf("message does not say where the file went: %q", msg)
			}
			// A second load finds nothing and no error: the notice shows once.
			if _, err := s.Load("env"); err != nil {
				t.Errorf("second load: %v", err)
			}
		})
	}
}

func TestResetKeepsOtherTopologies(t *testing.T) {
	s := newTestStore(t)
	p := sample("k")
	p.Topology("hybrid").Current = "hybrid-oauthserver"
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset("k", "onprem"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("k")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Topologies["onprem"]; ok {
		t.Error("onprem progress survived the reset")
	}
	if got.Topologies["hybrid"] == nil || got.Topologies["hybrid"].Current != "hybrid-oauthserver" {
		t.Errorf("hybrid progress was lost: %+v", got.Topologies)
	}
}

// Saves from many goroutines (and, by the same mechanism, processes) must
// leave one complete file: whichever came last, never a mix.
func TestConcurrentSavesDoNotCorrupt(t *testing.T) {
	s := newTestStore(t)
	other, err := NewStore(s.Dir()) // a second store: no shared mutex, as in another process
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			p := New("k")
			tp := p.Topology("onprem")
			tp.Current = fmt.Sprintf("step-%d", i)
			for j := 0; j <= i; j++ { // files of different lengths
				tp.MarkDone(StepDone{Step: fmt.Sprintf("s%d", j), ConfirmedBy: "u"})
			}
			st := s
			if i%2 == 1 {
				st = other
			}
			if err := st.Save(p); err != nil {
				t.Errorf("save %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	raw, err := os.ReadFile(s.Path("k"))
	if err != nil {
		t.Fatal(err)
	}
	var got Progress
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("file is not valid JSON after concurrent saves: %v", err)
	}
	tp := got.Topologies["onprem"]
	var i int
	if _, err := fmt.Sscanf(tp.Current, "step-%d", &i); err != nil || len(tp.Done) != i+1 {
		t.Fatalf("file mixes two saves: current %q with %d steps done", tp.Current, len(tp.Done))
	}
	if temps, _ := filepath.Glob(s.Path("k") + ".tmp-*"); len(temps) != 0 {
		t.Errorf("temp files left behind: %v", temps)
	}
}

func TestFileNameSafeAndDistinct(t *testing.T) {
	keys := []string{"lab:no-iisreset", "/home/a/b.yaml", "/home/a_b.yaml", `C:\Users\a\p.yaml`, "", "../../etc/passwd",
		strings.Repeat("x/", 100)}
	seen := map[string]string{}
	for _, k := range keys {
		n := FileName(k)
		if strings.ContainsAny(n, `/\:`) || strings.HasPrefix(n, ".") || len(n) > 80 || !strings.HasSuffix(n, ".json") {
			t.Errorf("FileName(%q) = %q is not a safe file name", k, n)
		}
		if prev, dup := seen[n]; dup {
			t.Errorf("keys %q and %q share file %q", prev, k, n)
		}
		seen[n] = k
	}
	if FileName("lab:no-iisreset") != FileName("lab:no-iisreset") {
		t.Error("FileName is not stable")
	}
}

func TestDefaultDirHonoursXDGStateHome(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	got, err := DefaultDir()
	if err != nil || got != filepath.Join(dir, "ucpilot", "progress") {
		t.Fatalf("DefaultDir = %q, %v", got, err)
	}
	t.Setenv("XDG_STATE_HOME", "relative/path") // the spec says ignore it
	if got, _ := DefaultDir(); strings.HasPrefix(got, "relative") {
		t.Errorf("a relative XDG_STATE_HOME was used: %q", got)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"version":1,"topologies":{"onprem":{"current":"a","done":[{"step":"a","when":"2025-01-01T00:00:00Z"}]}}}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{"version":1,"topologies":{"x":null}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decode(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNewer) {
				t.Fatalf("decode error %v wraps neither ErrCorrupt nor ErrNewer", err)
			}
			return
		}
		for id, tp := range p.Topologies {
			if tp == nil {
				t.Fatalf("topology %q decoded as nil", id)
			}
			tp.MarkDone(StepDone{Step: "z"}) // usable without nil checks
		}
	})
}
