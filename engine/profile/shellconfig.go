package profile

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Transports a shell: key may name.
const (
	TransportSSH   = "ssh"
	TransportWinRM = "winrm"
	TransportLocal = "local"
)

// ShellConfig says how ucpilot reaches PowerShell on one side (exchange.shell,
// sfb.shell). It never holds a secret: the password comes from the
// environment variable named by PasswordEnv, the OS keyring (Remember) or a
// masked prompt.
type ShellConfig struct {
	Transport   string      `yaml:"transport"`
	Host        string      `yaml:"host,omitempty"`
	Port        int         `yaml:"port,omitempty"`
	User        string      `yaml:"user,omitempty"`
	Auth        string      `yaml:"auth,omitempty"`
	KeyFile     string      `yaml:"key_file,omitempty"`
	KnownHosts  string      `yaml:"known_hosts,omitempty"`
	HTTPS       *bool       `yaml:"https,omitempty"` // winrm; nil = true
	Jump        *JumpConfig `yaml:"jump,omitempty"`
	PasswordEnv string      `yaml:"password_env,omitempty"`
	Remember    bool        `yaml:"remember,omitempty"`
}

// JumpConfig is an SSH host to connect through (ssh -J).
type JumpConfig struct {
	Host    string `yaml:"host"`
	Port    int    `yaml:"port,omitempty"`
	User    string `yaml:"user,omitempty"`
	Auth    string `yaml:"auth,omitempty"`
	KeyFile string `yaml:"key_file,omitempty"`
}

// UseHTTPS reports whether a WinRM shell uses HTTPS (the default).
func (c *ShellConfig) UseHTTPS() bool { return c.HTTPS == nil || *c.HTTPS }

// secretKeys are keys people try for a password; each gets an error that
// says where secrets go instead of a bare "unknown field".
var secretKeys = map[string]bool{"password": true, "passwd": true, "secret": true, "passphrase": true, "pass": true, "token": true}

const secretHelp = "secrets never go in the profile: name an environment variable with password_env, " +
	"set remember: true to keep the password in the OS keyring after the first login, or leave both out to be asked each time"

// checkMapping rejects unknown keys (listing the valid ones) and secret keys.
func checkMapping(n *yaml.Node, what string, valid []string) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s must be a mapping of keys (transport, host, user, …)", n.Line, what)
	}
	ok := map[string]bool{}
	for _, v := range valid {
		ok[v] = true
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		switch {
		case secretKeys[strings.ToLower(k.Value)]:
			return fmt.Errorf("line %d: %s.%s is not allowed: %s", k.Line, what, k.Value, secretHelp)
		case !ok[k.Value]:
			sort.Strings(valid)
			return fmt.Errorf("line %d: %s has no key %q (valid keys: %s)", k.Line, what, k.Value, strings.Join(valid, ", "))
		}
	}
	return nil
}

// UnmarshalYAML decodes strictly with messages that name the shell keys.
func (c *ShellConfig) UnmarshalYAML(n *yaml.Node) error {
	valid := []string{"transport", "host", "port", "user", "auth", "key_file", "known_hosts", "https", "jump", "password_env", "remember"}
	if err := checkMapping(n, "shell", valid); err != nil {
		return err
	}
	type plain ShellConfig
	return n.Decode((*plain)(c))
}

// UnmarshalYAML decodes the jump host strictly.
func (j *JumpConfig) UnmarshalYAML(n *yaml.Node) error {
	if err := checkMapping(n, "shell.jump", []string{"host", "port", "user", "auth", "key_file"}); err != nil {
		return err
	}
	type plain JumpConfig
	return n.Decode((*plain)(j))
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// authFor lists the auth values each transport accepts, first = default.
var authFor = map[string][]string{
	TransportSSH:   {"password", "key", "agent"},
	TransportWinRM: {"ntlm", "kerberos", "basic"},
	TransportLocal: {""},
}

// validateShell checks one side's shell: key. base resolves relative paths.
func (p *Profile) validateShell(add func(k, v, e string), key string, c *ShellConfig) {
	if c == nil {
		return
	}
	auths, ok := authFor[c.Transport]
	if !ok {
		add(key+".transport", c.Transport, "is not a transport (expected ssh, winrm or local)")
		return
	}
	if c.Transport == TransportLocal {
		p.validateLocal(add, key, c)
		return
	}
	switch {
	case c.Host == "":
		add(key+".host", "", "the server to connect to (e.g. exch01.contoso.com)")
	case !validHostname(c.Host):
		add(key+".host", c.Host, "is not a valid hostname (letters, digits, hyphens and dots; e.g. exch01.contoso.com)")
	}
	if c.Port < 0 || c.Port > 65535 {
		add(key+".port", strconv.Itoa(c.Port), "is not a port (expected 1-65535; 0 or absent uses the transport's default)")
	}
	if c.User == "" && c.Auth != "kerberos" {
		add(key+".user", "", `the account to log on with (e.g. CONTOSO\admin or admin@contoso.com)`)
	}
	if c.Auth != "" && !contains(auths, c.Auth) {
		add(key+".auth", c.Auth, fmt.Sprintf("is not valid for transport %s (expected %s)", c.Transport, strings.Join(auths, ", ")))
	}
	if c.Auth == "basic" && !c.UseHTTPS() {
		add(key+".https", "false", "must be true with auth basic: Basic sends the password readable on plain HTTP (use ntlm, or HTTPS)")
	}
	if c.Transport == TransportSSH {
		p.validateSSH(add, key, c)
	} else {
		p.notFor(add, key, "key_file", c.KeyFile, "winrm")
		p.notFor(add, key, "known_hosts", c.KnownHosts, "winrm")
		if c.Jump != nil {
			add(key+".jump", c.Jump.Host, "is only for transport ssh (WinRM has no jump host)")
		}
	}
	if c.PasswordEnv != "" && !envNameRE.MatchString(c.PasswordEnv) {
		add(key+".password_env", c.PasswordEnv, "is not an environment variable name (letters, digits and _; e.g. UCPILOT_EXCHANGE_PASSWORD) — it names the variable, it is not the password")
	}
}

func (p *Profile) validateLocal(add func(k, v, e string), key string, c *ShellConfig) {
	for _, f := range []struct{ name, v string }{{"host", c.Host}, {"user", c.User}, {"auth", c.Auth}, {"key_file", c.KeyFile}, {"known_hosts", c.KnownHosts}, {"password_env", c.PasswordEnv}} {
		p.notFor(add, key, f.name, f.v, "local")
	}
	if c.Jump != nil || c.Port != 0 || c.HTTPS != nil || c.Remember {
		add(key+".transport", "local", "runs PowerShell on this computer as the current user: remove port, https, jump and remember")
	}
}

func (p *Profile) notFor(add func(k, v, e string), key, field, v, transport string) {
	if v != "" {
		add(key+"."+field, v, "does not apply to transport "+transport+"; remove it")
	}
}

func (p *Profile) validateSSH(add func(k, v, e string), key string, c *ShellConfig) {
	if c.HTTPS != nil {
		add(key+".https", strconv.FormatBool(*c.HTTPS), "is only for transport winrm; remove it")
	}
	if c.Auth == "key" && c.KeyFile == "" {
		add(key+".key_file", "", "auth key needs the private key file (e.g. ~/.ssh/id_ed25519)")
	}
	if c.KeyFile != "" {
		p.checkFile(add, key+".key_file", c.KeyFile)
	}
	if j := c.Jump; j != nil {
		jk := key + ".jump"
		if j.Host == "" || !validHostname(j.Host) {
			add(jk+".host", j.Host, "is not a valid hostname for the jump host (e.g. bastion.contoso.com)")
		}
		if j.Port < 0 || j.Port > 65535 {
			add(jk+".port", strconv.Itoa(j.Port), "is not a port (expected 1-65535)")
		}
		if j.Auth != "" && !contains(authFor[TransportSSH], j.Auth) {
			add(jk+".auth", j.Auth, "is not valid for the SSH jump host (expected password, key or agent)")
		}
		if j.Auth == "key" && j.KeyFile == "" {
			add(jk+".key_file", "", "auth key needs the private key file")
		}
		if j.KeyFile != "" {
			p.checkFile(add, jk+".key_file", j.KeyFile)
		}
	}
}

// checkFile requires a readable regular file; a relative path is taken
// from the profile's directory, ~ from the home directory.
func (p *Profile) checkFile(add func(k, v, e string), key, path string) {
	fi, err := os.Stat(p.ResolvePath(path))
	switch {
	case err != nil:
		add(key, path, "does not exist or cannot be read ("+err.Error()+")")
	case fi.IsDir():
		add(key, path, "is a directory, not a key file")
	}
}

// ResolvePath expands ~/ and resolves a relative path against the
// profile's directory (the way tls.ca_file is).
func (p *Profile) ResolvePath(path string) string {
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, path[2:])
		}
	}
	if path == "" || filepath.IsAbs(path) || p.dir == "" {
		return path
	}
	return filepath.Join(p.dir, path)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
