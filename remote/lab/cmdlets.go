package lab

import (
	"strings"
	"sync"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// cmdletDef declares a simulated cmdlet: where it exists and how it binds.
type cmdletDef struct {
	name     string
	shells   string // space-separated shell kinds; "" = every shell
	params   string // valued parameters
	switches string // switch parameters
	pos      string // parameters bound by position, in order
	raw      bool   // a native program: every argument is passed as text, in order (params["args"])
	fn       func(c *call) ([]ps.Value, error)
}

// cmdletGroups is every command the lab simulates, by the file that holds
// it. A new cmdlet goes into its group's list; a new group goes here.
func cmdletGroups() [][]*cmdletDef {
	return [][]*cmdletDef{
		commonCmdlets(),    // every shell: formatting, filtering, clock, connections
		exchangeCmdlets(),  // Exchange Management Shell: partner apps, auth config, vdirs
		directoryCmdlets(), // Exchange: mail users, roles, auth servers, IntraOrganizationConnector
		sfbCmdlets(),       // Skype for Business Server Management Shell
		sfbMiscCmdlets(),   // archiving, Edge federation, hosting providers
		fleetCmdlets(),     // Get-CsPool, Get-CsComputer: the pools and their Front Ends
		tenantCmdlets(),    // Microsoft 365: MSOnline, Graph, Teams, Exchange Online
		fileCmdlets(),      // certificate store and files
		netCmdlets(),       // DNS, HTTP, IIS, certutil
	}
}

// cmdlets is the lookup table built from cmdletGroups, by lower-case name.
var cmdlets = sync.OnceValue(func() map[string]*cmdletDef {
	m := map[string]*cmdletDef{}
	for _, g := range cmdletGroups() {
		for _, d := range g {
			k := strings.ToLower(d.name)
			if m[k] != nil {
				panic("lab: cmdlet " + d.name + " declared twice")
			}
			m[k] = d
		}
	}
	return m
})

// aliases map PowerShell aliases, old cmdlet names and .exe names to table names.
var aliases = map[string]string{"fl": "format-list", "ft": "format-table", "select": "select-object",
	"where": "where-object", "?": "where-object", "%": "foreach-object", "foreach": "foreach-object",
	"iisreset.exe": "iisreset", "certutil.exe": "certutil", "curl.exe": "curl", "nslookup.exe": "nslookup",
	"sort": "sort-object", "iwr": "invoke-webrequest",
	"get-clientaccessserver": "get-clientaccessservice", "set-clientaccessserver": "set-clientaccessservice"}

// knownScripts are the .ps1 files the lab simulates, by file name.
var knownScripts = map[string]string{
	"configure-enterprisepartnerapplication.ps1": "Configure-EnterprisePartnerApplication.ps1",
	"monitorexchangeauthcertificate.ps1":         "MonitorExchangeAuthCertificate.ps1",
}
