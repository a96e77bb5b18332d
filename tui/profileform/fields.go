package profileform

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/tui/styles"
)

// formSpec is one text field of the profile form: its YAML key (also its
// title), what it is for, an example, and where the answer goes. The
// full-screen form and the accessible prompts are both built from
// formGroups, so they ask the same questions with the same words.
type formSpec struct {
	key, desc, example string
	val                func(*profileValues) *string
}

// formGroup is one page of the form; topology and tls.insecure are the
// two keys that are not text (a choice and a yes/no).
type formGroup struct {
	title string
	keys  []formSpec
}

const (
	keyTopology = "topology"
	keyInsecure = "tls.insecure"
	descTopo    = "Where each side runs."
	descInsec   = "Turn certificate verification OFF? Then no check can tell the real server from anyone in the path; " +
		"every screen and report says so. Prefer tls.ca_file."
)

// topologyChoices are the topology options, in the order they are offered.
var topologyChoices = []struct{ value, label string }{
	{profile.TopologyOnPrem, "onprem — Exchange Server and Skype for Business Server"},
	{profile.TopologyHybrid, "hybrid — Skype for Business Server and Exchange Online"},
	{profile.TopologySfBOnline, "sfbonline — Exchange Server and Skype for Business Online / Teams"},
}

var formGroups = []formGroup{
	{"Environment (1 of 4)", []formSpec{
		{keyTopology, descTopo, "", nil},
		{"domain", "SIP / SMTP domain; also the OAuth realm.", "contoso.com", func(v *profileValues) *string { return &v.Domain }},
		{"tenant_id", "Microsoft 365 tenant GUID (hybrid and online; may stay empty).", "5de110f8-2e0f-4d45-891d-bcf2218e253d", func(v *profileValues) *string { return &v.TenantID }},
		{"test_sip_uri", "A SIP user for Test-CsExStorageConnectivity (may stay empty).", "sip:user@contoso.com", func(v *profileValues) *string { return &v.TestSipURI }},
	}},
	{"Exchange (2 of 4)", []formSpec{
		{"exchange.fqdn", "One Exchange server's FQDN.", "exch01.contoso.com", func(v *profileValues) *string { return &v.ExFQDN }},
		{"exchange.autodiscover", "Empty: autodiscover.<domain>.", "autodiscover.contoso.com", func(v *profileValues) *string { return &v.ExAutodiscover }},
		{"exchange.metadata_url", "Empty: https://<autodiscover>/autodiscover/metadata/json/1.", "", func(v *profileValues) *string { return &v.ExMetadataURL }},
		{"exchange.ews_url", "Empty: https://<autodiscover>/EWS/Exchange.asmx.", "", func(v *profileValues) *string { return &v.ExEWSURL }},
	}},
	{"Skype for Business (3 of 4)", []formSpec{
		{"sfb.pool", "Front End pool FQDN.", "pool01.contoso.com", func(v *profileValues) *string { return &v.SfBPool }},
		{"sfb.web_external", "External web services FQDN (the hybrid SPN).", "webext.contoso.com", func(v *profileValues) *string { return &v.SfBWebExternal }},
		{"sfb.metadata_url", "Empty: https://<pool>/metadata/json/1.", "", func(v *profileValues) *string { return &v.SfBMetadataURL }},
	}},
	{"TLS and DNS (4 of 4)", []formSpec{
		{"tls.ca_file", "PEM file of extra trusted roots (relative to the profile's folder).", "", func(v *profileValues) *string { return &v.CAFile }},
		{keyInsecure, descInsec, "", nil},
		{"dns.server", "host:port of the DNS server to ask; empty: the system resolver.", "10.0.0.1:53", func(v *profileValues) *string { return &v.DNSServer }},
	}},
}

// build makes the huh form over f.vals: one group per part of the YAML,
// every key of the profile file, each field keyed by its YAML path.
func (f *Form) build() {
	v := f.vals
	var groups []*huh.Group
	for _, g := range formGroups {
		var fields []huh.Field
		for _, spec := range g.keys {
			switch spec.key {
			case keyTopology:
				opts := make([]huh.Option[string], len(topologyChoices))
				for i, c := range topologyChoices {
					opts[i] = huh.NewOption(c.label, c.value)
				}
				fields = append(fields, huh.NewSelect[string]().Key(keyTopology).Title(keyTopology).
					Description(descTopo).Options(opts...).Value(&v.Topology))
			case keyInsecure:
				fields = append(fields, huh.NewConfirm().Key(keyInsecure).Title(keyInsecure).
					Description(descInsec).Affirmative("Yes, verification off").Negative("No").Value(&v.Insecure))
			default:
				placeholder := ""
				if spec.example != "" {
					// "e.g." so that without colour it still reads as an
					// example, not as a value already filled in.
					placeholder = "e.g. " + spec.example
				}
				field := spec.val(v)
				fields = append(fields, huh.NewInput().Key(spec.key).Title(spec.key).Description(spec.desc).
					Placeholder(placeholder).Value(field).Validate(f.validator(spec.key, field)))
			}
		}
		groups = append(groups, huh.NewGroup(fields...).Title(g.title))
	}
	km := huh.NewDefaultKeyMap()
	if !f.standalone {
		// ctrl+c quits the app (the root has it); esc leaves the form.
		km.Quit = key.NewBinding(key.WithDisabled())
	}
	km.Input.Prev.SetHelp("shift+tab", "previous field")
	km.Input.Next.SetHelp("enter", "next field")
	km.Select.Prev.SetHelp("shift+tab", "previous field")
	km.Select.Next.SetHelp("enter", "choose")
	km.Confirm.Prev.SetHelp("shift+tab", "previous field")
	f.form = huh.NewForm(groups...).
		WithTheme(formTheme(f.d.Styles)).
		WithKeyMap(km).
		WithShowHelp(f.standalone).
		WithShowErrors(f.standalone). // in the app, the live line under the header says it first
		WithAccessible(f.accessible)
	f.sizeForm()
}

// formTheme draws the form with the app's styles (and so its renderer and
// colour profile): nothing new to learn, and plain text under NO_COLOR.
func formTheme(s *styles.Styles) *huh.Theme {
	plain := s.Plain
	var t huh.Theme
	t.Form.Base = plain
	t.Group.Base = plain
	t.Group.Title = s.Section
	t.Group.Description = s.Faint
	t.FieldSeparator = plain.SetString("\n\n")

	fs := &t.Focused
	fs.Base = plain.PaddingLeft(1).BorderStyle(lipgloss.ThickBorder()).BorderLeft(true).BorderForeground(s.PaneFocused.GetForeground())
	fs.Card = fs.Base
	fs.Title = s.PaneFocused
	fs.NoteTitle = s.PaneFocused
	fs.Description = s.Faint
	fs.ErrorIndicator = s.StatusError.SetString(" ✗")
	fs.ErrorMessage = s.StatusError
	fs.SelectSelector = s.PaneFocused.SetString(styles.GlyphCursor + " ")
	fs.Option = plain
	fs.NextIndicator = s.PaneFocused.MarginLeft(1).SetString("→")
	fs.PrevIndicator = s.PaneFocused.MarginRight(1).SetString("←")
	fs.Directory, fs.File = plain, plain
	fs.MultiSelectSelector = s.PaneFocused.SetString(styles.GlyphCursor + " ")
	fs.SelectedOption = s.Label
	fs.SelectedPrefix = plain.SetString("[x] ")
	fs.UnselectedOption = plain
	fs.UnselectedPrefix = plain.SetString("[ ] ")
	fs.TextInput = huh.TextInputStyles{Cursor: s.Selected, CursorText: plain, Placeholder: s.Faint, Prompt: s.PaneFocused, Text: plain}
	// The chosen button is bracketed, so the choice reads without colour.
	fs.FocusedButton = s.Selected.Transform(func(b string) string { return "[" + b + "]" }).MarginRight(1)
	fs.BlurredButton = plain.Transform(func(b string) string { return " " + b + " " }).MarginRight(1)
	fs.Next = fs.FocusedButton

	t.Blurred = t.Focused
	t.Blurred.Base = plain.PaddingLeft(1).BorderStyle(lipgloss.HiddenBorder()).BorderLeft(true)
	t.Blurred.Card = t.Blurred.Base
	t.Blurred.Title = s.Label
	t.Blurred.NextIndicator = plain
	t.Blurred.PrevIndicator = plain
	t.Blurred.SelectSelector = plain.SetString(styles.GlyphCursor + " ") // the choice shows when the focus has moved on
	t.Blurred.MultiSelectSelector = plain.SetString("  ")
	t.Help = help.Styles{ShortKey: s.HelpKey, ShortDesc: s.HelpDesc, ShortSeparator: s.HelpSep,
		FullKey: s.HelpKey, FullDesc: s.HelpDesc, FullSeparator: s.HelpSep, Ellipsis: s.HelpSep}
	return &t
}
