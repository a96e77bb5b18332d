// Package profile holds the names of one environment (domain, Exchange and
// Skype for Business hosts, tenant, TLS and DNS settings) that the checks and
// the command templates need. It reads and writes the profile YAML file,
// validates every value before anything uses it, and derives the defaults.
package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/ucpilot/ucpilot/knowledge"
)

// Topology values, as the knowledge base defines them. They are stable:
// profiles and JSON reports use them.
const (
	TopologyOnPrem    = knowledge.TopologyOnPrem    // Exchange Server + Lync/SfB Server
	TopologyHybrid    = knowledge.TopologyHybrid    // Lync/SfB Server + Exchange Online
	TopologySfBOnline = knowledge.TopologySfBOnline // Exchange Server + SfB Online / Teams
)

// Topologies returns the valid topology values in display order.
func Topologies() []string { return knowledge.TopologyIDs() }

// Profile is one environment. The YAML keys are a stable contract; optional
// keys may be added, renamed keys may not.
type Profile struct {
	Name             string     `yaml:"name,omitempty"`
	Topology         string     `yaml:"topology"`
	Domain           string     `yaml:"domain"`
	TenantID         string     `yaml:"tenant_id"`
	TenantDomain     string     `yaml:"tenant_domain,omitempty"`
	TestSipURI       string     `yaml:"test_sip_uri,omitempty"`
	DomainController string     `yaml:"domain_controller,omitempty"`
	Exchange         Exchange   `yaml:"exchange"`
	SfB              SfB        `yaml:"sfb"`
	TLS              TLS        `yaml:"tls"`
	DNS              DNS        `yaml:"dns"`
	Monitoring       Monitoring `yaml:"monitoring,omitempty"`

	// AutodiscoverSvcURL is derived by Effective, never read or written.
	AutodiscoverSvcURL string `yaml:"-"`

	// dir is the directory of the file the profile came from; a relative
	// tls.ca_file is read from there, so a profile and its CA travel together.
	dir string
}

// Exchange names the Exchange side. Shell, when set, is how the
// credentialed checks reach the Exchange Management Shell.
type Exchange struct {
	FQDN         string       `yaml:"fqdn"`
	Autodiscover string       `yaml:"autodiscover"`
	MetadataURL  string       `yaml:"metadata_url"`
	EWSURL       string       `yaml:"ews_url"`
	Shell        *ShellConfig `yaml:"shell,omitempty"`
	// Servers lists the Mailbox / Client Access servers to check one by
	// one (FQDN, or FQDN:port where a lab publishes on a high port). With
	// PowerShell the fleet is discovered (Get-ExchangeServer) and this list
	// is not needed.
	Servers []string `yaml:"servers,omitempty"`
	// Connections bounds the servers of this side checked at once
	// (DefaultConnections when 0).
	Connections int `yaml:"connections,omitempty"`
}

// SfB names the Lync / Skype for Business side. Shell, when set, is how the
// credentialed checks reach a Front End's management shell.
type SfB struct {
	Pool        string       `yaml:"pool"`
	WebExternal string       `yaml:"web_external"`
	MetadataURL string       `yaml:"metadata_url"`
	Shell       *ShellConfig `yaml:"shell,omitempty"`
	// Servers lists the Front Ends to check one by one (see
	// Exchange.Servers); with PowerShell, Get-CsPool / Get-CsComputer find
	// them.
	Servers     []string `yaml:"servers,omitempty"`
	Connections int      `yaml:"connections,omitempty"`
}

// DefaultConnections is how many servers of one side are checked at once
// when the profile does not say: enough to finish a large fleet in the
// time of a few servers, few enough not to look like an attack to the
// servers' connection limits.
const DefaultConnections = 8

// MaxConnections bounds the connections setting.
const MaxConnections = 64

// Monitoring sets the thresholds the monitoring outputs (Nagios
// performance data) state for certificate days left.
type Monitoring struct {
	WarnDays     int `yaml:"warn_days,omitempty"`
	CriticalDays int `yaml:"critical_days,omitempty"`
}

// Default thresholds for certificate days left.
const (
	DefaultWarnDays     = 60
	DefaultCriticalDays = 30
)

// Thresholds returns warn and critical days, defaults filled.
func (m Monitoring) Thresholds() (warn, critical int) {
	warn, critical = m.WarnDays, m.CriticalDays
	if warn <= 0 {
		warn = DefaultWarnDays
	}
	if critical <= 0 {
		critical = DefaultCriticalDays
	}
	return warn, critical
}

// ConnectionsOr returns n, or DefaultConnections when n is not set.
func ConnectionsOr(n int) int {
	if n <= 0 {
		return DefaultConnections
	}
	return n
}

// TLS says which certificates the probes trust.
type TLS struct {
	CAFile   string `yaml:"ca_file"`
	Insecure bool   `yaml:"insecure"`
}

// DNS says which server the DNS checks ask.
type DNS struct {
	Server string `yaml:"server"`
}

// Parse decodes a profile strictly: an unknown or misspelt key is an error,
// because a silently ignored key is a check that silently runs on defaults.
// name labels the source in errors (a file path, "flags"). Parse does not
// validate values; call Validate.
func Parse(data []byte, name string) (*Profile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p Profile
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("profile %s is empty: it needs at least topology and domain (see the profile reference in the README, or create one in the TUI with p)", name)
		}
		return nil, explainDecode(name, data, err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("profile %s holds more than one YAML document; keep one profile per file", name)
	}
	return &p, nil
}

// Load reads and parses a profile file. Relative paths inside it (tls.ca_file)
// are taken relative to the file's directory.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading profile: %w", err)
	}
	p, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	p.dir = filepath.Dir(path)
	return p, nil
}

// SetDir sets the directory relative paths are resolved against (Load sets
// it to the file's directory; a profile built from flags uses the working
// directory).
func (p *Profile) SetDir(dir string) { p.dir = dir }

// CAFilePath returns tls.ca_file resolved against the profile's directory,
// or "" when none is set.
func (p *Profile) CAFilePath() string {
	f := p.TLS.CAFile
	if f == "" || filepath.IsAbs(f) || p.dir == "" {
		return f
	}
	return filepath.Join(p.dir, f)
}

// Save writes the profile atomically: a temporary file in the same directory
// is written, synced and renamed over path, so a crash never leaves half a
// profile behind. The directory is created (0700) when missing.
func (p *Profile) Save(path string) error {
	data, err := yaml.Marshal(p)
	if err != nil {
		return fmt.Errorf("encoding profile: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving profile: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".profile-*.yaml.tmp")
	if err != nil {
		return fmt.Errorf("saving profile: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("saving profile to %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("saving profile to %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving profile to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving profile to %s: %w", path, err)
	}
	return nil
}

// EnvVar names the environment variable that points at a profile file.
const EnvVar = "UCPILOT_PROFILE"

// DefaultPath is the profile in the user's config directory
// ($XDG_CONFIG_HOME/ucpilot/profile.yaml on Linux, the equivalents elsewhere).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the user config directory for the profile: %w (set --profile or %s)", err, EnvVar)
	}
	return filepath.Join(dir, "ucpilot", "profile.yaml"), nil
}

// Locate finds the profile to use: the --profile flag first, then
// $UCPILOT_PROFILE, then DefaultPath. A path named by the flag or the
// variable must exist (the user asked for it: a typo is an error). The
// default path may be missing: found is false and path says where a new
// profile would be saved.
func Locate(flagPath string) (path string, found bool, err error) {
	for _, src := range []struct{ what, path string }{
		{"--profile", flagPath},
		{"$" + EnvVar, os.Getenv(EnvVar)},
	} {
		if src.path == "" {
			continue
		}
		if _, err := os.Stat(src.path); err != nil {
			return src.path, false, fmt.Errorf("profile named by %s: %w", src.what, err)
		}
		return src.path, true, nil
	}
	path, err = DefaultPath()
	if err != nil {
		return "", false, err
	}
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return path, false, nil
		}
		return path, false, fmt.Errorf("profile %s: %w", path, err)
	}
	return path, true, nil
}
