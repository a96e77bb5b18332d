package knowledge

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func TestExportJSON(t *testing.T) {
	b := loadBase(t)
	var buf bytes.Buffer
	if err := b.ExportJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back exportDoc
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("export is not valid JSON: %v", err)
	}
	if len(back.Pitfalls) != len(b.Pitfalls) || len(back.Topologies) != len(b.Topologies) ||
		len(back.Identifiers) != len(b.Identifiers) || len(back.Cmdlets) != len(b.Cmdlets) || len(back.Checks) != len(b.Checks) {
		t.Fatalf("round trip lost entries: %d/%d pitfalls, %d/%d topologies", len(back.Pitfalls), len(b.Pitfalls), len(back.Topologies), len(b.Topologies))
	}
	for i, p := range b.Pitfalls {
		if back.Pitfalls[i].ID != p.ID || back.Pitfalls[i].Fix != p.Fix || len(back.Pitfalls[i].Symptoms) != len(p.Symptoms) {
			t.Errorf("pitfall %s changed in the round trip", p.ID)
		}
	}
	for i, tp := range b.Topologies {
		for j, s := range tp.Steps {
			got := back.Topologies[i].Steps[j]
			if got.ID != s.ID || len(got.Commands) != len(s.Commands) || got.Verify.Text != s.Verify.Text {
				t.Errorf("step %s changed in the round trip", s.ID)
			}
		}
	}
	text := buf.String()
	for _, key := range []string{`"identifiers"`, `"topologies"`, `"pitfalls"`, `"cmdlets"`, `"checks"`, `"changes"`, `"symptoms"`} {
		if !strings.Contains(text, key) {
			t.Errorf("export lacks key %s", key)
		}
	}
	if strings.Index(text, `"identifiers"`) > strings.Index(text, `"topologies"`) {
		t.Error("identifiers should come first in the export")
	}
}

func TestExportJSONEmptyBase(t *testing.T) {
	var buf bytes.Buffer
	if err := (&Base{}).ExportJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "null") {
		t.Errorf("empty lists must export as [], got %s", buf.String())
	}
}

func TestExportMarkdown(t *testing.T) {
	b := loadBase(t)
	v := ExampleVars()
	v.SfBPool = "fe-pool.example.net"
	v.SfBMetadataURL = "https://fe-pool.example.net/metadata/json/1"
	var buf bytes.Buffer
	if err := b.ExportMarkdown(&buf, v); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, tp := range b.Topologies {
		if !strings.Contains(md, "## "+tp.Title) {
			t.Errorf("markdown lacks topology %q", tp.Title)
		}
		for _, s := range tp.Steps {
			if !strings.Contains(md, s.Title) {
				t.Errorf("markdown lacks step title %q", s.Title)
			}
		}
	}
	for _, p := range b.Pitfalls {
		if !strings.Contains(md, "### "+p.Title) || !strings.Contains(md, "`"+p.ID+"`") {
			t.Errorf("markdown lacks pitfall %s", p.ID)
		}
	}
	if !strings.Contains(md, "https://fe-pool.example.net/metadata/json/1") {
		t.Error("commands were not rendered with the given Vars")
	}
	if strings.Contains(md, "{{.") {
		t.Error("markdown still holds a raw template")
	}
	if strings.Count(md, "```powershell")*2 != strings.Count(md, "```") {
		t.Error("unbalanced code fences")
	}
	for _, want := range []string{"read-only", "changes", "**Verify:**", "| name | value |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

// failWriter fails after n bytes, to prove write errors are returned.
type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, bytes.ErrTooLarge
	}
	return len(p), nil
}

func TestExportMarkdownWriteError(t *testing.T) {
	if err := loadBase(t).ExportMarkdown(&failWriter{n: 100}, ExampleVars()); err == nil {
		t.Error("a failing writer must make ExportMarkdown return an error")
	}
}

// FuzzSearch: any query, however strange, returns sorted hits with scores
// in (0,1] and never panics.
func FuzzSearch(f *testing.F) {
	b, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, q := range append(negativeQueries, "code=5", "iisrest", "00000004-0000-0ff1", "a", "é–“”", "{{.SfBPool}}", "00000004-0000-0ffl-ce00-000000000000@x") {
		f.Add(q)
	}
	for _, c := range searchCases[:10] {
		f.Add(c.query)
	}
	f.Fuzz(func(t *testing.T, q string) {
		hits := b.Search(q, 10)
		if len(hits) > 10 {
			t.Fatalf("limit ignored: %d hits", len(hits))
		}
		for i, h := range hits {
			if h.Score <= 0 || h.Score > 1 {
				t.Fatalf("%q: score %v", q, h.Score)
			}
			if i > 0 && hits[i-1].Score < h.Score {
				t.Fatalf("%q: hits not sorted", q)
			}
		}
	})
}

func TestExportProcedureMarkdown(t *testing.T) {
	b := loadBase(t)
	for _, topo := range b.Topologies {
		var sb strings.Builder
		v := ExampleVars()
		v.SfBPool = "fe-pool.example.org"
		if err := b.ExportProcedureMarkdown(&sb, topo.ID, v, "test env"); err != nil {
			t.Fatalf("%s: %v", topo.ID, err)
		}
		out := sb.String()
		for _, s := range topo.Steps {
			if !strings.Contains(out, s.Title) {
				t.Errorf("%s: step %q missing", topo.ID, s.Title)
			}
		}
		if strings.Contains(out, "{{") {
			t.Errorf("%s: unrendered template left in the procedure", topo.ID)
		}
		// A step whose commands all only look is labelled read-only, never
		// "changes dns" (issue 14 extras).
		for _, s := range topo.Steps {
			changes := false
			for _, c := range s.Commands {
				changes = changes || c.Changes
			}
			head := "*" + s.Shell.Label() + "*, "
			at := strings.Index(out, "### ")
			if t := strings.Index(out, ". "+s.Title); t >= 0 {
				at = t
			}
			j := strings.Index(out[at:], head)
			if j >= 0 {
				j += at
			}
			switch {
			case j < 0:
				t.Errorf("%s: no effect line under %q", topo.ID, s.Title)
			case !changes && !strings.HasPrefix(out[j+len(head):], "read-only."):
				t.Errorf("%s: read-only step %q is labelled %q", topo.ID, s.ID, out[j+len(head):j+len(head)+20])
			case changes && !strings.HasPrefix(out[j+len(head):], "changes "):
				t.Errorf("%s: step %q changes a server but is not labelled so", topo.ID, s.ID)
			}
		}
	}
	if err := b.ExportProcedureMarkdown(io.Discard, "nope", ExampleVars(), ""); err == nil || !strings.Contains(err.Error(), "onprem") {
		t.Errorf("unknown topology: want an error naming the valid ids, got %v", err)
	}
}
