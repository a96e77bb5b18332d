package lab

import (
	"encoding/base64"
	"regexp"
	"strings"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// The dedicated Exchange hybrid application: setting overrides, the EvoSTS
// auth server and CSS-Exchange's ConfigureExchangeHybridApplication.ps1.
func hybridAppCmdlets() []*cmdletDef {
	return []*cmdletDef{
		&cmdletDef{name: "Get-SettingOverride", shells: "ems", params: "Identity", pos: "Identity", fn: getSettingOverride},
		&cmdletDef{name: "New-SettingOverride", shells: "ems", params: "Name Component Section Parameters Reason Server MinVersion MaxVersion",
			pos: "Name", fn: newSettingOverride},
		&cmdletDef{name: "Remove-SettingOverride", shells: "ems", params: "Identity", pos: "Identity", fn: removeSettingOverride},
		&cmdletDef{name: "Set-AuthServer", shells: "ems", params: "Identity ApplicationIdentifier DomainName Enabled AuthMetadataUrl Name IsDefaultAuthorizationEndpoint",
			switches: "RefreshAuthMetadata TrustAnySSLCertificate", pos: "Identity", fn: setAuthServer},
		&cmdletDef{name: "Get-ExchangeDiagnosticInfo", shells: "ems", params: "Server Process Component Argument", fn: func(c *call) ([]ps.Value, error) {
			// Refresh only makes the server read the overrides now; the lab has no cache.
			return []ps.Value{ps.NewObject("Microsoft.Exchange.Management.DiagnosticInfo", "Server", strings.ToUpper(c.ip.host),
				"Result", "<Diagnostics><Components><VariantConfiguration>Refreshed</VariantConfiguration></Components></Diagnostics>")}, nil
		}},
		&cmdletDef{name: "ConfigureExchangeHybridApplication.ps1", shells: "ems",
			params: "CustomAppId TenantId RemoteRoutingDomain AzureEnvironment CustomClientId CertificateMethod CertificateInformation",
			switches: "FullyConfigureExchangeHybridApplication CreateApplication DeleteApplication UpdateCertificate ConfigureAuthServer " +
				"ConfigureTargetSharingEpr EnableExchangeHybridApplicationOverride ResetFirstPartyServicePrincipalKeyCredentials SkipVersionCheck",
			fn: configureHybridApp},
	}
}

func overrideObj(o SettingOverride) *ps.Object {
	var server ps.Value
	if len(o.Server) > 0 {
		server = ps.StrList(o.Server)
	}
	return ps.NewObject("Microsoft.Exchange.Data.Directory.SystemConfiguration.ConfigurationSettings.SettingOverride",
		"Name", o.Name, "ComponentName", o.Component, "SectionName", o.Section, "Parameters", ps.StrList(o.Parameters),
		"Reason", o.Reason, "Server", server, "Status", "Accepted", "Identity", o.Name)
}

func getSettingOverride(c *call) ([]ps.Value, error) {
	var out []ps.Value
	for _, o := range c.ip.st.Exchange.SettingOverrides {
		if c.Has("Identity") && !ps.MatchWild(c.Str("Identity"), o.Name) {
			continue
		}
		out = append(out, overrideObj(o))
	}
	if c.Has("Identity") && len(out) == 0 {
		return nil, notFound(c, c.Str("Identity"))
	}
	return out, nil
}

func newSettingOverride(c *call) ([]ps.Value, error) {
	s := c.ip.st
	o := SettingOverride{Server: ps.Strings(c.Val("Server"))}
	if err := c.Bind(ps.Fields{"Name": &o.Name, "Component": &o.Component, "Section": &o.Section,
		"Parameters": &o.Parameters, "Reason": &o.Reason}); err != nil {
		return nil, err
	}
	if o.Name == "" || o.Component == "" || o.Section == "" || len(o.Parameters) == 0 || o.Reason == "" {
		return nil, c.Fail("InvalidArgument", "MissingMandatoryParameter",
			"Cannot process command because of one or more missing mandatory parameters: Name Component Section Parameters Reason.")
	}
	for _, x := range s.Exchange.SettingOverrides {
		if strings.EqualFold(x.Name, o.Name) {
			return nil, c.Fail("ResourceExists", "ADObjectAlreadyExistsException",
				"An Active Directory object with the name '%s' already exists in the Setting Overrides container.", o.Name)
		}
	}
	s.Exchange.SettingOverrides = append(s.Exchange.SettingOverrides, o)
	return []ps.Value{overrideObj(o)}, nil
}

func removeSettingOverride(c *call) ([]ps.Value, error) {
	s := c.ip.st
	names, err := targetsByName(c, func() []string {
		var out []string
		for _, o := range s.Exchange.SettingOverrides {
			out = append(out, o.Name)
		}
		return out
	})
	if err != nil {
		return nil, err
	}
	var keep []SettingOverride
	for _, o := range s.Exchange.SettingOverrides {
		gone := false
		for _, n := range names {
			gone = gone || strings.EqualFold(n, o.Name)
		}
		if !gone {
			keep = append(keep, o)
		}
	}
	s.Exchange.SettingOverrides = keep
	return nil, nil
}

func (s *State) authServer(name string) *AuthServer {
	for i := range s.Exchange.AuthServers {
		if strings.EqualFold(s.Exchange.AuthServers[i].Name, name) {
			return &s.Exchange.AuthServers[i]
		}
	}
	return nil
}

func setAuthServer(c *call) ([]ps.Value, error) {
	a := c.ip.st.authServer(c.Str("Identity"))
	if a == nil {
		return nil, notFound(c, c.Str("Identity"))
	}
	next := *a
	if err := c.Bind(ps.Fields{"ApplicationIdentifier": &next.ApplicationIdentifier, "DomainName": &next.DomainName,
		"Enabled": &next.Enabled, "AuthMetadataUrl": &next.AuthMetadataURL, "Name": &next.Name}); err != nil {
		return nil, err
	}
	if next.ApplicationIdentifier != "" && !guidRE.MatchString(next.ApplicationIdentifier) {
		return nil, c.Fail("InvalidArgument", "ParameterBindingFailed",
			"Cannot bind parameter 'ApplicationIdentifier'. %q is not a valid application identifier.", next.ApplicationIdentifier)
	}
	*a = next
	return nil, nil
}

var evoSTSName = regexp.MustCompile(`(?i)^EvoSts - [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|EvoSTS`)

// hybridAuthServers are the auth servers ConfigureExchangeHybridApplication.ps1
// accepts for the dedicated app: EvoSTS by name, AzureAD, a tenant id as
// realm, enabled.
func (s *State) hybridAuthServers() []*AuthServer {
	var out []*AuthServer
	for i := range s.Exchange.AuthServers {
		a := &s.Exchange.AuthServers[i]
		if evoSTSName.MatchString(a.Name) && a.Type == "AzureAD" && guidRE.MatchString(a.Realm) && a.Enabled {
			out = append(out, a)
		}
	}
	return out
}

// configureHybridApp simulates the script's full configuration and its
// -ConfigureAuthServer / -EnableExchangeHybridApplicationOverride parts, with
// the script's own warnings; it signs in to the tenant without asking.
func configureHybridApp(c *call) ([]ps.Value, error) {
	s := c.ip.st
	full := c.Sw("FullyConfigureExchangeHybridApplication") || !(c.Sw("ConfigureAuthServer") || c.Sw("EnableExchangeHybridApplicationOverride") ||
		c.Sw("CreateApplication") || c.Sw("UpdateCertificate"))
	warn := func(msg string) { c.ip.out.WriteString("WARNING: " + msg + "\n") }
	appID := c.Str("CustomAppId")
	if full || c.Sw("CreateApplication") || c.Sw("UpdateCertificate") {
		sp := s.sp(labHybridAppID)
		if sp == nil {
			s.Tenant.ServicePrincipals = append(s.Tenant.ServicePrincipals, ServicePrincipal{ObjectID: "b5d1a4f2-2222-4c8b-8d66-00000000ea00",
				AppID: labHybridAppID, DisplayName: hybridAppName, AccountEnabled: true, ServicePrincipalNames: []string{labHybridAppID}})
			sp = s.sp(labHybridAppID)
			c.ip.out.WriteString("Application " + hybridAppName + " (" + labHybridAppID + ") was created and admin consent was granted\n")
		}
		if cert := s.exchangeCert(s.Exchange.AuthConfig.Current); cert != nil && !hasKeyFor(sp, cert.Thumbprint) {
			sp.KeyCredentials = append(sp.KeyCredentials, KeyCredential{KeyID: newKeyID(), Thumbprint: cert.Thumbprint,
				Start: cert.NotBefore, End: cert.NotAfter, Value: base64.StdEncoding.EncodeToString(cert.DER)})
			c.ip.out.WriteString("Certificate " + cert.Thumbprint + " was uploaded to the application\n")
		}
		if appID == "" {
			appID = labHybridAppID
		}
	}
	if full || c.Sw("ConfigureAuthServer") {
		if appID == "" {
			return nil, c.Fail("InvalidArgument", "MissingMandatoryParameter", "-ConfigureAuthServer needs -CustomAppId when the script does not create the application.")
		}
		evo := s.hybridAuthServers()
		if len(evo) > 1 {
			var mine []*AuthServer
			for _, a := range evo {
				if strings.EqualFold(a.Realm, s.TenantID) {
					mine = append(mine, a)
				}
			}
			evo = mine
			if len(evo) == 0 {
				warn("We did not find an Auth Server which is configured for your tenant")
				return nil, nil
			}
			if len(evo) > 1 {
				warn("More than one EvoSTS Auth Server was found that is configured for your tenant")
				warn("Re-run Hybrid Configuration Wizard (HCW) or manually  remove the duplicate EvoSTS Auth Server")
				return nil, nil
			}
		}
		if len(evo) == 0 {
			warn("We did not find an Auth Server which is valid for hybrid usage - script can't continue")
			return nil, nil
		}
		evo[0].ApplicationIdentifier = appID
		if len(evo[0].DomainName) == 0 {
			evo[0].DomainName = []string{s.Domain}
		}
		c.ip.out.WriteString("Auth Server: " + evo[0].Name + " was successfully configured to use the following App ID: " + appID + "\n")
	}
	if full || c.Sw("EnableExchangeHybridApplicationOverride") {
		if existing := s.hybridAppOverrides(); len(existing) > 0 {
			warn("The following Setting Override(s) already exist:")
			for _, o := range existing {
				c.ip.out.WriteString("[Setting Override] Name: '" + o.Name + "' Feature enabled? '" + overrideEnabledText(o) + "'\n")
			}
			warn("Run the following command if you want to remove the existing Setting Override(s):")
			warn("Get-SettingOverride | Where-Object {$_.ComponentName -eq \"Global\" -and $_.SectionName -eq \"ExchangeOnpremAsThirdPartyAppId\"} | Remove-SettingOverride -Confirm:$false")
			return nil, nil
		}
		if !s.hybridOAuthConfigured() {
			warn("It seems like your OAuth configuration is invalid - are you using DAuth instead of OAuth?")
			warn("The feature cannot be enabled because the configuration is incomplete")
			return nil, nil
		}
		s.Exchange.SettingOverrides = append(s.Exchange.SettingOverrides, hybridAppOverride())
		c.ip.out.WriteString("Setting Override to enable the dedicated Exchange hybrid application feature was successfully created\n")
	}
	return nil, nil
}

func hasKeyFor(sp *ServicePrincipal, thumb string) bool {
	for _, k := range sp.KeyCredentials {
		if strings.EqualFold(k.Thumbprint, thumb) {
			return true
		}
	}
	return false
}

var overrideEnabledRE = regexp.MustCompile(`(?i)^\s*Enabled\s*=\s*(true|false)\s*$`)

// overrideEnabledText is how the script reads an override: true, false or
// Unknown.
func overrideEnabledText(o SettingOverride) string {
	for _, p := range o.Parameters {
		if m := overrideEnabledRE.FindStringSubmatch(p); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return "Unknown"
}

// hybridOAuthConfigured is the script's basic check before it creates the
// override: an enabled Exchange Online partner application with an empty
// realm and an enabled IntraOrganizationConnector.
func (s *State) hybridOAuthConfigured() bool {
	app := false
	for _, a := range s.Exchange.PartnerApps {
		app = app || a.ApplicationIdentifier == AppExchange && a.Enabled && a.Realm == ""
	}
	ioc := false
	for _, x := range s.Exchange.Connectors {
		ioc = ioc || x.Enabled
	}
	return app && ioc
}

// hybridAppOverrides are the Global overrides of the feature's section.
func (s *State) hybridAppOverrides() []SettingOverride {
	var out []SettingOverride
	for _, o := range s.Exchange.SettingOverrides {
		if strings.EqualFold(o.Component, "Global") && strings.EqualFold(o.Section, "ExchangeOnpremAsThirdPartyAppId") {
			out = append(out, o)
		}
	}
	return out
}
