package tui

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/knowledge"
)

// checksYAML are the fixture base's checks: two DNS checks, a TLS check
// that depends on the first, metadata, Bearer and a PowerShell check that
// needs credentials (so the plan leaves it out and says so).
const checksYAML = `checks:
  - id: dns.autodiscover
    group: dns
    title: Autodiscover name resolves
    what: The autodiscover host resolves.
    sources: [seed:000]
  - id: dns.pool
    group: dns
    title: Skype for Business pool resolves
    what: The pool FQDN resolves.
    sources: [seed:000]
  - id: tls.autodiscover
    group: tls
    title: Autodiscover certificate is valid
    what: The certificate chains, covers the name and is not close to expiry.
    depends_on: [dns.autodiscover]
    sources: [seed:000]
  - id: metadata.exchange
    group: metadata
    title: Exchange metadata document
    what: Exchange's metadata document answers JSON with the right serviceName.
    depends_on: [dns.autodiscover]
    pitfalls: [iisreset, code5]
    sources: [seed:000]
  - id: bearer.ews
    group: bearer
    title: EWS answers a Bearer challenge
    what: An empty Bearer token to EWS gets a 401 with a Bearer challenge.
    sources: [seed:000]
  - id: ps.exchange.partnerapp
    group: powershell
    title: Exchange trusts the pool
    what: Get-PartnerApplication lists the pool.
    credentials: true
    sources: [seed:000]
`

// checksBase is the fixture base with checks.
func checksBase(t testing.TB) *knowledge.Base {
	t.Helper()
	fsys := fstest.MapFS{}
	for k, v := range fixtureFS {
		fsys[k] = v
	}
	fsys["checks.yaml"] = &fstest.MapFile{Data: []byte(checksYAML)}
	b, err := knowledge.LoadFS(fsys)
	if err != nil {
		t.Fatalf("fixture base with checks does not load: %v", err)
	}
	return b
}

func onpremProfile(t testing.TB) *profile.Profile {
	t.Helper()
	p, err := profile.Parse([]byte(`topology: onprem
domain: contoso.com
tenant_id: ""
exchange:
  fqdn: exch01.contoso.com
  autodiscover: autodiscover.contoso.com
sfb:
  pool: pool01.contoso.com
`), "test")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func fixed(st engine.Status, summary string, ev ...engine.Evidence) engine.CheckFunc {
	return func(context.Context, *engine.Env) engine.Result {
		return engine.Result{Status: st, Summary: summary, Evidence: ev}
	}
}

// blockUntilDone is a check that hangs until its context ends.
func blockUntilDone(started chan<- string, id string) engine.CheckFunc {
	return func(ctx context.Context, _ *engine.Env) engine.Result {
		if started != nil {
			started <- id
		}
		<-ctx.Done()
		return engine.Result{Status: engine.StatusError, Summary: ctx.Err().Error()}
	}
}

// finishedRegistry gives a run with every status: pass, warn, fail (with
// pitfalls, so a fix with commands), and a TLS check skipped because its
// DNS dependency failed.
func finishedRegistry() *engine.Registry {
	r := engine.NewRegistry()
	r.Register("dns.autodiscover", fixed(engine.StatusFail, "autodiscover.contoso.com does not resolve (NXDOMAIN)",
		engine.Evidence{Label: "resolver", Value: "system"}, engine.Evidence{Label: "answer", Value: "NXDOMAIN"}))
	r.Register("dns.pool", fixed(engine.StatusPass, "pool01.contoso.com → 10.0.0.20",
		engine.Evidence{Label: "A", Value: "10.0.0.20"}))
	r.Register("tls.autodiscover", fixed(engine.StatusPass, "never runs"))
	r.Register("metadata.exchange", fixed(engine.StatusPass, "never runs"))
	r.Register("bearer.ews", func(context.Context, *engine.Env) engine.Result {
		return engine.Result{Status: engine.StatusWarn, Summary: "401 with Bearer, but no authorization_uri",
			Evidence: []engine.Evidence{{Label: "status", Value: "401 Unauthorized"},
				{Label: "WWW-Authenticate", Value: `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000004-0000-0ff1-ce00-000000000000@contoso.com"`}},
			Pitfalls: []string{"iisreset", "code5"}}
	})
	return r
}

// checksOptions builds Options with a Checks source over reg.
func checksOptions(t testing.TB, reg *engine.Registry, ro engine.RunOptions) Options {
	kb := checksBase(t)
	return Options{
		Base: kb, Vars: knowledge.ExampleVars(), Theme: "dark", Output: io.Discard,
		EnvLabel: "profile contoso.com (onprem)",
		Profile:  onpremProfile(t),
		Checks: &CheckSource{
			Plan: func(_ context.Context, p *profile.Profile) (*engine.Plan, error) {
				return engine.NewPlan(kb, p, engine.PlanOptions{Registry: reg})
			},
			RunOptions: ro,
		},
	}
}

// asyncDriver runs the root model the way Bubble Tea does: every command
// on its own goroutine, their messages back through one channel, Update
// only ever on the test goroutine. Checks that block and cursors that
// blink then behave as they do in the real program.
type asyncDriver struct {
	t       testing.TB
	m       *model
	clip    *bytes.Buffer
	msgs    chan tea.Msg
	pending atomic.Int64 // command goroutines not yet returned
	quit    bool
}

func newAsyncDriver(t testing.TB, o Options, w, h int) *asyncDriver {
	t.Helper()
	clip := &bytes.Buffer{}
	o.Clipboard = &TerminalClipboard{Out: clip, Getenv: func(string) string { return "" }, GOOS: "linux"}
	a := &asyncDriver{t: t, m: newModel(o, resolveOutput(o, false)), clip: clip, msgs: make(chan tea.Msg, 4096)}
	a.m.expire = func(int) tea.Cmd { return nil }
	a.send(tea.WindowSizeMsg{Width: w, Height: h})
	return a
}

func (a *asyncDriver) send(msg tea.Msg) {
	_, cmd := a.m.Update(msg)
	a.spawn(cmd)
}

func (a *asyncDriver) key(name string) { a.send(keyMsg(name)) }

func (a *asyncDriver) typeText(s string) {
	for _, r := range s {
		a.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// spawn runs cmd on a goroutine. Batches fan out; a sequence runs in
// order (huh's Init returns one; its type is unexported).
func (a *asyncDriver) spawn(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	a.pending.Add(1)
	go func() {
		defer a.pending.Add(-1)
		a.deliver(cmd())
	}()
}

func (a *asyncDriver) deliver(msg tea.Msg) {
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			a.spawn(c)
		}
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && strings.HasSuffix(v.Type().String(), "sequenceMsg") {
		for i := 0; i < v.Len(); i++ {
			if c, ok := v.Index(i).Interface().(tea.Cmd); ok && c != nil {
				a.deliver(c())
			}
		}
		return
	}
	a.msgs <- msg
}

// pumpUntil feeds messages to the model until cond holds. It fails after
// 10 s: every wait here is for something that must happen, never a timing.
func (a *asyncDriver) pumpUntil(what string, cond func() bool) {
	a.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-a.msgs:
			a.handle(msg)
		case <-deadline:
			a.t.Fatalf("after 10s still waiting for %s; screen:\n%s", what, a.screen())
		}
	}
}

func (a *asyncDriver) handle(msg tea.Msg) {
	if _, ok := msg.(tea.QuitMsg); ok {
		a.quit = true
		return
	}
	a.send(msg)
}

// settle delivers messages until no command goroutine is left running,
// so nothing outlives the test (goleak checks that after it).
func (a *asyncDriver) settle() {
	a.t.Helper()
	deadline := time.After(10 * time.Second)
	for a.pending.Load() > 0 || len(a.msgs) > 0 {
		select {
		case msg := <-a.msgs:
			a.handle(msg)
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			a.t.Fatalf("commands still running after 10s; screen:\n%s", a.screen())
		}
	}
}

func (a *asyncDriver) screen() string { return ansi.Strip(a.m.View()) }

func (a *asyncDriver) checks() *checks { return a.m.screens[screenChecks].(*checks) }

func (a *asyncDriver) row(id string) checkRow {
	a.t.Helper()
	for _, r := range a.checks().rows {
		if r.check.Spec.ID == id {
			return r
		}
	}
	a.t.Fatalf("no row for check %s", id)
	return checkRow{}
}

// finished reports whether the check has a result and stopped spinning.
func (a *asyncDriver) finished(id string) func() bool {
	return func() bool {
		for _, r := range a.checks().rows {
			if r.check.Spec.ID == id {
				return r.res != nil && !r.running
			}
		}
		return false
	}
}

func (a *asyncDriver) runOver() bool { c := a.checks(); return c.ranOnce && !c.running }
