package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/knowledge"
)

// newRunDriver is newDriver with the caller's options (a runner, read-only).
func newRunDriver(t *testing.T, o Options, w, h int) *driver {
	t.Helper()
	if o.Base == nil {
		o.Base = fixtureBase(t)
	}
	o.Vars, o.Theme, o.Output = knowledge.ExampleVars(), "dark", io.Discard
	o.Clipboard = &TerminalClipboard{Out: &bytes.Buffer{}, Getenv: func(string) string { return "" }, GOOS: "linux"}
	d := &driver{t: t, m: newModel(o, resolveOutput(o, false)), clip: &bytes.Buffer{}}
	d.m.expire = func(seq int) tea.Cmd { d.expired = append(d.expired, seq); return nil }
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

// footer is the last line of the screen: the keys offered now.
func (d *driver) footer() string {
	lines := strings.Split(d.screen(), "\n")
	return lines[len(lines)-1]
}

// openPitfalls searches and puts the focus on the list with hits for ids.
func (d *driver) openPitfalls(ids ...string) {
	d.key("/")
	d.typeText(ids[0])
	d.forceHits(hitsFor(d.m.c.Base, ids...))
	d.key("enter")
}

// In read-only mode x on a changing command only says so, and the footer
// never offers it; a read-only command still runs, its output in the
// detail pane.
func TestRunReadOnlyRefusesChangingCommand(t *testing.T) {
	lab := &fakeLab{}
	d := newRunDriver(t, Options{Runner: lab.runner(), ReadOnly: true}, 120, 40)
	d.openPitfalls("iisreset", "code5")
	if f := d.footer(); strings.Contains(f, "x run") {
		t.Errorf("the footer offers x for a changing command in read-only mode: %q", f)
	}
	d.key("x")
	if d.m.c.runs.active() || !strings.Contains(d.m.status, "read-only mode") || len(lab.commands()) != 0 {
		t.Fatalf("x in read-only mode: prompt %v, status %q, ran %v", d.m.c.runs.active(), d.m.status, lab.commands())
	}
	d.key("down") // code5: read-only commands
	if f := d.footer(); !strings.Contains(f, "x run") {
		t.Errorf("the footer does not offer x for a read-only command: %q", f)
	}
	d.key("x")
	if got := lab.commands(); len(got) != 1 || !strings.HasPrefix(got[0], "whoami /groups") {
		t.Fatalf("read-only command not run at once: %v", got)
	}
	d.mustShow("Command output", "Internet services successfully restarted", "done, exit code 0")
	d.key("?")
	d.mustShow("x          run (read-only commands only)")
}

// A disruptive command asks for the server's short name: the wrong word
// runs nothing, the right one runs it and the checks that name the
// pitfall run to prove the fix (all of them the first time, as none ran).
func TestRunFromTroubleshootConfirmsAndRechecks(t *testing.T) {
	counts, reg := countingRegistry()
	lab := &fakeLab{}
	o := checksOptions(t, reg, engine.RunOptions{})
	o.Runner = lab.runner()
	a := newAsyncDriver(t, o, 120, 40)
	a.key("/")
	a.typeText("iisreset")
	a.send(searchResultMsg{seq: a.m.troubleshoot().seq, query: "iisreset", hits: hitsFor(a.m.c.Base, "iisreset", "code5")})
	a.key("enter")
	a.key("x")
	a.mustShow("Confirm", "Runs on exch01.contoso.com (test):", "iisreset /noforce", "Type exch01 to run it")
	a.typeText("yes")
	a.key("enter")
	// The wrong word asks again: the box stays and has the keys, so the
	// next letters are typed into it, not taken by the list below.
	a.mustShow(`typed "yes", needed exch01`)
	if len(lab.commands()) != 0 || !a.m.c.runs.active() {
		t.Fatalf("ran %v with the wrong word; still asking: %v", lab.commands(), a.m.c.runs.active())
	}
	a.typeText("EXCH01") // case does not matter
	a.key("enter")
	a.pumpUntil("the command and the checks after it", func() bool { return len(lab.commands()) == 1 && a.checks().ranOnce && a.runOver() })
	if got := lab.commands()[0]; got != "iisreset /noforce <EXCH01>" {
		t.Errorf("ran %q", got)
	}
	a.mustShow("Command output", "Internet services successfully restarted")
	// Now that the checks ran once, a second fix re-runs only those that
	// name the pitfall (metadata.exchange by its spec, with dns.autodiscover
	// it depends on), not dns.pool.
	a.key("x")
	a.typeText("exch01")
	a.key("enter")
	a.pumpUntil("the second re-run", func() bool { return counts["metadata.exchange"].Load() == 2 && a.runOver() })
	a.settle()
	if n := counts["dns.pool"].Load(); n != 1 {
		t.Errorf("dns.pool ran %d times; the re-run should have left it out", n)
	}
	if !strings.Contains(a.m.status, "re-running") {
		t.Errorf("status after the second fix: %q", a.m.status)
	}
}

func countingRegistry() (map[string]*atomic.Int32, *engine.Registry) {
	counts := map[string]*atomic.Int32{}
	reg := engine.NewRegistry()
	for _, id := range []string{"dns.autodiscover", "dns.pool", "tls.autodiscover", "metadata.exchange", "bearer.ews"} {
		n := &atomic.Int32{}
		counts[id] = n
		reg.Register(id, func(context.Context, *engine.Env) engine.Result {
			n.Add(1)
			return engine.Result{Status: engine.StatusPass, Summary: "fine"}
		})
	}
	return counts, reg
}

// From a finding's fix, x runs the command (its template, filled with the
// plan's values) after confirmation, and every check runs again.
func TestRunFromChecksFixRerunsAll(t *testing.T) {
	lab := &fakeLab{}
	o := checksOptions(t, finishedRegistry(), engine.RunOptions{})
	o.Runner = lab.runner()
	a := newAsyncDriver(t, o, 120, 40)
	a.key("C")
	a.pumpUntil("the run", a.runOver)
	for a.checks().selectedID() != "bearer.ews" {
		a.key("down")
	}
	a.key("1")
	a.key("x")
	a.mustShow("Runs on exch01.contoso.com (test):", "iisreset /noforce", "Type exch01 to run it")
	before := a.checks().run
	a.typeText("exch01")
	a.key("enter")
	a.pumpUntil("the re-run after the fix", func() bool { return a.checks().run > before && a.runOver() })
	a.settle()
	if got := lab.commands(); len(got) != 1 || got[0] != "iisreset /noforce <exch01>" {
		t.Fatalf("commands run: %q", got)
	}
	a.key("g")
	for i := 0; i < 10 && a.checks().selectedID() != "bearer.ews"; i++ {
		a.key("down")
	}
	a.mustShow("Command output", "Internet services successfully restarted")
}

// A runner's error shows in the status line and under the step, and a
// command that failed to run starts no re-run.
func TestRunFromBrowseShowsRunnerError(t *testing.T) {
	r := &CommandRunner{
		Prepare: (&fakeLab{}).runner().Prepare,
		Run: func(context.Context, PendingCommand, string) (CommandOutcome, error) {
			return CommandOutcome{}, errors.New("WinRM: 401 from exch01.contoso.com")
		},
	}
	d := newRunDriver(t, Options{Runner: r}, 120, 40)
	d.key("b")
	d.key("enter")
	d.key("enter") // the step pane
	d.key("x")
	d.mustShow("Runs on exch01.contoso.com (test):", "Configure-EnterprisePartnerApplication.ps1", "Type yes to run it")
	d.typeText("yes")
	d.key("enter")
	if !strings.Contains(d.m.status, "error: WinRM: 401") {
		t.Errorf("status %q does not report the error", d.m.status)
	}
	d.mustShow("Command output", "error: WinRM: 401 from")
}

// Without a runner x says to copy, and the footer says so too.
func TestRunWithoutRunnerSaysCopy(t *testing.T) {
	d := newRunDriver(t, Options{}, 120, 40)
	d.openPitfalls("code5")
	if f := d.footer(); !strings.Contains(f, "x off: copy it") {
		t.Errorf("footer without a runner: %q", f)
	}
	d.key("x")
	if !strings.Contains(d.m.status, "copy it with c") {
		t.Errorf("x without a runner: status %q", d.m.status)
	}
}

// A password asked by the runner is typed into a masked field: it is in
// no frame and no status line, reaches the runner intact, and what the
// server echoes (output and error) is drawn redacted. esc cancels a login.
func TestPasswordPromptMaskedAndRedacted(t *testing.T) {
	const pw = "Tr0ub4dor&3-hunter2"
	asker := NewAsker()
	var got atomic.Value
	red := newTestRedactor()
	r := &CommandRunner{
		Prepare: (&fakeLab{}).runner().Prepare,
		Run: func(ctx context.Context, pc PendingCommand, _ string) (CommandOutcome, error) {
			sec, err := asker.Password(ctx, "Password for admin@exch01.contoso.com (ssh)", "a note under the label")
			if err != nil {
				return CommandOutcome{}, fmt.Errorf("reading the password: %w", err)
			}
			red.register(sec.Reveal())
			got.Store(sec.Reveal())
			return CommandOutcome{Stdout: "stdout echo " + sec.Reveal(), Stderr: "stderr echo " + sec.Reveal(), ExitCode: 1},
				fmt.Errorf("server said %s", sec.Reveal())
		},
	}
	o := checksOptions(t, finishedRegistry(), engine.RunOptions{})
	o.Runner, o.Asker, o.Redact = r, asker, red.redact
	a := newAsyncDriver(t, o, 120, 40)
	var frames []string
	frame := func() bool { frames = append(frames, a.m.View(), a.m.status); return false }
	a.spawn(a.m.Init())
	a.key("/")
	a.typeText("code5")
	a.send(searchResultMsg{seq: a.m.troubleshoot().seq, query: "code5", hits: hitsFor(a.m.c.Base, "code5")})
	a.key("enter")
	a.key("x")
	a.pumpUntil("the password question", func() bool { frame(); return a.m.c.runs.ask != nil })
	a.mustShow("Log on", "Password for admin@exch01.contoso.com (ssh) (typing is hidden):", "a note under the label")
	for _, ch := range pw {
		a.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{ch}})
		frame()
	}
	a.mustShow(strings.Repeat("•", len(pw)))
	a.key("enter")
	a.pumpUntil("the command's end", func() bool { frame(); return !a.m.c.runs.busy })
	frame()
	if got.Load() != pw {
		t.Fatalf("the runner got %q, want the typed password", got.Load())
	}
	a.mustShow("stdout echo [REDACTED]", "stderr echo [REDACTED]", "error: server said [REDACTED]")
	// esc on the question cancels the login; the error says so.
	a.key("x")
	a.pumpUntil("the second question", func() bool { frame(); return a.m.c.runs.ask != nil })
	a.key("esc")
	a.pumpUntil("the cancelled run", func() bool {
		frame()
		return !a.m.c.runs.busy && strings.Contains(a.screen(), "reading the password: cancelled by the user")
	})
	asker.Close()
	a.settle()
	for i, f := range frames {
		if strings.Contains(ansi.Strip(f), pw) || strings.Contains(f, pw) {
			t.Fatalf("frame %d shows the password:\n%s", i, ansi.Strip(f))
		}
	}
	if len(frames) < len(pw) {
		t.Fatalf("only %d frames collected", len(frames))
	}
}

// A closed Asker fails questions at once instead of hanging.
func TestAskerClosedFailsFast(t *testing.T) {
	a := NewAsker()
	a.Close()
	if _, err := a.Password(context.Background(), "Password"); err == nil {
		t.Fatal("a closed Asker returned a password")
	}
	if yes, err := a.YesNo(context.Background(), "t", "q"); err == nil || yes {
		t.Fatalf("a closed Asker answered yes=%v err=%v", yes, err)
	}
}

// testRedactor stands in for the transcript's: plain replacement.
type testRedactor struct {
	mu      chan struct{}
	secrets []string
}

func newTestRedactor() *testRedactor { return &testRedactor{mu: make(chan struct{}, 1)} }

func (r *testRedactor) register(s string) {
	r.mu <- struct{}{}
	r.secrets = append(r.secrets, s)
	<-r.mu
}

func (r *testRedactor) redact(s string) string {
	r.mu <- struct{}{}
	defer func() { <-r.mu }()
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "[REDACTED]")
	}
	return s
}

// A command that fails (here refused with exit code 1) proves nothing:
// no check re-runs, and the status line keeps the failure instead of a
// success-sounding "re-running the checks" (issue 14 item 7).
func TestFailedRunNeverReportsSuccess(t *testing.T) {
	counts, reg := countingRegistry()
	lab := &fakeLab{exitCode: 1}
	o := checksOptions(t, reg, engine.RunOptions{})
	o.Runner = lab.runner()
	a := newAsyncDriver(t, o, 120, 40)
	a.key("/")
	a.typeText("iisreset")
	a.send(searchResultMsg{seq: a.m.troubleshoot().seq, query: "iisreset", hits: hitsFor(a.m.c.Base, "iisreset", "code5")})
	a.key("enter")
	a.key("x")
	a.typeText("exch01")
	a.key("enter")
	a.pumpUntil("the command's end", func() bool { return strings.Contains(a.m.status, "exit code 1") })
	a.settle()
	if !strings.Contains(a.m.status, "exit code 1") || !a.m.statusErr {
		t.Errorf("status after a failed fix: %q (error %v), want the exit code as an error", a.m.status, a.m.statusErr)
	}
	if n := counts["metadata.exchange"].Load(); n != 0 || a.checks().ranOnce {
		t.Errorf("the checks ran (%d) after a failed fix", n)
	}
	a.mustShow("refused by the lab")
}

// A command with an unfilled <placeholder> is the user's to complete: x
// runs nothing and says what to fill in (issue 14 item 7).
func TestPlaceholderCommandIsCopyOnly(t *testing.T) {
	lab := &fakeLab{}
	o := checksOptions(t, engine.NewRegistry(), engine.RunOptions{})
	o.Runner = lab.runner()
	a := newAsyncDriver(t, o, 120, 40)
	text := "Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint <thumbprint of the OAuth certificate>"
	cp := &copyable{Text: text, run: &runnable{cmd: knowledge.Command{Text: text, Changes: true}}}
	if cmd := a.m.c.runs.request(screenBrowse, "step:x", cp); cmd != nil {
		a.send(cmd())
	}
	if a.m.c.runs.active() || len(lab.commands()) != 0 {
		t.Fatalf("a placeholder command was offered to run: asking %v, ran %v", a.m.c.runs.active(), lab.commands())
	}
	if !strings.Contains(a.m.status, "fill in <thumbprint of the OAuth certificate>") {
		t.Errorf("status %q does not say what to fill in", a.m.status)
	}
}

// What a command printed comes from a server: a terminal escape in it
// (here OSC 52, which would write the clipboard) is shown as text, never
// sent to the terminal (issue 12).
func TestCommandOutputIsShownSafely(t *testing.T) {
	lab := &fakeLab{stdout: "ok\x1b]52;c;aGk=\x07 done\r\n"}
	o := checksOptions(t, engine.NewRegistry(), engine.RunOptions{})
	o.Runner = lab.runner()
	a := newAsyncDriver(t, o, 120, 40)
	a.key("/")
	a.typeText("code5")
	a.send(searchResultMsg{seq: a.m.troubleshoot().seq, query: "code5", hits: hitsFor(a.m.c.Base, "code5")})
	a.key("enter")
	a.key("x") // whoami /groups: read-only, runs at once
	a.pumpUntil("the output", func() bool { return strings.Contains(a.screen(), "done") && !a.m.c.runs.busy })
	a.settle()
	v := a.m.View()
	if strings.Contains(v, "\x1b]52") || strings.Contains(v, "\x07") {
		t.Fatalf("the output's escape reached the terminal: %q", v)
	}
	a.mustShow(`ok\x1b]52;c;aGk=\x07 done`)
}
