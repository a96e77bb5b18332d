// Package profileform is the environment profile's form: inside the app
// (a screen), on its own (`profile edit`), and as line-by-line prompts for
// screen readers. Every field is checked with profile.Validate's rules.
package profileform

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/x/ansi"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/tui/components"
	"github.com/ucpilot/ucpilot/tui/styles"
)

// SavedMsg reports the outcome of saving the profile; the root routes it
// back to the form.
type SavedMsg struct {
	path string
	p    *profile.Profile
	err  error
}

// profileValues are the form's fields, bound to the huh inputs. Text is
// kept as typed; candidate trims it.
type profileValues struct {
	Topology, Domain, TenantID, TestSipURI          string
	ExFQDN, ExAutodiscover, ExMetadataURL, ExEWSURL string
	SfBPool, SfBWebExternal, SfBMetadataURL         string
	CAFile, DNSServer                               string
	Insecure                                        bool
}

// Form edits the environment profile with a huh form embedded in
// the app. Every field is checked as it is typed with the same rules as
// profile.Validate (the problem for the focused key shows under the form),
// and a field with a problem cannot be left with enter or tab.
type Form struct {
	d          Deps
	path       string
	accessible bool
	standalone bool // run by `profile edit`, not inside the app: ctrl+c leaves it

	form   *huh.Form
	vals   *profileValues
	base   profile.Profile // the profile the form started from (keeps keys the form does not show)
	notice string          // why the last submit was not saved
	saving bool
	start  profileValues // the values the form opened with: what counts as an edit
	// leaving is set by an esc over unsaved edits: a second esc leaves.
	leaving bool
	width   int
	height  int
}

// Deps is what the form needs from the app, passed in explicitly.
type Deps struct {
	Styles *styles.Styles
	Back   *key.Binding // leaves the form (esc)
	// Profile is the session's profile now (nil when none exists yet).
	Profile func() *profile.Profile
	// Saved tells the app the profile was saved (on the UI goroutine).
	Saved func(path string, p *profile.Profile)
	// Status puts a line in the status bar.
	Status func(text string, isError bool) tea.Cmd
	// Leave asks the app to go back one screen.
	Leave tea.Cmd
}

// New is the form as a screen of the app, saving to path.
func New(d Deps, path string, accessible bool) *Form {
	f := &Form{d: d, path: path, accessible: accessible}
	f.reset()
	return f
}

func (f *Form) Title() string { return "Environment profile" }

// Capturing: the form has the keys (letters are text); esc leaves it.
func (f *Form) Capturing() bool { return true }

// Activate starts a fresh form from the session's current profile, so
// leaving with esc discards the edits.
func (f *Form) Activate() tea.Cmd {
	f.reset()
	f.notice = ""
	return f.form.Init()
}

// reset builds the form from the current profile.
func (f *Form) reset() {
	f.base = profile.Profile{Topology: profile.TopologyOnPrem}
	if p := f.current(); p != nil {
		f.base = *p
	}
	// A relative tls.ca_file is read next to the file it is saved in.
	f.base.SetDir(filepath.Dir(f.path))
	f.vals = valuesOf(&f.base)
	f.start, f.leaving = *f.vals, false
	f.build()
}

func valuesOf(p *profile.Profile) *profileValues {
	v := &profileValues{
		Topology: p.Topology, Domain: p.Domain, TenantID: p.TenantID, TestSipURI: p.TestSipURI,
		ExFQDN: p.Exchange.FQDN, ExAutodiscover: p.Exchange.Autodiscover,
		ExMetadataURL: p.Exchange.MetadataURL, ExEWSURL: p.Exchange.EWSURL,
		SfBPool: p.SfB.Pool, SfBWebExternal: p.SfB.WebExternal, SfBMetadataURL: p.SfB.MetadataURL,
		CAFile: p.TLS.CAFile, Insecure: p.TLS.Insecure, DNSServer: p.DNS.Server,
	}
	if !validTopologyValue(v.Topology) {
		v.Topology = profile.TopologyOnPrem
	}
	return v
}

func validTopologyValue(t string) bool {
	for _, v := range profile.Topologies() {
		if v == t {
			return true
		}
	}
	return false
}

// candidate is the profile the form holds now: the starting profile with
// the fields replaced by what is typed.
func (f *Form) candidate() *profile.Profile {
	v, p := f.vals, f.base
	t := strings.TrimSpace
	p.Topology, p.Domain, p.TenantID, p.TestSipURI = t(v.Topology), t(v.Domain), t(v.TenantID), t(v.TestSipURI)
	p.Exchange = profile.Exchange{FQDN: t(v.ExFQDN), Autodiscover: t(v.ExAutodiscover),
		MetadataURL: t(v.ExMetadataURL), EWSURL: t(v.ExEWSURL)}
	p.SfB = profile.SfB{Pool: t(v.SfBPool), WebExternal: t(v.SfBWebExternal), MetadataURL: t(v.SfBMetadataURL)}
	p.TLS = profile.TLS{CAFile: t(v.CAFile), Insecure: v.Insecure}
	p.DNS = profile.DNS{Server: t(v.DNSServer)}
	return &p
}

// problemFor validates the candidate and returns the problem of one key,
// or nil. Validate is the single source of the rules.
func problemFor(p *profile.Profile, key string) error {
	var ps profile.Problems
	if err := p.Validate(); errors.As(err, &ps) {
		for _, pr := range ps {
			if pr.Key == key {
				return pr
			}
		}
	}
	return nil
}

// validator checks a text field as huh sees it (the value about to be
// accepted), with the other fields as they stand.
func (f *Form) validator(key string, field *string) func(string) error {
	return func(s string) error {
		old := *field
		*field = s
		defer func() { *field = old }()
		return problemFor(f.candidate(), key)
	}
}

// leaveNotice asks for a second esc before edits are dropped.
const leaveNotice = "unsaved changes: esc again leaves without saving them, any other key goes on"

func (f *Form) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case SavedMsg:
		return f.handleSaved(msg)
	case cursor.BlinkMsg:
		// The cursor stays still: a blink redraws twice a second forever,
		// which is noise over a slow SSH link (as in Troubleshoot).
		return nil
	case tea.KeyMsg:
		if key.Matches(msg, *f.d.Back) {
			if *f.vals != f.start && !f.leaving {
				// What was typed is not thrown away on one key.
				f.leaving, f.notice = true, leaveNotice
				return nil
			}
			return f.d.Leave
		}
		if f.leaving {
			f.leaving = false
			if f.notice == leaveNotice {
				f.notice = ""
			}
		}
	}
	if f.saving || f.form.State != huh.StateNormal {
		return nil
	}
	m, cmd := f.form.Update(msg)
	if form, ok := m.(*huh.Form); ok {
		f.form = form
	}
	if f.form.State == huh.StateCompleted {
		return f.submit()
	}
	return cmd
}

// submit validates the whole profile (a later field can make an earlier
// one wrong: the topology decides what is required) and saves it off the
// UI goroutine.
func (f *Form) submit() tea.Cmd {
	p := f.candidate()
	if err := p.Validate(); err != nil {
		f.notice = "not saved: " + strings.ReplaceAll(err.Error(), "\n  ", "; ")
		f.build() // a completed huh form cannot be resumed; the values stay
		return f.form.Init()
	}
	f.saving = true
	path := f.path
	return func() tea.Msg { return SavedMsg{path: path, p: p, err: p.Save(path)} }
}

func (f *Form) handleSaved(msg SavedMsg) tea.Cmd {
	f.saving = false
	if msg.err != nil {
		f.notice = "not saved: " + msg.err.Error()
		f.build()
		return tea.Batch(f.form.Init(), f.d.Status("profile not saved: "+msg.err.Error(), true))
	}
	if f.d.Saved != nil {
		f.d.Saved(msg.path, msg.p)
	}
	return tea.Batch(f.d.Status("profile saved to "+msg.path+"; commands now use its names", false), f.d.Leave)
}

// liveProblem is the problem of the focused field as it stands now.
func (f *Form) liveProblem() (string, error) {
	field := f.form.GetFocusedField()
	if field == nil {
		return "", nil
	}
	k := field.GetKey()
	return k, problemFor(f.candidate(), k)
}

func (f *Form) SetSize(w, h int) {
	f.width, f.height = w, h
	f.sizeForm()
}

func (f *Form) sizeForm() {
	if f.width == 0 {
		return
	}
	f.form = f.form.WithWidth(max(f.width-2, 20)).WithHeight(max(f.height-f.headHeight(), 5))
}

// headHeight is the lines above and below the form: the save path, the
// live check of the focused field, and a notice after a failed save.
func (f *Form) headHeight() int { return 4 }

func (f *Form) View() string {
	s := f.d.Styles
	lines := []string{
		components.FitLine(" "+s.Label.Render("Saves to")+" "+f.path+s.Faint.Render(" · esc leaves without saving"), f.width),
	}
	if f.notice != "" {
		lines = append(lines, components.FitLine(" "+s.StatusError.Render("! "+f.notice), f.width))
	} else {
		lines = append(lines, "")
	}
	var live string
	switch k, err := f.liveProblem(); {
	case f.saving:
		live = s.Faint.Render("saving…")
	case err != nil:
		live = s.StatusError.Render("✗ " + err.Error())
	case k != "":
		live = s.StatusOK.Render("✓ " + k + " is valid")
	}
	// The problem gets two lines: it names the key, the value and what is
	// expected, and the last part is the useful one.
	wrapped := strings.Split(ansi.Wrap(live, max(f.width-2, 10), ""), "\n")
	for i := 0; i < 2; i++ {
		ln := ""
		if i < len(wrapped) {
			ln = " " + wrapped[i]
		}
		lines = append(lines, components.FitLine(ln, f.width))
	}
	return strings.Join(lines, "\n") + "\n" + indentBlock(f.form.View(), 1)
}

func indentBlock(s string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(s, "\n")
	for i, ln := range lines {
		lines[i] = pad + ln
	}
	return strings.Join(lines, "\n")
}

func (f *Form) EnableKeys() { f.d.Back.SetEnabled(true) }

// current is the profile the form starts from.
func (f *Form) current() *profile.Profile {
	if f.d.Profile == nil {
		return nil
	}
	return f.d.Profile()
}

// FocusedKey is the profile key of the focused field ("" when none).
func (f *Form) FocusedKey() string {
	if fl := f.form.GetFocusedField(); fl != nil {
		return fl.GetKey()
	}
	return ""
}

func (f *Form) ShortHelp() []key.Binding {
	return f.form.KeyBinds() // the root adds esc (Back, enabled here)
}

func (f *Form) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }
