package classroom

import (
	"context"
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/engine/execute"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/lab"
	"github.com/ucpilot/ucpilot/remote/shell"
	"github.com/ucpilot/ucpilot/tui"
)

// labRunner runs commands in l, as the classroom's opener sets it up.
func labRunner(l *lab.Lab) *tui.CommandRunner {
	shells := map[string]shell.Shell{}
	for _, k := range l.Shells() {
		shells[k] = l.Shell(k)
	}
	shells[execute.SideExchange], shells[execute.SideSfB] = shells["ems"], shells["sfbms"]
	return tui.ExecuteRunner("the lab", execute.Targets{Shells: shells})
}

func autodiscoverURL(t *testing.T, l *lab.Lab) string {
	t.Helper()
	res, err := l.Shell("sfbms").Run(context.Background(), "Get-CsOAuthConfiguration | Format-List ExchangeAutodiscoverUrl")
	if err != nil {
		t.Fatal(err)
	}
	return res.Stdout
}

// TestJournalRebuildsTheLab: a command the trainee ran on one lab runs
// again, with the new lab's names, on the fresh lab of their next session.
func TestJournalRebuildsTheLab(t *testing.T) {
	ctx := context.Background()
	j := records{dir: t.TempDir()}.journal("alice-1", "healthy")
	first, err := lab.Start(ctx, "healthy")
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	cmd := knowledge.Command{Text: "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl '{{.AutodiscoverSvcURL}}'", Changes: true}
	vars := knowledge.Vars{AutodiscoverSvcURL: "https://elsewhere.example/autodiscover/autodiscover.svc"}
	var kept []error
	r := recording(labRunner(first), j, func(err error) { kept = append(kept, err) })
	for range 2 { // run twice: kept once
		pc, err := r.Prepare(tui.CommandRequest{Command: cmd, Shell: knowledge.ShellSfBMS, Side: "sfb", Vars: vars})
		if err != nil {
			t.Fatal(err)
		}
		if out, err := r.Run(ctx, pc, pc.ConfirmWord); err != nil || out.ExitCode != 0 {
			t.Fatalf("the command failed: %v %+v", err, out)
		}
	}
	// A read-only command is not journaled.
	ro := knowledge.Command{Text: "Get-CsOAuthConfiguration"}
	if pc, err := r.Prepare(tui.CommandRequest{Command: ro, Shell: knowledge.ShellSfBMS, Vars: vars}); err == nil {
		_, _ = r.Run(ctx, pc, "")
	}
	es, err := j.load()
	if err != nil || len(es) != 1 || len(kept) != 0 {
		t.Fatalf("journal: %+v, %v, %v; want the one changing command", es, err, kept)
	}

	second, err := lab.Start(ctx, "healthy")
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if strings.Contains(autodiscoverURL(t, second), "elsewhere.example") {
		t.Fatal("a fresh lab already has the change: the test proves nothing")
	}
	res := rebuild(ctx, labRunner(second), vars, es)
	if res.commands != 1 || res.failed != 0 {
		t.Fatalf("rebuild: %+v", res)
	}
	if got := autodiscoverURL(t, second); !strings.Contains(got, "elsewhere.example") {
		t.Errorf("after the rebuild the lab does not hold the change:\n%s", got)
	}
	if !strings.Contains(res.note(), "1 command(s)") {
		t.Errorf("note: %q", res.note())
	}
}
