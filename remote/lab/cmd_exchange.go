package lab

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Exchange Management Shell cmdlets.
func exchangeCmdlets() []*cmdletDef {
	const pa = "Identity Enabled AuthMetadataUrl ApplicationIdentifier Realm LinkedAccount UseAuthServer IssuerIdentifier"
	return []*cmdletDef{
		&cmdletDef{name: "Get-PartnerApplication", shells: "ems", params: "Identity", pos: "Identity", fn: getPartnerApplication},
		&cmdletDef{name: "Set-PartnerApplication", shells: "ems", params: pa, switches: "RefreshAuthMetadata TrustAnySSLCertificate", pos: "Identity", fn: setPartnerApplication},
		&cmdletDef{name: "New-PartnerApplication", shells: "ems", params: "Name " + pa, switches: "TrustAnySSLCertificate", fn: newPartnerApplication},
		&cmdletDef{name: "Remove-PartnerApplication", shells: "ems", params: "Identity", pos: "Identity", fn: removePartnerApplication},
		&cmdletDef{name: "Configure-EnterprisePartnerApplication.ps1", shells: "ems", params: "AuthMetadataUrl ApplicationType", switches: "TrustAnySSLCertificate", fn: configureEnterprise},
		&cmdletDef{name: "Get-AuthConfig", shells: "ems", fn: getAuthConfig},
		&cmdletDef{name: "Set-AuthConfig", shells: "ems", params: "NewCertificateThumbprint NewCertificateEffectiveDate ServiceName Realm CertificateThumbprint",
			switches: "PublishCertificate ClearPreviousCertificate Force SkipImmediateCertificateDeployment", fn: setAuthConfig},
		&cmdletDef{name: "Get-ExchangeCertificate", shells: "ems", params: "Thumbprint Server Identity", pos: "Thumbprint", fn: getExchangeCertificate},
		&cmdletDef{name: "New-ExchangeCertificate", shells: "ems", params: "KeySize PrivateKeyExportable SubjectName FriendlyName DomainName Services Server", fn: newExchangeCertificate},
		&cmdletDef{name: "Get-WebServicesVirtualDirectory", shells: "ems", params: "Server Identity", switches: "ADPropertiesOnly", pos: "Identity", fn: getVdir(true)},
		&cmdletDef{name: "Get-AutodiscoverVirtualDirectory", shells: "ems", params: "Server Identity", switches: "ADPropertiesOnly", pos: "Identity", fn: getVdir(false)},
		&cmdletDef{name: "Set-WebServicesVirtualDirectory", shells: "ems", params: "Identity OAuthAuthentication WindowsAuthentication", pos: "Identity", fn: setVdir(true)},
		&cmdletDef{name: "Set-AutodiscoverVirtualDirectory", shells: "ems", params: "Identity OAuthAuthentication WindowsAuthentication", pos: "Identity", fn: setVdir(false)},
		&cmdletDef{name: "Get-ClientAccessService", shells: "ems", params: "Identity", pos: "Identity", fn: getCAS},
		&cmdletDef{name: "Set-ClientAccessService", shells: "ems", params: "Identity AutoDiscoverServiceInternalUri", pos: "Identity", fn: setCAS},
		&cmdletDef{name: "Get-AuthServer", shells: "ems", params: "Identity", pos: "Identity", fn: getAuthServer},
		&cmdletDef{name: "MonitorExchangeAuthCertificate.ps1", shells: "ems", params: "ValidateAndRenewAuthCertificate CustomCertificateLifetimeInDays",
			switches: "IgnoreHybridConfig IgnoreUnreachableServers EnforceNewAuthCertificateCreation", fn: monitorAuthCert},
		&cmdletDef{name: "Get-ExchangeServer", shells: "ems", params: "Identity", pos: "Identity", fn: getExchangeServer},
		&cmdletDef{name: "Remove-AuthServer", shells: "ems", params: "Identity", pos: "Identity", fn: removeAuthServer},
	}
}

func paObj(s *State, a PartnerApp) *ps.Object {
	return ps.NewObject("Microsoft.Exchange.Data.Directory.SystemConfiguration.PartnerApplication",
		"Name", a.Name, "Enabled", a.Enabled, "ApplicationIdentifier", a.ApplicationIdentifier,
		"CertificateStrings", []ps.Value{}, "AuthMetadataUrl", a.AuthMetadataURL, "Realm", a.Realm,
		"UseAuthServer", a.UseAuthServer, "AcceptSecurityIdentifierInformation", false,
		"LinkedAccount", a.LinkedAccount, "IssuerIdentifier", "", "AppOnlyPermissions", []ps.Value{},
		"ActAsPermissions", []ps.Value{}, "Identity", a.Name, "IsValid", true)
}

// targets returns the partner applications named by -Identity (wildcards)
// or piped in.
func targetsByName(c *call, names func() []string) ([]string, error) {
	var want []string
	if c.Has("Identity") {
		want = ps.Strings(c.Val("Identity"))
	} else {
		for _, v := range c.Input {
			want = append(want, ps.ToString(v))
		}
	}
	if len(want) == 0 && c.Piped {
		return nil, nil // an empty pipeline does nothing
	}
	var out []string
	for _, w := range want {
		hit := false
		for _, n := range names() {
			if ps.MatchWild(w, n) {
				out, hit = append(out, n), true
			}
		}
		if !hit {
			return nil, c.Fail("ObjectNotFound", "ManagementObjectNotFoundException",
				"The operation couldn't be performed because object '%s' couldn't be found on '%s'.", w, host("dc01"))
		}
	}
	return out, nil
}

func (s *State) paNames() []string {
	var out []string
	for _, a := range s.Exchange.PartnerApps {
		out = append(out, a.Name)
	}
	return out
}

func getPartnerApplication(c *call) ([]ps.Value, error) {
	s := c.ip.st
	if !c.Has("Identity") {
		var out []ps.Value
		for _, a := range s.Exchange.PartnerApps {
			out = append(out, paObj(s, a))
		}
		return out, nil
	}
	names, err := targetsByName(c, s.paNames)
	if err != nil {
		return nil, err
	}
	var out []ps.Value
	for _, n := range names {
		out = append(out, paObj(s, *s.partnerApp(n)))
	}
	return out, nil
}

// loadMetadata fills an Exchange partner application from its metadata URL.
func loadMetadata(c *call, a *PartnerApp, url string) error {
	doc, err := c.ip.fetchMetadata(c.Cmdlet.Name, url)
	if err != nil {
		return c.Fail("InvalidArgument", "MetadataDownloadFailed,Microsoft.Exchange.Management.SystemConfigurationTasks.SetPartnerApplication",
			"The metadata document could not be downloaded from the URL in the AuthMetadataUrl parameter or downloaded data is not a valid metadata document. (%s)", url)
	}
	a.AuthMetadataURL, a.ApplicationIdentifier, a.Realm = url, doc.ServiceName, doc.Realm
	return nil
}

func setPartnerApplication(c *call) ([]ps.Value, error) {
	s := c.ip.st
	names, err := targetsByName(c, s.paNames)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		a := s.partnerApp(n)
		next := *a
		if c.Has("AuthMetadataUrl") || c.Sw("RefreshAuthMetadata") {
			url := a.AuthMetadataURL
			if err := c.Bind(ps.Fields{"AuthMetadataUrl": &url}); err != nil {
				return nil, err
			}
			if err := loadMetadata(c, &next, url); err != nil {
				return nil, err
			}
		}
		if err := c.Bind(ps.Fields{"Enabled": &next.Enabled, "ApplicationIdentifier": &next.ApplicationIdentifier,
			"Realm": &next.Realm, "LinkedAccount": &next.LinkedAccount, "UseAuthServer": &next.UseAuthServer}); err != nil {
			return nil, err
		}
		*a = next
	}
	return nil, nil
}

func newPartnerApplication(c *call) ([]ps.Value, error) {
	s := c.ip.st
	name := c.Str("Name")
	if name == "" {
		return nil, c.Fail("InvalidArgument", "MissingMandatoryParameter", "Cannot process command because of one or more missing mandatory parameters: Name.")
	}
	if s.partnerApp(name) != nil {
		return nil, c.Fail("ResourceExists", "ADObjectAlreadyExistsException",
			"An Active Directory object with the name '%s' already exists in the Partner Applications container.", name)
	}
	a := PartnerApp{Name: name, Enabled: true, LinkedAccount: c.Str("LinkedAccount"), UseAuthServer: ps.Truthy(c.Val("UseAuthServer")),
		ApplicationIdentifier: c.Str("ApplicationIdentifier"), Realm: c.Str("Realm"), PendingIISReset: true}
	if err := c.Bind(ps.Fields{"Enabled": &a.Enabled}); err != nil {
		return nil, err
	}
	if c.Has("AuthMetadataUrl") {
		if err := loadMetadata(c, &a, c.Str("AuthMetadataUrl")); err != nil {
			return nil, err
		}
	}
	s.Exchange.PartnerApps = append(s.Exchange.PartnerApps, a)
	return []ps.Value{paObj(s, a)}, nil
}

func removePartnerApplication(c *call) ([]ps.Value, error) {
	s := c.ip.st
	names, err := targetsByName(c, s.paNames)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		var keep []PartnerApp
		for _, a := range s.Exchange.PartnerApps {
			if !strings.EqualFold(a.Name, n) {
				keep = append(keep, a)
			}
		}
		s.Exchange.PartnerApps = keep
	}
	return nil, nil
}

// configureEnterprise does what Configure-EnterprisePartnerApplication.ps1
// does for -ApplicationType Lync: the linked account, then the partner
// application from the pool's metadata (updated in place on a re-run).
func configureEnterprise(c *call) ([]ps.Value, error) {
	s := c.ip.st
	if !strings.EqualFold(c.Str("ApplicationType"), "Lync") {
		return nil, ps.NotSimulated("Configure-EnterprisePartnerApplication.ps1 -ApplicationType " + c.Str("ApplicationType"))
	}
	if !c.Has("AuthMetadataUrl") {
		return nil, c.Fail("InvalidArgument", "MissingMandatoryParameter", "Cannot process command because of one or more missing mandatory parameters: AuthMetadataUrl.")
	}
	var app PartnerApp
	var existing *PartnerApp
	for i := range s.Exchange.PartnerApps {
		if strings.HasPrefix(strings.ToLower(s.Exchange.PartnerApps[i].Name), "lyncenterprise-") {
			existing = &s.Exchange.PartnerApps[i]
		}
	}
	if existing != nil {
		app = *existing
	} else {
		var id [8]byte
		_, _ = rand.Read(id[:])
		app = PartnerApp{Name: "LyncEnterprise-" + hex.EncodeToString(id[:])}
	}
	if err := loadMetadata(c, &app, c.Str("AuthMetadataUrl")); err != nil {
		return nil, err
	}
	app.Enabled, app.PendingIISReset = true, true
	app.LinkedAccount = s.Domain + "/Users/LyncEnterprise-ApplicationAccount"
	c.ip.out.WriteString("Configuring the linked account LyncEnterprise-ApplicationAccount with the UserApplication and ArchiveApplication roles.\n")
	if existing != nil {
		*existing = app
		c.ip.out.WriteString("Updated partner application " + app.Name + ".\n")
	} else {
		s.Exchange.PartnerApps = append(s.Exchange.PartnerApps, app)
		c.ip.out.WriteString("Created partner application " + app.Name + ".\n")
	}
	c.ip.out.WriteString("THE CONFIGURATION HAS SUCCEEDED. Restart IIS (iisreset) on every Exchange server for it to take effect.\n")
	return nil, nil
}
