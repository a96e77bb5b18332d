package layering

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/ucpilot/ucpilot"

// rule: no package under from (the package itself or below it) may depend,
// directly or not, on a package under any of banned. except lists packages
// under from the rule does not cover.
type rule struct {
	from   string
	banned []string
	except []string
	why    string
}

var rules = []rule{
	{from: module + "/engine", banned: []string{module + "/tui", module + "/classroom", module + "/remote/lab"},
		why: "the engine never imports the TUI or the lab: they are built on it, and it runs without them"},
	{from: module + "/engine", banned: []string{"golang.org/x/term", "github.com/charmbracelet", "github.com/muesli/termenv"},
		except: []string{module + "/engine/report"},
		why:    "only engine/report looks at the terminal (colour, glyphs); the core has no terminal package"},
	{from: module + "/knowledge", banned: []string{module + "/engine", module + "/remote", module + "/tui"},
		why: "the knowledge base is data and search: it imports neither the engine nor the transports"},
	{from: module + "/remote", banned: []string{module + "/knowledge", module + "/engine", module + "/tui"},
		why: "the transports and probes know servers, not the knowledge base or the engine"},
	{from: module + "/internal/safetext", banned: []string{module + "/"},
		why: "safetext is the bottom layer everything may use"},
}

func under(pkg, prefix string) bool {
	return pkg == prefix || strings.HasPrefix(pkg, strings.TrimSuffix(prefix, "/")+"/")
}

func TestImportDirections(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	cmd := exec.Command(gobin, "list", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}", module+"/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, deps := fields[0], fields[1:]
		for _, r := range rules {
			if !under(pkg, r.from) || exempt(pkg, r.except) {
				continue
			}
			checked++
			for _, d := range deps {
				for _, b := range r.banned {
					if under(d, b) {
						t.Errorf("%s depends on %s: %s", pkg, d, r.why)
					}
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d package/rule pairs checked: go list output not understood:\n%s", checked, out)
	}
}

func exempt(pkg string, except []string) bool {
	for _, e := range except {
		if under(pkg, e) {
			return true
		}
	}
	return false
}
