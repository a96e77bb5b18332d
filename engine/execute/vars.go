package execute

import (
	"fmt"
	"reflect"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// varKinds says how each template variable is validated before it may be
// pasted into a command that runs.
var varKinds = map[string]func(string) error{
	"Domain": shell.ValidateHostname, "TenantDomain": shell.ValidateHostname, "ExchangeFQDN": shell.ValidateHostname,
	"ExchangeServer": shell.ValidateHostname, "Autodiscover": shell.ValidateHostname, "SfBPool": shell.ValidateHostname,
	"SfBWebExternal": shell.ValidateHostname, "DomainController": shell.ValidateHostname,
	"ExchangeMetadataURL": validateURL, "AutodiscoverSvcURL": validateURL, "EWSURL": validateURL, "SfBMetadataURL": validateURL,
	"TenantID": shell.ValidateGUID, "TestSipURI": validateSIP,
}

func validateSIP(u string) error {
	if err := shell.ValidateSIPURI(u); err != nil {
		return err
	}
	return noCode("SIP URI", u)
}

// validateURL adds to shell.ValidateURL the characters that would end a
// quoted PowerShell string or start code.
func validateURL(u string) error {
	if err := shell.ValidateURL(u); err != nil {
		return err
	}
	return noCode("URL", u)
}

// noCode rejects the characters that end a quoted PowerShell string or
// start code, which some validators allow in otherwise valid values.
func noCode(kind, u string) error {
	for _, bad := range []rune{'\'', '"', '`', '$', ';', '\u2018', '\u2019', '\u201c', '\u201d'} {
		for _, r := range u {
			if r == bad {
				return &shell.ValueError{Kind: kind, Value: u, Reason: fmt.Sprintf("it contains %q", bad)}
			}
		}
	}
	return nil
}

// Render fills a command template, refusing when a variable it uses holds
// a value that is not a valid name of its kind (an unset profile key shows
// as a placeholder such as <tenant id> and is refused too).
func Render(text string, vars knowledge.Vars) (string, error) {
	fields, err := knowledge.TemplateFields(text)
	if err != nil {
		return "", fmt.Errorf("the command template does not parse: %w", err)
	}
	v := reflect.ValueOf(vars)
	for _, f := range fields {
		check, ok := varKinds[f]
		fv := v.FieldByName(f)
		if !ok || !fv.IsValid() {
			return "", fmt.Errorf("the command uses {{.%s}}, which ucpilot cannot validate", f)
		}
		if err := check(fv.String()); err != nil {
			return "", fmt.Errorf("{{.%s}}: %w (fix the profile value before running this)", f, err)
		}
	}
	return knowledge.Render(text, vars)
}
