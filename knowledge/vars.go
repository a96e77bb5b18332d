package knowledge

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"text/template"
	"text/template/parse"
)

// Vars are the names of one environment that command templates may use, as
// {{.SfBPool}}. Every field is filled from the profile (the engine does
// that); ExampleVars gives the values shown when no profile is loaded. Adding a
// field here is how a new template variable becomes legal: the lint test
// rejects any other name.
type Vars struct {
	Domain              string // SIP / SMTP domain, also the OAuth realm: contoso.com
	TenantID            string // Entra / Microsoft 365 tenant id (GUID)
	TenantDomain        string // tenant's initial domain: contoso.onmicrosoft.com
	ExchangeFQDN        string // one Exchange server: exch01.contoso.com
	ExchangeServer      string // its short name: exch01
	Autodiscover        string // autodiscover host: autodiscover.contoso.com
	ExchangeMetadataURL string // https://autodiscover.contoso.com/autodiscover/metadata/json/1
	AutodiscoverSvcURL  string // https://autodiscover.contoso.com/autodiscover/autodiscover.svc
	EWSURL              string // https://autodiscover.contoso.com/EWS/Exchange.asmx
	SfBPool             string // Front End pool FQDN: pool01.contoso.com
	SfBWebExternal      string // pool's external web services FQDN: webext.contoso.com
	SfBMetadataURL      string // https://pool01.contoso.com/metadata/json/1
	TestSipURI          string // a user with a mailbox and SfB enabled: sip:user@contoso.com
	DomainController    string // a domain controller FQDN: dc01.contoso.com
}

// ExampleVars returns the documentation values (the Contoso names the
// articles use), so a command reads well before any profile exists.
func ExampleVars() Vars {
	return Vars{
		Domain:              "contoso.com",
		TenantID:            "00000000-0000-0000-0000-000000000000",
		TenantDomain:        "contoso.onmicrosoft.com",
		ExchangeFQDN:        "exch01.contoso.com",
		ExchangeServer:      "exch01",
		Autodiscover:        "autodiscover.contoso.com",
		ExchangeMetadataURL: "https://autodiscover.contoso.com/autodiscover/metadata/json/1",
		AutodiscoverSvcURL:  "https://autodiscover.contoso.com/autodiscover/autodiscover.svc",
		EWSURL:              "https://autodiscover.contoso.com/EWS/Exchange.asmx",
		SfBPool:             "pool01.contoso.com",
		SfBWebExternal:      "webext.contoso.com",
		SfBMetadataURL:      "https://pool01.contoso.com/metadata/json/1",
		TestSipURI:          "sip:user@contoso.com",
		DomainController:    "dc01.contoso.com",
	}
}

// VarNames lists the legal template variable names, sorted.
func VarNames() []string {
	t := reflect.TypeOf(Vars{})
	names := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		names = append(names, t.Field(i).Name)
	}
	sort.Strings(names)
	return names
}

// Render fills a command template with v. A template error is returned as is;
// the lint test guarantees shipped templates parse and name only known
// variables.
func Render(text string, v Vars) (string, error) {
	t, err := template.New("cmd").Option("missingkey=error").Parse(text)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}

// MustRender is Render for shipped templates, which lint has proven valid;
// on an error it returns the raw text so nothing is lost.
func MustRender(text string, v Vars) string {
	s, err := Render(text, v)
	if err != nil {
		return text
	}
	return s
}

// TemplateFields returns the variable names a template uses ({{.X}} → X).
func TemplateFields(text string) ([]string, error) {
	trees, err := parse.Parse("cmd", text, "{{", "}}")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, tr := range trees {
		walkFields(tr.Root, seen)
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

func walkFields(n parse.Node, seen map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkFields(c, seen)
		}
	case *parse.ActionNode:
		walkFields(n.Pipe, seen)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walkFields(c, seen)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walkFields(a, seen)
		}
	case *parse.FieldNode:
		seen[strings.Join(n.Ident, ".")] = true
	case *parse.IfNode:
		walkFields(n.Pipe, seen)
		walkFields(n.List, seen)
		walkFields(n.ElseList, seen)
	case *parse.RangeNode:
		walkFields(n.Pipe, seen)
		walkFields(n.List, seen)
		walkFields(n.ElseList, seen)
	case *parse.WithNode:
		walkFields(n.Pipe, seen)
		walkFields(n.List, seen)
		walkFields(n.ElseList, seen)
	}
}

// String is for debugging only.
func (v Vars) String() string { return fmt.Sprintf("Vars{Domain:%s}", v.Domain) }
