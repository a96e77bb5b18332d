package winrmshell

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/masterzen/winrm"

	"github.com/ucpilot/ucpilot/remote/winrmshell/wsfault"
)

// AuthError says the server refused the credentials (HTTP 401).
type AuthError struct {
	User, Host string
	Auth       Auth
	Err        error
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("WinRM: authentication failed for user %s on host %s (wrong password, or the account "+
		"lacks remote-management rights; %s was used — check that the listener allows it: "+
		"winrm get winrm/config/service/auth)", e.User, e.Host, e.Auth)
}

func (e *AuthError) Unwrap() error { return e.Err }

// FaultError is a WS-Management SOAP fault: the service understood the request and
// refused it (for example "The filename or extension is too long").
type FaultError struct {
	Host      string
	Subcode   string // e.g. "w:InternalError", "w:TimedOut"
	Reason    string
	WSManCode string // the WSManFault Code attribute, a Win32/HRESULT number
}

func (e *FaultError) Error() string {
	msg := fmt.Sprintf("WinRM: %s refused the request: %s", e.Host, e.Reason)
	if e.Subcode != "" || e.WSManCode != "" {
		msg += fmt.Sprintf(" [%s %s]", e.Subcode, e.WSManCode)
	}
	return msg
}

var statusRE = regexp.MustCompile(`(?:http response error|http error|request returned): (\d{3})`)

func (s *Shell) classify(err error) error {
	msg := err.Error()
	var ece *winrm.ExecuteCommandError
	if errors.As(err, &ece) {
		msg += "\n" + ece.Body // a fault answered with the command's reply carries its text here
	}
	if f, ok := wsfault.Parse(msg); ok {
		return &FaultError{Host: s.cfg.Host, Subcode: f.Subcode, Reason: strings.TrimSpace(f.Reason),
			WSManCode: f.WSManCode}
	}
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua), errors.As(err, &hn), errors.As(err, &ci), strings.Contains(msg, "x509:"):
		return fmt.Errorf("WinRM: the TLS certificate of %s:%d is not trusted (%v); give the CA certificate "+
			"that issued the WinRM HTTPS listener's certificate", s.cfg.Host, s.cfg.Port, err)
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return fmt.Errorf("WinRM: cannot reach %s:%d (%v); is a WinRM %s listener configured there "+
			"(winrm enumerate winrm/config/listener) and the port open?", s.cfg.Host, s.cfg.Port, op.Err, s.scheme())
	}
	if m := statusRE.FindStringSubmatch(msg); m != nil {
		if m[1] == "401" {
			return &AuthError{User: s.cfg.User, Host: s.cfg.Host, Auth: s.cfg.Auth, Err: err}
		}
		return fmt.Errorf("WinRM: %s:%d answered HTTP %s instead of a WS-Management reply "+
			"(wrong port, a proxy in between, or WinRM not listening on /wsman): %w", s.cfg.Host, s.cfg.Port, m[1], err)
	}
	return fmt.Errorf("WinRM: running the command on %s failed: %w", s.target, err)
}

func (s *Shell) scheme() string {
	if s.cfg.AllowHTTP {
		return "HTTP"
	}
	return "HTTPS"
}
