// Package winrmshell runs PowerShell on a Windows server over WinRM (WS-Management, the
// WinRS cmd shell) with github.com/masterzen/winrm. It is the fallback when Windows
// OpenSSH is not available. The script travels as one powershell.exe -EncodedCommand
// line, so nothing depends on stdin (long-standing trouble in WinRS clients).
//
// Transport rules: HTTPS (5986) by default. Plain HTTP (5985) only when AllowHTTP is
// set, and then NTLM runs with message encryption; Basic is refused over HTTP because it
// would send the password in clear text; Kerberos is refused over HTTP because the
// library cannot encrypt its messages.
package winrmshell

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/shell"
)

// Auth selects the WinRM authentication scheme.
type Auth string

// Authentication schemes.
const (
	AuthNTLM     Auth = "ntlm"
	AuthKerberos Auth = "kerberos"
	AuthBasic    Auth = "basic" // local accounts only, HTTPS only
)

// Config describes one WinRM endpoint.
type Config struct {
	Host     string
	Port     int // default 5986, or 5985 with AllowHTTP
	User     string
	Password shell.Secret
	Auth     Auth

	// AllowHTTP permits plain HTTP. NTLM then encrypts the messages itself.
	AllowHTTP bool
	// CACertPEM is the CA (or self-signed certificate) that signs the listener's
	// certificate, when it is not in the system pool.
	CACertPEM          []byte
	InsecureSkipVerify bool // never the default; for a lab only
	TLSServerName      string
	Timeout            time.Duration // per HTTP response; default 60 s

	// Kerberos. CCache defaults to $KRB5CCNAME; a password is used when there is no
	// credential cache. Krb5Conf defaults to $KRB5_CONFIG, then /etc/krb5.conf.
	Realm    string
	Krb5Conf string
	CCache   string
	SPN      string
}

func (c Config) withDefaults() Config {
	if c.Port == 0 {
		c.Port = 5986
		if c.AllowHTTP {
			c.Port = 5985
		}
	}
	if c.Timeout == 0 {
		c.Timeout = 60 * time.Second
	}
	if c.Auth == AuthKerberos {
		if c.CCache == "" {
			c.CCache = os.Getenv("KRB5CCNAME")
		}
		if c.Krb5Conf == "" {
			c.Krb5Conf = os.Getenv("KRB5_CONFIG")
		}
		if c.Krb5Conf == "" {
			c.Krb5Conf = "/etc/krb5.conf"
		}
	}
	return c
}

func (c Config) validate() error {
	if err := shell.ValidateHostname(c.Host); err != nil {
		return fmt.Errorf("WinRM: %w", err)
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("WinRM: port %d for %s is out of range 1-65535", c.Port, c.Host)
	}
	switch c.Auth {
	case AuthBasic:
		if c.AllowHTTP {
			return fmt.Errorf("WinRM: Basic authentication over plain HTTP would send the password for %s "+
				"unencrypted; use HTTPS (port 5986) or NTLM", c.Host)
		}
	case AuthNTLM:
	case AuthKerberos:
		if c.AllowHTTP {
			return fmt.Errorf("WinRM: Kerberos over plain HTTP is not supported (the client cannot encrypt " +
				"WinRM messages with Kerberos); use HTTPS (port 5986), or NTLM over HTTP")
		}
		return nil // user/password are optional with a credential cache
	default:
		return fmt.Errorf("WinRM: unknown authentication %q for %s (use ntlm, kerberos or basic)", c.Auth, c.Host)
	}
	if c.User == "" || c.Password.IsZero() {
		return fmt.Errorf("WinRM: %s authentication to %s needs a user name and a password", c.Auth, c.Host)
	}
	return nil
}

// resolveCCache turns a KRB5CCNAME-style value into a file path. gokrb5 reads only
// file caches, so kernel keyrings, KCM and macOS API caches are refused with a fix.
func resolveCCache(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	kind, rest, hasKind := strings.Cut(v, ":")
	if !hasKind || len(kind) == 1 { // a plain path, or a Windows drive letter
		return v, nil
	}
	switch strings.ToUpper(kind) {
	case "FILE":
		return rest, nil
	case "KEYRING", "KCM", "API", "DIR", "MEMORY", "MSLSA":
		return "", fmt.Errorf("WinRM: the Kerberos credential cache %q is a %s cache, which this client "+
			"cannot read; get a file cache with `kinit -c FILE:/tmp/krb5cc_ucpilot user@REALM` and set "+
			"KRB5CCNAME=FILE:/tmp/krb5cc_ucpilot", v, strings.ToUpper(kind))
	}
	return "", fmt.Errorf("WinRM: unknown Kerberos credential cache type in %q; use FILE:/path", v)
}
