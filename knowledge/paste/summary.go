package paste

import (
	"strings"

	"github.com/ucpilot/ucpilot/internal/safetext"
)

var articles = map[string]string{
	FormPowerShell:  "a ",
	FormEvent:       "an ",
	FormAADSTS:      "an ",
	FormStack:       "a ",
	FormException:   "a ",
	FormJWT:         "a ",
	FormDiagnostics: "an ",
	FormOAuthTest:   "a ",
}

// Summary says in one line what was recognized, for above the results:
// "recognized: a PowerShell error record from Test-CsExStorageConnectivity
// · x-ms-diagnostics code, reason and category". Plain text gives "".
func (r Result) Summary() string {
	if len(r.Forms) == 0 {
		return ""
	}
	forms := make([]string, 0, len(r.Forms))
	for _, f := range r.Forms {
		forms = append(forms, articles[f]+f)
	}
	var b strings.Builder
	b.WriteString("recognized: ")
	b.WriteString(andList(forms))
	if r.Source != "" {
		b.WriteString(" from ")
		b.WriteString(r.Source)
	}
	for _, part := range r.details() {
		b.WriteString(" · ")
		b.WriteString(part)
	}
	return safetext.Line(b.String(), safetext.MaxLine)
}

// details names what was pulled out, group by group.
func (r Result) details() []string {
	var out []string
	if r.Field("x-ms-diagnostics code") != "" {
		ws := []string{"x-ms-diagnostics code"}
		if r.Field("reason") != "" {
			ws = append(ws, "reason")
		}
		if r.Field("category") != "" {
			ws = append(ws, "category")
		}
		out = append(out, andList(ws))
	} else if c := r.Field("category"); c != "" {
		out = append(out, "error category "+c)
	}
	var codes []string
	for _, c := range r.Codes {
		switch c.Kind {
		case KindDiagnostics:
			continue
		case KindEvent:
			codes = append(codes, "event "+c.Value)
		default:
			codes = append(codes, c.Value)
		}
	}
	if len(codes) > 0 {
		out = append(out, strings.Join(codes, ", "))
	}
	for _, f := range r.Fields {
		if f.Name != "exception" {
			continue
		}
		e := f.Value
		if i := strings.LastIndexByte(e, '.'); i >= 0 {
			e = e[i+1:]
		}
		if !genericException[e] {
			out = append(out, e)
			break
		}
	}
	if r.Field("FullyQualifiedErrorId") != "" {
		out = append(out, "FullyQualifiedErrorId")
	}
	if r.Field("bearer error") != "" || r.Field("trusted_issuers") != "" {
		out = append(out, "Bearer challenge")
	}
	if r.Token != nil {
		ws := []string{}
		if r.Token.Issuer != "" {
			ws = append(ws, "issuer")
		}
		if r.Token.Audience != "" {
			ws = append(ws, "audience")
		}
		if r.Token.Realm != "" {
			ws = append(ws, "realm")
		}
		if r.Token.ActorToken != nil {
			ws = append(ws, "actor token")
		}
		if len(ws) > 0 {
			out = append(out, "token "+andList(ws))
		}
	}
	return out
}

func (r Result) has(form string) bool {
	for _, f := range r.Forms {
		if f == form {
			return true
		}
	}
	return false
}

// andList joins words as prose: "a", "a and b", "a, b and c".
func andList(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}
