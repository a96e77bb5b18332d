package tui

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/knowledge"
)

// fixtureFS is a small fixed knowledge base so golden files do not churn
// while the real data grows. It has one of each kind of entry and the
// labels the UI must show (not OAuth, unverified, disruptive).
var fixtureFS = fstest.MapFS{
	"sources/seeds.yaml": {Data: []byte(`- ref: seed:000
  title: Example source article
  url: https://example.com/article
- ref: seed:001
  title: Second example article
  url: https://example.com/second
`)},
	"pitfalls/code5.yaml": {Data: []byte(`id: code5
title: "Test-CsExStorageConnectivity: ExCreateItem exchange operations failed, code=5"
symptoms:
  - "ExCreateItem exchange operations failed, code=5"
cause: The account running the test lacks rights to write the test item.
fix: Add the admin account to RTCUniversalUserAdmins, sign out and in, and test again.
commands:
  - text: "whoami /groups | findstr /i RTCUniversalUserAdmins"
    changes: false
    shell: cmd
  - text: "Test-CsExStorageConnectivity -SipUri \"{{.TestSipURI}}\" -Verbose"
    changes: false
    shell: sfbms
not_oauth: true
related: [iisreset]
sources: [seed:000]
`)},
	"pitfalls/iisreset.yaml": {Data: []byte(`id: iisreset
title: No iisreset after the partner application script
symptoms:
  - "Exchange still rejects the pool's tokens after Configure-EnterprisePartnerApplication.ps1"
cause: IIS keeps the old trust configuration cached until the application pools restart.
fix: Restart IIS on every Exchange server that answers EWS.
commands:
  - text: "iisreset /noforce"
    changes: true
    disruptive: true
    shell: cmd
confidence: unverified
sources: [seed:001]
`)},
	"topologies/onprem.yaml": {Data: []byte(`id: onprem
title: Exchange Server and Skype for Business Server, both on premises
summary: Each server trusts the other as a partner application.
sources: [seed:001]
steps:
  - id: onprem-exchange-partnerapp
    title: Make Skype for Business a partner application of Exchange
    side: exchange
    shell: ems
    what: Run the script that ships with Exchange, pointing it at the pool's metadata document.
    why: Exchange accepts tokens only from issuers it has a partner application for.
    commands:
      - text: "& $exscripts\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl '{{.SfBMetadataURL}}' -ApplicationType Lync"
        changes: true
      - text: "iisreset /noforce"
        changes: true
        disruptive: true
        shell: cmd
    verify:
      text: The partner application is listed and enabled.
      commands:
        - text: Get-PartnerApplication Lync* | Format-List Name,Enabled,AuthMetadataUrl
    pitfalls: [iisreset]
    sources: [seed:001]
  - id: onprem-sfb-partnerapp
    title: Make Exchange a partner application of Skype for Business
    side: sfb
    shell: sfbms
    what: Create the partner application from Exchange's metadata document.
    why: The pool accepts tokens only from issuers it trusts.
    commands:
      - text: "New-CsPartnerApplication -Identity Exchange -ApplicationTrustLevel Full -MetadataUrl '{{.ExchangeMetadataURL}}'"
        changes: true
    verify:
      text: Get-CsPartnerApplication shows Exchange with trust level Full.
    sources: [seed:001]
`)},
	"topologies/hybrid.yaml": {Data: []byte(`id: hybrid
title: Skype for Business Server with Exchange Online
summary: The pool trusts Microsoft Entra as its OAuth server.
sources: [seed:004]
steps:
  - id: hybrid-oauthserver
    title: Add the microsoft.sts OAuth server
    side: sfb
    shell: sfbms
    what: Point the pool at the tenant's metadata document.
    why: Tokens for Exchange Online come from Entra.
    commands:
      - text: "New-CsOAuthServer microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/{{.TenantID}}/metadata/json/1'"
        changes: true
    verify:
      text: Get-CsOAuthServer lists microsoft.sts.
    sources: [seed:004]
`)},
	"identifiers.yaml": {Data: []byte(`identifiers:
  - id: appid-exchange
    kind: appid
    name: Exchange
    value: 00000002-0000-0ff1-ce00-000000000000
    product: Exchange Server and Exchange Online
    where: Get-AuthConfig ServiceName; the serviceName of Exchange's metadata document
    typos:
      - value: 00000002-000-0ff1-ce00-000000000000
        note: the second group has three zeros instead of four
        source: seed:000
    sources: [seed:000]
  - id: appid-sfb
    kind: appid
    name: Lync / Skype for Business
    value: 00000004-0000-0ff1-ce00-000000000000
    product: Lync Server, Skype for Business Server and Online
    where: Set-CsOAuthConfiguration -ServiceName
    sources: [seed:000]
`)},
	"cmdlets.yaml": {Data: []byte(`cmdlets:
  - name: Get-PartnerApplication
    shell: ems
    changes: false
    does: Lists the partner applications Exchange trusts.
    example: Get-PartnerApplication Lync* | Format-List
    fields:
      - name: Enabled
        healthy: "True"
    sources: [seed:000]
`)},
	"checks.yaml": {Data: []byte("checks: []\n")},
}

func fixtureBase(t testing.TB) *knowledge.Base {
	t.Helper()
	b, err := knowledge.LoadFS(fixtureFS)
	if err != nil {
		t.Fatalf("fixture knowledge base does not load: %v", err)
	}
	return b
}

// driver runs the root model without a terminal: it sends messages, runs
// the returned commands synchronously and feeds their messages back.
type driver struct {
	t       testing.TB
	m       *model
	clip    *bytes.Buffer // OSC 52 bytes written by copies
	quit    bool
	expired []int // status seqs whose expiry was scheduled
}

func newDriver(t testing.TB, base *knowledge.Base, w, h int) *driver {
	t.Helper()
	clip := &bytes.Buffer{}
	o := Options{
		Base: base, Vars: knowledge.ExampleVars(), Theme: "dark", Output: io.Discard,
		EnvLabel:  "no profile — example names (contoso.com)",
		Clipboard: &TerminalClipboard{Out: clip, Getenv: func(string) string { return "" }, GOOS: "linux"},
	}
	d := &driver{t: t, m: newModel(o, resolveOutput(o, false)), clip: clip}
	d.m.expire = func(seq int) tea.Cmd { d.expired = append(d.expired, seq); return nil }
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

func (d *driver) send(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

// run executes cmd and its follow-ups. The only timer, the status expiry,
// is swapped out in newDriver, so nothing here sleeps.
func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && strings.HasSuffix(v.Type().String(), "sequenceMsg") {
		for i := 0; i < v.Len(); i++ { // tea.Sequence: in order
			if c, ok := v.Index(i).Interface().(tea.Cmd); ok {
				d.run(c)
			}
		}
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		d.send(msg)
	}
}

// key sends one key by name ("esc", "enter", "tab", "up", "ctrl+c") or as
// runes.
func (d *driver) key(name string) { d.send(keyMsg(name)) }

// typeText types s one rune at a time, as a user would.
func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(name string) tea.KeyMsg {
	types := map[string]tea.KeyType{
		"esc": tea.KeyEscape, "enter": tea.KeyEnter, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"ctrl+c": tea.KeyCtrlC, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "backspace": tea.KeyBackspace,
	}
	if t, ok := types[name]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// screen is the current view without escape codes.
func (d *driver) screen() string { return ansi.Strip(d.m.View()) }

func (d *driver) mustShow(want ...string) {
	d.t.Helper()
	s := d.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			d.t.Fatalf("screen does not show %q:\n%s", w, s)
		}
	}
}

func (d *driver) mustNotShow(unwanted string) {
	d.t.Helper()
	if s := d.screen(); strings.Contains(s, unwanted) {
		d.t.Fatalf("screen shows %q but should not:\n%s", unwanted, s)
	}
}

// hitsFor builds search hits for pitfall ids, so view tests do not depend
// on the ranking of the search index, which other work is changing.
func hitsFor(b *knowledge.Base, ids ...string) []knowledge.Hit {
	var out []knowledge.Hit
	for _, id := range ids {
		p := b.Pitfall(id)
		out = append(out, knowledge.Hit{Kind: knowledge.KindPitfall, ID: p.ID, Title: p.Title, Score: 1, Pitfall: p})
	}
	return out
}

// forceHits replaces whatever the index answered with hits for the current
// query.
func (d *driver) forceHits(hits []knowledge.Hit) {
	tr := d.m.troubleshoot()
	d.send(searchResultMsg{seq: tr.seq, query: tr.query, hits: hits})
}
