package tui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/ucpilot/ucpilot/engine"
	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/knowledge"
)

// guideTopology is a four-step procedure with every kind of verification:
// a check that passes, a check that needs credentials (not planned), a
// check that fails until iisreset runs, and a manual step.
const guideTopology = `id: onprem
title: Exchange Server and Skype for Business Server, both on premises
summary: Each server trusts the other as a partner application.
sources: [seed:001]
steps:
  - id: g-dns
    title: Check that autodiscover resolves
    side: dns
    shell: dns
    what: Resolve the autodiscover name of Exchange.
    why: Skype for Business finds Exchange through autodiscover.
    prereqs:
      - Access to the internal DNS zone.
    commands:
      - text: "nslookup {{.Autodiscover}}"
        changes: false
    verify:
      text: The name resolves to the Exchange address.
      checks: [dns.autodiscover]
    sources: [seed:001]
  - id: g-partnerapp
    title: Make Skype for Business a partner application of Exchange
    side: exchange
    shell: ems
    what: Run the script that ships with Exchange.
    why: Exchange accepts tokens only from issuers it has a partner application for.
    commands:
      - text: "& $exscripts\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl '{{.SfBMetadataURL}}' -ApplicationType Lync"
        changes: true
    verify:
      text: The partner application is listed and enabled.
      checks: [ps.exchange.partnerapp]
    sources: [seed:001]
  - id: g-iisreset
    title: Restart IIS on the Exchange servers
    side: exchange
    shell: cmd
    what: Restart IIS so the web services load the new partner application.
    why: Until IIS reloads, EWS keeps the old list of trusted issuers.
    commands:
      - text: "iisreset {{.ExchangeServer}} /noforce"
        changes: true
        disruptive: true
    verify:
      text: EWS lists the pool among its trusted issuers.
      checks: [bearer.ews]
    pitfalls: [code5]
    sources: [seed:001]
  - id: g-archiving
    title: Archive instant messages in Exchange
    side: sfb
    shell: sfbms
    optional: true
    what: Switch on archiving into Exchange mailboxes.
    why: It rides on the same trust.
    commands:
      - text: "Set-CsArchivingConfiguration -Identity global -EnableExchangeArchiving $True"
        changes: true
    verify:
      text: Archived conversations appear in a test mailbox.
      manual: true
    sources: [seed:001]
`

const guideChecks = `checks:
  - id: dns.autodiscover
    group: dns
    title: Autodiscover name resolves
    what: The autodiscover host resolves.
    sources: [seed:000]
  - id: bearer.ews
    group: bearer
    title: EWS trusts the pool
    what: An empty Bearer token to EWS gets a challenge listing the pool.
    depends_on: [dns.autodiscover]
    pitfalls: [iisreset]
    sources: [seed:000]
  - id: ps.exchange.partnerapp
    group: powershell
    title: Exchange trusts the pool
    what: Get-PartnerApplication lists the pool.
    credentials: true
    sources: [seed:000]
`

func guideBase(t testing.TB) *knowledge.Base {
	t.Helper()
	fsys := fstest.MapFS{}
	for k, v := range fixtureFS {
		fsys[k] = v
	}
	fsys["topologies/onprem.yaml"] = &fstest.MapFile{Data: []byte(guideTopology)}
	fsys["checks.yaml"] = &fstest.MapFile{Data: []byte(guideChecks)}
	b, err := knowledge.LoadFS(fsys)
	if err != nil {
		t.Fatalf("guide fixture base does not load: %v", err)
	}
	return b
}

// fakeLab is the world the guide tests act on: EWS trusts the pool once
// iisreset ran.
type fakeLab struct {
	iisreset atomic.Bool
	mu       sync.Mutex
	ran      []string // commands the runner ran, with the confirmation typed
	exitCode int      // what every command ends with (0: success)
	stdout   string   // what every command prints, when set
}

func (f *fakeLab) registry() *engine.Registry {
	r := engine.NewRegistry()
	r.Register("dns.autodiscover", fixedCheck(engine.StatusPass, "autodiscover.contoso.com resolves to 10.0.0.10"))
	r.Register("bearer.ews", func(context.Context, *engine.Env) engine.Result {
		if f.iisreset.Load() {
			return engine.Result{Status: engine.StatusPass, Summary: "EWS lists the pool in trusted_issuers"}
		}
		return engine.Result{Status: engine.StatusFail, Summary: "EWS does not list the pool in trusted_issuers",
			Evidence: []engine.Evidence{{Label: "trusted_issuers", Value: "(empty)"}}, Pitfalls: []string{"iisreset"}}
	})
	r.Register("ps.exchange.partnerapp", fixedCheck(engine.StatusPass, "never planned: needs credentials"))
	return r
}

func fixedCheck(st engine.Status, summary string) engine.CheckFunc {
	return func(context.Context, *engine.Env) engine.Result { return engine.Result{Status: st, Summary: summary} }
}

func (f *fakeLab) checkSource(t testing.TB, kb *knowledge.Base) *CheckSource {
	p := guideProfile(t)
	reg := f.registry()
	return &CheckSource{Label: "fake", Plan: func(ctx context.Context, _ *profile.Profile) (*engine.Plan, error) {
		return engine.NewPlan(kb, p, engine.PlanOptions{Registry: reg})
	}}
}

// runner runs commands in the fake world and records them. Changing
// commands need their confirmation word, as engine/execute demands.
func (f *fakeLab) runner() *CommandRunner {
	return &CommandRunner{
		Label: "the test lab",
		Prepare: func(req CommandRequest) (PendingCommand, error) {
			text := knowledge.MustRender(req.Command.Text, req.Vars)
			pc := PendingCommand{Text: text, Target: "exch01.contoso.com (test)", Changes: req.Command.Changes,
				Disruptive: req.Command.Disruptive}
			switch {
			case req.Command.Disruptive:
				pc.ConfirmWord = "exch01"
			case req.Command.Changes:
				pc.ConfirmWord = "yes"
			}
			return pc, nil
		},
		Run: func(_ context.Context, p PendingCommand, confirmation string) (CommandOutcome, error) {
			f.mu.Lock()
			f.ran = append(f.ran, p.Text+" <"+confirmation+">")
			f.mu.Unlock()
			if strings.HasPrefix(p.Text, "iisreset") {
				f.iisreset.Store(true)
			}
			if f.stdout != "" {
				return CommandOutcome{Stdout: f.stdout}, nil
			}
			if f.exitCode != 0 {
				return CommandOutcome{Stderr: "refused by the lab\n", ExitCode: f.exitCode}, nil
			}
			return CommandOutcome{Stdout: "Attempting stop...\nInternet services successfully restarted\n", Duration: 12 * time.Millisecond}, nil
		},
	}
}

func (f *fakeLab) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.ran...)
}

func guideProfile(t testing.TB) *profile.Profile {
	t.Helper()
	p, err := profile.Parse([]byte(`topology: onprem
domain: contoso.com
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

// guideEnv is one guide session under test.
type guideEnv struct {
	*driver
	lab   *fakeLab
	dir   string // progress directory
	pkey  string // progress key
	store *progress.Store
}

type guideOpt func(o *Options)

func withoutRunner(o *Options) { o.Guide.Runner = nil }
func readOnly(o *Options)      { o.ReadOnly = true }

// newGuideEnv builds a model with the Guide on a fake world; dir keeps
// the progress ("" = a fresh temp dir).
func newGuideEnv(t testing.TB, w, h int, dir string, opts ...guideOpt) *guideEnv {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	kb := guideBase(t)
	lab := &fakeLab{}
	const key = "lab:test"
	o := Options{
		Base: kb, Vars: knowledge.ExampleVars(), Theme: "dark", Output: io.Discard,
		EnvLabel:  "lab: test (onprem)",
		Clipboard: &TerminalClipboard{Out: &bytes.Buffer{}, Getenv: func(string) string { return "" }, GOOS: "linux"},
		Checks:    lab.checkSource(t, kb),
		Guide: &GuideSource{Topology: "onprem", ProgressKey: key, ProgressDir: dir,
			Runner: lab.runner(), User: "tester"},
	}
	for _, f := range opts {
		f(&o)
	}
	d := &driver{t: t, m: newModel(o, resolveOutput(o, false)), clip: &bytes.Buffer{}}
	d.m.expire = func(seq int) tea.Cmd { d.expired = append(d.expired, seq); return nil }
	if g, ok := d.m.screens[screenGuide].(*guide); ok {
		g.now = func() time.Time { return time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC) }
	}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	store, err := progress.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &guideEnv{driver: d, lab: lab, dir: dir, pkey: key, store: store}
}

func (e *guideEnv) guide() *guide { return e.m.screens[screenGuide].(*guide) }

// open goes Home → Guide → the preselected topology.
func (e *guideEnv) open() {
	e.key("w")
	e.key("enter")
}

// saved reads the progress file as another process would.
func (e *guideEnv) saved() *progress.Topology {
	e.t.Helper()
	p, err := e.store.Load(e.pkey)
	if err != nil {
		e.t.Fatalf("progress file: %v", err)
	}
	return p.Topology("onprem")
}

// status is the status bar's text.
func (e *guideEnv) status() string { return e.m.status }
