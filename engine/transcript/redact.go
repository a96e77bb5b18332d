package transcript

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/ucpilot/ucpilot/remote/shell"
)

// Redactor removes secrets from text before it is stored: every secret
// registered (each password revealed for a login) and the patterns that
// carry credentials whatever their value (Authorization headers,
// -Password / -Credential arguments, PSCredential constructions,
// ConvertTo-SecureString arguments). It is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string // longest first, so a secret containing another is removed whole
}

// NewRedactor returns a Redactor with no secrets registered.
func NewRedactor() *Redactor { return &Redactor{} }

// Register adds a secret. Its plain form and the forms it takes when
// quoted for PowerShell or escaped in JSON are all removed.
func (r *Redactor) Register(s shell.Secret) {
	if r == nil || s.IsZero() {
		return
	}
	v := s.Reveal()
	forms := []string{v, strings.ReplaceAll(v, "'", "''")}
	if b, err := json.Marshal(v); err == nil {
		forms = append(forms, strings.Trim(string(b), `"`))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range forms {
		if f != "" && !containsStr(r.secrets, f) {
			r.secrets = append(r.secrets, f)
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var credentialPatterns = []*regexp.Regexp{
	// Authorization: Bearer eyJ… / Basic dXNlcjpwYXNz / Negotiate TlRMTVNT…
	regexp.MustCompile(`(?i)(\bauthorization\s*[:=]\s*)(\S+(?:[ \t]+\S+)?)`),
	// -Password 'x', -Credential $c, -KeyPassphrase:"x", -AccessToken x
	regexp.MustCompile(`(?i)(-(?:password|credential|passphrase|keypassphrase|accesstoken|clientsecret|secret)\s*[:\s]\s*)("[^"]*"|'(?:[^']|'')*'|\S+)`),
	// ConvertTo-SecureString 'x' -AsPlainText / ConvertTo-SecureString -String "x"
	regexp.MustCompile(`(?i)(ConvertTo-SecureString\s+(?:-String\s+)?)("[^"]*"|'(?:[^']|'')*'|\S+)`),
	// New-Object System.Management.Automation.PSCredential('user', $pw) and [PSCredential]::new(…)
	regexp.MustCompile(`(?i)(PSCredential\S*\s*(?:-ArgumentList\s*)?\(?\s*[^,\n)]*,\s*)([^)\n]+)`),
	// password=… in URLs and connection strings
	regexp.MustCompile(`(?i)(\b(?:password|pwd)\s*=\s*)([^;&\s]+)`),
}

// Redact returns s with every registered secret and credential pattern
// replaced by shell.Redacted.
func (r *Redactor) Redact(s string) string {
	if s == "" {
		return s
	}
	if r != nil {
		r.mu.RLock()
		for _, sec := range r.secrets {
			s = strings.ReplaceAll(s, sec, shell.Redacted)
		}
		r.mu.RUnlock()
	}
	for _, re := range credentialPatterns {
		s = re.ReplaceAllString(s, "${1}"+shell.Redacted)
	}
	return s
}
