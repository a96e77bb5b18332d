// Package knowledge holds the ucpilot knowledge base: the steps of the three
// topologies, the well-known identifiers, the cmdlets, the known pitfalls and
// the check specs. It loads them from the embedded assets, validates them and
// searches them. It imports nothing else of ours and no UI code.
package knowledge

import "slices"

// Shell says where a command is typed. The values are stable: data files and
// JSON exports use them.
type Shell string

const (
	ShellEMS       Shell = "ems"       // Exchange Management Shell on an Exchange server
	ShellSfBMS     Shell = "sfbms"     // Lync / Skype for Business Server Management Shell on a Front End
	ShellGraph     Shell = "graph"     // Microsoft Graph PowerShell (Connect-MgGraph)
	ShellMSOnline  Shell = "msonline"  // MSOnline module (Connect-MsolService), deprecated but still in the articles
	ShellSfBOnline Shell = "sfbonline" // Skype for Business Online / Teams PowerShell (Get-CsTenant)
	ShellEXO       Shell = "exo"       // Exchange Online PowerShell (Connect-ExchangeOnline)
	ShellCmd       Shell = "cmd"       // any elevated command prompt on the server (iisreset)
	ShellDNS       Shell = "dns"       // DNS management (or nslookup from anywhere)
	ShellPKI       Shell = "pki"       // certificate management (MMC, certreq, the Deployment Wizard)
)

// ShellLabel is a Shell with its human name.
type ShellLabel struct {
	ID    Shell
	Label string
}

// Shells returns every valid Shell with its label, in display order (a new
// slice each call).
func Shells() []ShellLabel { return slices.Clone(shells) }

var shells = []ShellLabel{
	{ShellEMS, "Exchange Management Shell"},
	{ShellSfBMS, "Skype for Business Server Management Shell"},
	{ShellGraph, "Microsoft Graph PowerShell"},
	{ShellMSOnline, "MSOnline PowerShell (deprecated)"},
	{ShellSfBOnline, "Skype for Business Online / Teams PowerShell"},
	{ShellEXO, "Exchange Online PowerShell"},
	{ShellCmd, "Elevated command prompt"},
	{ShellDNS, "DNS"},
	{ShellPKI, "Certificates (PKI)"},
}

// Label returns the human name of a shell, or the raw value if unknown.
func (s Shell) Label() string {
	for _, sh := range shells {
		if sh.ID == s {
			return sh.Label
		}
	}
	return string(s)
}

// Valid reports whether s is one of Shells.
func (s Shell) Valid() bool {
	for _, sh := range shells {
		if sh.ID == s {
			return true
		}
	}
	return false
}

// Command is one copy-ready command. Text is a Go text/template over Vars
// ({{.SfBPool}}); Render fills it in.
type Command struct {
	Text string `yaml:"text" json:"text"`
	// Changes is true when the command changes a server or a tenant. Such
	// commands run only after explicit confirmation.
	Changes bool `yaml:"changes" json:"changes"`
	// Disruptive commands (iisreset, service restarts) need the server's
	// short name typed to confirm.
	Disruptive bool `yaml:"disruptive,omitempty" json:"disruptive,omitempty"`
	// Shell overrides the step's shell for this one command.
	Shell Shell `yaml:"shell,omitempty" json:"shell,omitempty"`
	// Note is a short remark shown beside the command.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Verification says how to prove a step worked.
type Verification struct {
	Text     string    `yaml:"text" json:"text"`
	Commands []Command `yaml:"commands,omitempty" json:"commands,omitempty"`
	// Checks are ids of CheckSpecs whose pass proves the step.
	Checks []string `yaml:"checks,omitempty" json:"checks,omitempty"`
	// Manual is true when no check can prove the step and a person must
	// confirm it explicitly.
	Manual bool `yaml:"manual,omitempty" json:"manual,omitempty"`
}

// Step is one step of a topology's procedure.
type Step struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	// Side is the product the step changes: exchange, sfb, tenant, dns, pki.
	Side     string       `yaml:"side" json:"side"`
	Shell    Shell        `yaml:"shell" json:"shell"`
	What     string       `yaml:"what" json:"what"`
	Why      string       `yaml:"why" json:"why"`
	Prereqs  []string     `yaml:"prereqs,omitempty" json:"prereqs,omitempty"`
	Commands []Command    `yaml:"commands" json:"commands"`
	Verify   Verification `yaml:"verify" json:"verify"`
	Pitfalls []string     `yaml:"pitfalls,omitempty" json:"pitfalls,omitempty"`
	Sources  []string     `yaml:"sources" json:"sources"`
	// Optional steps are shown but not required to finish the procedure.
	Optional bool `yaml:"optional,omitempty" json:"optional,omitempty"`
}

// Topology is one of the three supported deployments with its ordered steps.
type Topology struct {
	ID      string   `yaml:"id" json:"id"` // onprem | hybrid | sfbonline
	Title   string   `yaml:"title" json:"title"`
	Summary string   `yaml:"summary" json:"summary"`
	Sources []string `yaml:"sources" json:"sources"`
	Steps   []Step   `yaml:"steps" json:"steps"`
}

// Typo is a wrong spelling of an identifier seen in published material.
type Typo struct {
	Value  string `yaml:"value" json:"value"`
	Note   string `yaml:"note" json:"note"`
	Source string `yaml:"source" json:"source"`
}

// Identifier is a well-known value: an application id, an issuer or realm
// format, a default object name or a metadata URL shape.
type Identifier struct {
	ID string `yaml:"id" json:"id"`
	// Kind: appid, issuer, realm, url, object.
	Kind    string `yaml:"kind" json:"kind"`
	Name    string `yaml:"name" json:"name"`
	Value   string `yaml:"value" json:"value"`
	Product string `yaml:"product" json:"product"`
	// Where says where the value appears (cmdlet parameter, token, document).
	Where   string   `yaml:"where" json:"where"`
	Notes   string   `yaml:"notes,omitempty" json:"notes,omitempty"`
	Typos   []Typo   `yaml:"typos,omitempty" json:"typos,omitempty"`
	Sources []string `yaml:"sources" json:"sources"`
}

// CmdletField is an output field that matters and what healthy looks like.
type CmdletField struct {
	Name    string `yaml:"name" json:"name"`
	Healthy string `yaml:"healthy" json:"healthy"`
}

// Cmdlet is a cmdlet (or script, or command) the procedures use.
type Cmdlet struct {
	Name    string        `yaml:"name" json:"name"`
	Shell   Shell         `yaml:"shell" json:"shell"`
	Changes bool          `yaml:"changes" json:"changes"`
	Does    string        `yaml:"does" json:"does"`
	Example string        `yaml:"example,omitempty" json:"example,omitempty"`
	Fields  []CmdletField `yaml:"fields,omitempty" json:"fields,omitempty"`
	Sources []string      `yaml:"sources" json:"sources"`
}

// Pitfall is a known way the integration breaks (or a look-alike that is not
// an OAuth problem at all).
type Pitfall struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	// Symptoms are what users see, word for word where possible: error
	// strings, event ids, cmdlet output lines.
	Symptoms []string  `yaml:"symptoms" json:"symptoms"`
	Cause    string    `yaml:"cause" json:"cause"`
	Fix      string    `yaml:"fix" json:"fix"`
	Commands []Command `yaml:"commands,omitempty" json:"commands,omitempty"`
	// Topologies the pitfall applies to: onprem, hybrid, sfbonline (empty: all).
	Topologies []string `yaml:"topologies,omitempty" json:"topologies,omitempty"`
	// Versions names product versions where it applies ("SfB Server 2015 RTM").
	Versions string `yaml:"versions,omitempty" json:"versions,omitempty"`
	// NotOAuth marks a look-alike: the symptom resembles an OAuth failure
	// but the cause lies elsewhere.
	NotOAuth bool `yaml:"not_oauth,omitempty" json:"not_oauth,omitempty"`
	// Keywords are extra search terms (short forms, other languages' words).
	Keywords []string `yaml:"keywords,omitempty" json:"keywords,omitempty"`
	Related  []string `yaml:"related,omitempty" json:"related,omitempty"`
	Sources  []string `yaml:"sources" json:"sources"`
	// Confidence is empty when every fact is seen in a source, "unverified"
	// when the entry is a standard hypothesis no source confirms; the UI says
	// so.
	Confidence string `yaml:"confidence,omitempty" json:"confidence,omitempty"`
}

// Base is the whole loaded knowledge base.
type Base struct {
	Topologies  []Topology   `json:"topologies"`
	Identifiers []Identifier `json:"identifiers"`
	Cmdlets     []Cmdlet     `json:"cmdlets"`
	Pitfalls    []Pitfall    `json:"pitfalls"`
	Checks      []CheckSpec  `json:"checks"`
	// Sources is the table of every source entries cite, with titles and
	// addresses (assets/sources/*.yaml).
	Sources []Source `json:"sources"`
	// Vocabulary is the domain vocabulary the search expands queries with
	// (assets/vocabulary.yaml).
	Vocabulary Vocabulary `json:"vocabulary"`

	common      map[string]uint16 // assets/commonwords.txt, see commonwords.go
	pitfallByID map[string]*Pitfall
	sourceByRef map[string]Source
	index       *Index
}

// Pitfall returns the pitfall with the given id, or nil.
func (b *Base) Pitfall(id string) *Pitfall { return b.pitfallByID[id] }

// Check returns the check spec with the given id, or nil.
func (b *Base) Check(id string) *CheckSpec {
	for i := range b.Checks {
		if b.Checks[i].ID == id {
			return &b.Checks[i]
		}
	}
	return nil
}

// Topology returns the topology with the given id, or nil.
func (b *Base) Topology(id string) *Topology {
	for i := range b.Topologies {
		if b.Topologies[i].ID == id {
			return &b.Topologies[i]
		}
	}
	return nil
}

// Step finds a step by id in any topology.
func (b *Base) Step(id string) (*Topology, *Step) {
	for i := range b.Topologies {
		t := &b.Topologies[i]
		for j := range t.Steps {
			if t.Steps[j].ID == id {
				return t, &t.Steps[j]
			}
		}
	}
	return nil, nil
}

// CheckSpec describes one live check: what it proves and which pitfalls
// explain its failure. The engine turns specs into concrete checks for a
// profile; the probe code behind each id lives in engine.
type CheckSpec struct {
	ID    string `yaml:"id" json:"id"`
	Group string `yaml:"group" json:"group"` // metadata, bearer, dns, tls, powershell, config
	Title string `yaml:"title" json:"title"`
	What  string `yaml:"what" json:"what"`
	// Topologies the check runs in (empty: all).
	Topologies []string `yaml:"topologies,omitempty" json:"topologies,omitempty"`
	// Credentials is true for checks that need PowerShell on a server.
	Credentials bool `yaml:"credentials,omitempty" json:"credentials,omitempty"`
	// DependsOn names checks that must pass first (no TLS on a name that
	// did not resolve).
	DependsOn []string `yaml:"depends_on,omitempty" json:"depends_on,omitempty"`
	// GatedBy names checks that must pass too, but whose results the
	// check does not read (a TLS check only needs its name to resolve).
	// A gated check starts at once, side by side with its gates; if a gate
	// fails the check is stopped and skipped, exactly as with DependsOn.
	// This keeps a run's wall time near its slowest check instead of the
	// sum of a chain.
	GatedBy  []string `yaml:"gated_by,omitempty" json:"gated_by,omitempty"`
	Pitfalls []string `yaml:"pitfalls,omitempty" json:"pitfalls,omitempty"`
	Sources  []string `yaml:"sources" json:"sources"`
}
