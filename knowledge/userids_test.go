package knowledge

import (
	"regexp"
	"strings"
	"testing"
)

// The text a user reads names a step by its title, never by its internal
// id ("(step onprem-dns-names)") (issue 14 item 9).
func TestStepTextNamesNoStepIDs(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, topo := range b.Topologies {
		for _, st := range topo.Steps {
			ids = append(ids, regexp.QuoteMeta(st.ID))
		}
	}
	idRE := regexp.MustCompile(`\b(` + strings.Join(ids, "|") + `)\b`)
	for _, topo := range b.Topologies {
		for _, st := range topo.Steps {
			texts := append([]string{st.Title, st.What, st.Why, st.Verify.Text}, st.Prereqs...)
			for _, s := range texts {
				if m := idRE.FindString(s); m != "" {
					t.Errorf("step %s shows the internal id %s to the user: %q", st.ID, m, s)
				}
			}
		}
	}
}
