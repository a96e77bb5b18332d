package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/ucpilot/ucpilot/engine/profile"
)

// build makes the huh form over f.vals: one group per part of the YAML,
// every key of the profile file, each field keyed by its YAML path.
func (f *profileForm) build() {
	v := f.vals
	in := func(key, title, desc, example string, field *string) *huh.Input {
		placeholder := ""
		if example != "" {
			// "e.g." so that without colour it still reads as an example,
			// not as a value already filled in.
			placeholder = "e.g. " + example
		}
		return huh.NewInput().Key(key).Title(title).Description(desc).Placeholder(placeholder).
			Value(field).Validate(f.validator(key, field))
	}
	topo := huh.NewSelect[string]().Key("topology").Title("topology").
		Description("Where each side runs.").
		Options(
			huh.NewOption("onprem — Exchange Server and Skype for Business Server", profile.TopologyOnPrem),
			huh.NewOption("hybrid — Skype for Business Server and Exchange Online", profile.TopologyHybrid),
			huh.NewOption("sfbonline — Exchange Server and Skype for Business Online / Teams", profile.TopologySfBOnline),
		).Value(&v.Topology)
	insecure := huh.NewConfirm().Key("tls.insecure").Title("tls.insecure").
		Description("Turn certificate verification OFF? Then no check can tell the real server from anyone in the path; " +
			"every screen and report says so. Prefer tls.ca_file.").
		Affirmative("Yes, verification off").Negative("No").Value(&v.Insecure)
	groups := []*huh.Group{
		huh.NewGroup(topo,
			in("domain", "domain", "SIP / SMTP domain; also the OAuth realm.", "contoso.com", &v.Domain),
			in("tenant_id", "tenant_id", "Microsoft 365 tenant GUID (hybrid and online; may stay empty).", "5de110f8-2e0f-4d45-891d-bcf2218e253d", &v.TenantID),
		).Title("Environment (1 of 4)"),
		huh.NewGroup(
			in("exchange.fqdn", "exchange.fqdn", "One Exchange server's FQDN.", "exch01.contoso.com", &v.ExFQDN),
			in("exchange.autodiscover", "exchange.autodiscover", "Empty: autodiscover.<domain>.", "autodiscover.contoso.com", &v.ExAutodiscover),
			in("exchange.metadata_url", "exchange.metadata_url", "Empty: https://<autodiscover>/autodiscover/metadata/json/1.", "", &v.ExMetadataURL),
			in("exchange.ews_url", "exchange.ews_url", "Empty: https://<autodiscover>/EWS/Exchange.asmx.", "", &v.ExEWSURL),
		).Title("Exchange (2 of 4)"),
		huh.NewGroup(
			in("sfb.pool", "sfb.pool", "Front End pool FQDN.", "pool01.contoso.com", &v.SfBPool),
			in("sfb.web_external", "sfb.web_external", "External web services FQDN (the hybrid SPN).", "webext.contoso.com", &v.SfBWebExternal),
			in("sfb.metadata_url", "sfb.metadata_url", "Empty: https://<pool>/metadata/json/1.", "", &v.SfBMetadataURL),
		).Title("Skype for Business (3 of 4)"),
		huh.NewGroup(
			in("tls.ca_file", "tls.ca_file", "PEM file of extra trusted roots (relative to the profile's folder).", "", &v.CAFile),
			insecure,
			in("dns.server", "dns.server", "host:port of the DNS server to ask; empty: the system resolver.", "10.0.0.1:53", &v.DNSServer),
		).Title("TLS and DNS (4 of 4)"),
	}
	km := huh.NewDefaultKeyMap()
	// ctrl+c quits the app (the root has it); esc leaves the form.
	km.Quit = key.NewBinding(key.WithDisabled())
	km.Input.Prev.SetHelp("shift+tab", "previous field")
	km.Input.Next.SetHelp("enter", "next field")
	km.Select.Prev.SetHelp("shift+tab", "previous field")
	km.Select.Next.SetHelp("enter", "choose")
	km.Confirm.Prev.SetHelp("shift+tab", "previous field")
	f.form = huh.NewForm(groups...).
		WithTheme(formTheme(f.c.Styles)).
		WithKeyMap(km).
		WithShowHelp(false).
		WithShowErrors(false). // the live line under the header says it first
		// Accessible mode only changes huh's own Run (line prompts); an
		// embedded form is drawn by the app, which is plain text then.
		WithAccessible(f.accessible)
	f.sizeForm()
}

// formTheme draws the form with the app's styles (and so its renderer and
// colour profile): nothing new to learn, and plain text under NO_COLOR.
func formTheme(s *Styles) *huh.Theme {
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
	fs.SelectSelector = s.PaneFocused.SetString(glyphCursor + " ")
	fs.Option = plain
	fs.NextIndicator = s.PaneFocused.MarginLeft(1).SetString("→")
	fs.PrevIndicator = s.PaneFocused.MarginRight(1).SetString("←")
	fs.Directory, fs.File = plain, plain
	fs.MultiSelectSelector = s.PaneFocused.SetString(glyphCursor + " ")
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
	t.Blurred.SelectSelector = plain.SetString(glyphCursor + " ") // the choice shows when the focus has moved on
	t.Blurred.MultiSelectSelector = plain.SetString("  ")
	t.Help = help.Styles{ShortKey: s.HelpKey, ShortDesc: s.HelpDesc, ShortSeparator: s.HelpSep,
		FullKey: s.HelpKey, FullDesc: s.HelpDesc, FullSeparator: s.HelpSep, Ellipsis: s.HelpSep}
	return &t
}
