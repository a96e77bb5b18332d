package lab

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed scenarios/*.yaml
var scenarioFS embed.FS

// ScenarioInfo describes one scenario for listings (`ucpilot lab --list`).
type ScenarioInfo struct {
	Name        string   `json:"name"`
	Title       string   `json:"title"`
	Topology    string   `json:"topology"`
	Pitfalls    []string `json:"pitfalls"`
	Description string   `json:"description,omitempty"`
	// Severity is "warn" for a fault the checks only warn about (exit code
	// 1, not 2): a certificate close to its end, say. Empty means fail.
	Severity string `json:"severity,omitempty"`
}

// Scenario is a scenario file: the healthy state of a topology plus the
// mutations that break it.
type Scenario struct {
	ScenarioInfo `yaml:",inline"`
	// ExchangeWeb names the host the profile uses for Exchange's metadata and
	// EWS URLs: "autodiscover" (default) or "fqdn" (when the autodiscover
	// name is the thing that is broken).
	ExchangeWeb string     `yaml:"exchange_web"`
	Mutations   []Mutation `yaml:"mutations"`
	// Fleet, when set, grows the healthy pair into many servers.
	Fleet *Fleet `yaml:"fleet"`
}

// Mutation changes one thing in the healthy state of the scenario's
// topology. Give exactly one of Set (with Value), RemoveDNS, Remove, File.
// Values may use ${Domain}, ${Port}, ${SfBPool}, ${Autodiscover},
// ${TenantID}. The vocabulary:
//
//	set: exchange.partner_app.<name prefix>.auth_metadata_url | application_identifier | realm | enabled | pending_iisreset
//	set: exchange.vdir.ews.oauth | exchange.vdir.autodiscover.oauth      value: true | false
//	set: exchange.auth_cert.not_after | not_before                     value: age, e.g. -10d, 365d, -2h
//	set: exchange.next_auth_cert.not_after                             value: age (stages a next certificate, effective in 7 days)
//	set: exchange.autodiscover_internal_uri
//	set: sfb.oauth.service_name | realm | exchange_autodiscover_url
//	set: sfb.version                                                   ("… RTM" hard-codes autodiscover.<domain>)
//	set: sfb.frontend.<fe01|fe02>.oauth_cert                           value: new (a hand-imported certificate)
//	set: exchange.server.<exchNN>.auth_cert                            value: missing (not replicated there)
//	set: tenant.sp.<appId>.keys                                        value: clear | broken
//	set: exchange.auth_server.<name prefix>.application_identifier | realm | enabled
//	set: exchange.auth_server.<name prefix>.duplicate                  value: the copy's name (same realm, no app id)
//	set: exchange.setting_override.<name>.parameters                   value: e.g. Enabled=false
//	set: exchange.ioc.enabled                                          value: true | false (every IntraOrganizationConnector)
//	set: exchange.setting_override.<name>.new                          value: <component> <section> <parameter>…
//	remove_dns: <fqdn>
//	remove: exchange.partner_app.<name prefix> | sfb.partner_app.<identity>
//	file: <Windows path>                                               value: sfb-oauth-der | sfb-oauth-base64
type Mutation struct {
	Set       string `yaml:"set"`
	Value     string `yaml:"value"`
	RemoveDNS string `yaml:"remove_dns"`
	// File puts a file on the admin machine; Value is sfb-oauth-der or
	// sfb-oauth-base64 (the pool's OAuthTokenIssuer certificate exported).
	File string `yaml:"file"`
	// Remove deletes an object: exchange.partner_app.<name prefix> or
	// sfb.partner_app.<identity>.
	Remove string `yaml:"remove"`
}

type scenarioFile struct {
	Name        string     `yaml:"name"`
	Title       string     `yaml:"title"`
	Topology    string     `yaml:"topology"`
	Pitfalls    []string   `yaml:"pitfalls"`
	Description string     `yaml:"description"`
	Severity    string     `yaml:"severity"`
	ExchangeWeb string     `yaml:"exchange_web"`
	Mutations   []Mutation `yaml:"mutations"`
	Fleet       *Fleet     `yaml:"fleet"`
}

func loadScenarios() (map[string]*Scenario, error) {
	entries, err := scenarioFS.ReadDir("scenarios")
	if err != nil {
		return nil, fmt.Errorf("lab: read embedded scenarios: %w", err)
	}
	out := map[string]*Scenario{}
	for _, e := range entries {
		data, err := scenarioFS.ReadFile(path.Join("scenarios", e.Name()))
		if err != nil {
			return nil, err
		}
		var f scenarioFile
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("lab: scenario file %s: %w", e.Name(), err)
		}
		if f.Severity != "" && f.Severity != "warn" {
			return nil, fmt.Errorf("lab: scenario file %s: severity %q, want warn or nothing", e.Name(), f.Severity)
		}
		if f.Name+".yaml" != e.Name() {
			return nil, fmt.Errorf("lab: scenario file %s names itself %q; the file name must be <name>.yaml", e.Name(), f.Name)
		}
		out[f.Name] = &Scenario{ScenarioInfo: ScenarioInfo{Name: f.Name, Title: f.Title, Topology: f.Topology,
			Pitfalls: f.Pitfalls, Description: strings.TrimSpace(f.Description), Severity: f.Severity}, ExchangeWeb: f.ExchangeWeb, Mutations: f.Mutations, Fleet: f.Fleet}
	}
	return out, nil
}

// List returns every scenario, healthy ones first, then by name.
func List() []ScenarioInfo {
	all, err := loadScenarios()
	if err != nil {
		return nil
	}
	var out []ScenarioInfo
	for _, s := range all {
		out = append(out, s.ScenarioInfo)
	}
	sort.Slice(out, func(i, j int) bool {
		hi, hj := len(out[i].Pitfalls) == 0, len(out[j].Pitfalls) == 0
		if hi != hj {
			return hi
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func findScenario(name string) (*Scenario, error) {
	all, err := loadScenarios()
	if err != nil {
		return nil, err
	}
	if s, ok := all[name]; ok {
		return s, nil
	}
	var names []string
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("lab: no scenario named %q; valid names: %s", name, strings.Join(names, ", "))
}
