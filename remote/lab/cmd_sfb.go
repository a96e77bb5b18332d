package lab

import (
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Skype for Business Server Management Shell cmdlets.
func sfbCmdlets() []*cmdletDef {
	return []*cmdletDef{
		&cmdletDef{name: "Get-CsOAuthConfiguration", shells: "sfbms", params: "Identity", switches: "LocalStore", pos: "Identity", fn: getCsOAuthConfiguration},
		&cmdletDef{name: "Set-CsOAuthConfiguration", shells: "sfbms", params: "Identity ServiceName Realm ExchangeAutodiscoverUrl ClientAuthorizationOAuthServerIdentity", pos: "Identity", fn: setCsOAuthConfiguration},
		&cmdletDef{name: "Get-CsPartnerApplication", shells: "sfbms", params: "Identity", switches: "LocalStore", pos: "Identity", fn: getCsPartnerApplication},
		&cmdletDef{name: "New-CsPartnerApplication", shells: "sfbms", params: "Identity ApplicationIdentifier ApplicationTrustLevel MetadataUrl Realm", switches: "UseOAuthServer AcceptSecurityIdentifierInformation", pos: "Identity", fn: newCsPartnerApplication},
		&cmdletDef{name: "Set-CsPartnerApplication", shells: "sfbms", params: "Identity ApplicationTrustLevel MetadataUrl Enabled", switches: "UseOAuthServer", pos: "Identity", fn: setCsPartnerApplication},
		&cmdletDef{name: "Remove-CsPartnerApplication", shells: "sfbms", params: "Identity", pos: "Identity", fn: removeCsPartnerApplication},
		&cmdletDef{name: "Get-CsOAuthServer", shells: "sfbms", params: "Identity", pos: "Identity", fn: getCsOAuthServer},
		&cmdletDef{name: "New-CsOAuthServer", shells: "sfbms", params: "Identity MetadataUrl", pos: "Identity", fn: newCsOAuthServer},
		&cmdletDef{name: "Remove-CsOAuthServer", shells: "sfbms", params: "Identity", pos: "Identity", fn: removeCsOAuthServer},
		&cmdletDef{name: "Get-CsCertificate", shells: "sfbms", params: "Type", pos: "", fn: getCsCertificate},
		&cmdletDef{name: "Set-CsCertificate", shells: "sfbms", params: "Identity Type Thumbprint EffectiveDate", switches: "Roll", fn: setCsCertificate},
		&cmdletDef{name: "Get-CsManagementStoreReplicationStatus", shells: "sfbms", params: "ReplicaFqdn", switches: "CentralManagementStoreStatus", fn: getReplication},
		&cmdletDef{name: "Test-CsExStorageConnectivity", shells: "sfbms", params: "SipUri Binding", switches: "DeleteItem", fn: testExStorage},
	}
}

func csOAuthObj(o OAuthConfig) *ps.Object {
	return ps.NewObject("Microsoft.Rtc.Management.WritableConfig.Policy.OAuth.OAuthConfiguration",
		"Identity", "Global", "PartnerApplications", []ps.Value{}, "OAuthServers", []ps.Value{},
		"Realm", o.Realm, "ServiceName", o.ServiceName, "ClientAuthorizationOAuthServerIdentity", o.ClientAuthorizationOAuthServerIdentity,
		"ExchangeAutodiscoverUrl", o.ExchangeAutodiscoverURL, "ExchangeAutodiscoverAllowedDomains", "*",
		"ClientAdalAuthOverride", "Allowed", "ClientAuthorizationOAuthServerIdentityWithin", "", "AlternateAudienceUrl", "",
		"AdditionalAudienceUrls", []ps.Value{})
}

func checkGlobal(c *call) error {
	if id := c.Str("Identity"); id != "" && !strings.EqualFold(id, "global") {
		return c.Fail("InvalidArgument", "InvalidIdentity", "Identity %q is not valid: the only OAuth configuration is Global.", id)
	}
	return nil
}

func getCsOAuthConfiguration(c *call) ([]ps.Value, error) {
	if err := checkGlobal(c); err != nil {
		return nil, err
	}
	return []ps.Value{csOAuthObj(c.ip.st.SfB.OAuth)}, nil
}

func setCsOAuthConfiguration(c *call) ([]ps.Value, error) {
	if err := checkGlobal(c); err != nil {
		return nil, err
	}
	o := &c.ip.st.SfB.OAuth
	if err := c.Bind(ps.Fields{"ServiceName": &o.ServiceName, "Realm": &o.Realm, "ExchangeAutodiscoverUrl": &o.ExchangeAutodiscoverURL, "ClientAuthorizationOAuthServerIdentity": &o.ClientAuthorizationOAuthServerIdentity}); err != nil {
		return nil, err
	}
	return nil, nil
}

func csPAObj(a CsPartnerApp) *ps.Object {
	token := "Value=" + a.MetadataURL
	if a.UseOAuthServer {
		token = "UseOAuthServer"
	}
	return ps.NewObject("Microsoft.Rtc.Management.WritableConfig.Policy.OAuth.PartnerApplication",
		"Identity", a.Identity, "AuthToken", token, "Name", a.Identity, "ApplicationIdentifier", a.ApplicationIdentifier,
		"Realm", a.Realm, "ApplicationTrustLevel", a.ApplicationTrustLevel, "AcceptSecurityIdentifierInformation", false,
		"Enabled", a.Enabled)
}

func csTarget(c *call) (*CsPartnerApp, error) {
	id := c.Str("Identity")
	if id == "" && len(c.Input) > 0 {
		id = ps.ToString(c.Input[0])
	}
	a := c.ip.st.csPartnerApp(id)
	if a == nil {
		return nil, c.Fail("ObjectNotFound", "ItemNotFound", "Cannot find partner application %q. Use Get-CsPartnerApplication to list them.", id)
	}
	return a, nil
}

func getCsPartnerApplication(c *call) ([]ps.Value, error) {
	if c.Has("Identity") {
		a, err := csTarget(c)
		if err != nil {
			return nil, err
		}
		return []ps.Value{csPAObj(*a)}, nil
	}
	var out []ps.Value
	for _, a := range c.ip.st.SfB.PartnerApps {
		out = append(out, csPAObj(a))
	}
	return out, nil
}

const metadataDownloadFailed = "The metadata document could not be downloaded from the URL in the MetadataUrl parameter or downloaded data is not a valid metadata document."

func validTrust(c *call) (string, error) {
	t := c.Str("ApplicationTrustLevel")
	for _, ok := range []string{"Full", "User", "Application"} {
		if strings.EqualFold(t, ok) {
			return ok, nil
		}
	}
	return "", c.Fail("InvalidArgument", "ParameterArgumentTransformationError",
		"Cannot bind parameter 'ApplicationTrustLevel'. Cannot convert value \"%s\" to type \"ApplicationTrustLevel\". Specify one of: Full, User, Application.", t)
}

func newCsPartnerApplication(c *call) ([]ps.Value, error) {
	s := c.ip.st
	id := c.Str("Identity")
	if id == "" {
		return nil, c.Fail("InvalidArgument", "MissingMandatoryParameter", "Cannot process command because of one or more missing mandatory parameters: Identity.")
	}
	if s.csPartnerApp(id) != nil {
		return nil, c.Fail("ResourceExists", "ItemAlreadyExists", "Cannot create item \"%s\": an item with this Identity already exists. Use Set-CsPartnerApplication to change it.", id)
	}
	trust, err := validTrust(c)
	if err != nil {
		return nil, err
	}
	a := CsPartnerApp{Identity: id, ApplicationTrustLevel: trust, Enabled: true}
	switch {
	case c.Has("MetadataUrl"):
		doc, err := c.ip.fetchMetadata(c.Cmdlet.Name, c.Str("MetadataUrl"))
		if err != nil {
			return nil, c.Fail("InvalidData", "ParameterBindingFailed,Microsoft.Rtc.Management.Internal.OAuth.NewCsPartnerApplicationCmdlet",
				"Cannot bind parameter 'MetadataUrl'. %s", metadataDownloadFailed)
		}
		a.MetadataURL, a.ApplicationIdentifier, a.Realm = c.Str("MetadataUrl"), doc.ServiceName, doc.Realm
	case c.Sw("UseOAuthServer") && c.Has("ApplicationIdentifier"):
		a.UseOAuthServer, a.ApplicationIdentifier = true, c.Str("ApplicationIdentifier")
	default:
		return nil, c.Fail("InvalidArgument", "AmbiguousParameterSet", "Parameter set cannot be resolved using the specified named parameters: give -MetadataUrl, or -ApplicationIdentifier with -UseOAuthServer.")
	}
	s.SfB.PartnerApps = append(s.SfB.PartnerApps, a)
	return nil, nil
}

func setCsPartnerApplication(c *call) ([]ps.Value, error) {
	a, err := csTarget(c)
	if err != nil {
		return nil, err
	}
	next := *a
	if c.Has("ApplicationTrustLevel") {
		if next.ApplicationTrustLevel, err = validTrust(c); err != nil {
			return nil, err
		}
	}
	if c.Has("MetadataUrl") {
		doc, err := c.ip.fetchMetadata(c.Cmdlet.Name, c.Str("MetadataUrl"))
		if err != nil {
			return nil, c.Fail("InvalidData", "ParameterBindingFailed", "Cannot bind parameter 'MetadataUrl'. %s", metadataDownloadFailed)
		}
		next.MetadataURL, next.ApplicationIdentifier, next.Realm, next.UseOAuthServer = c.Str("MetadataUrl"), doc.ServiceName, doc.Realm, false
	}
	if c.Sw("UseOAuthServer") {
		next.UseOAuthServer, next.MetadataURL = true, ""
	}
	if err := c.Bind(ps.Fields{"Enabled": &next.Enabled}); err != nil {
		return nil, err
	}
	*a = next
	return nil, nil
}

func removeCsPartnerApplication(c *call) ([]ps.Value, error) {
	a, err := csTarget(c)
	if err != nil {
		return nil, err
	}
	s := c.ip.st
	var keep []CsPartnerApp
	for _, x := range s.SfB.PartnerApps {
		if x.Identity != a.Identity {
			keep = append(keep, x)
		}
	}
	s.SfB.PartnerApps = keep
	return nil, nil
}

func getCsOAuthServer(c *call) ([]ps.Value, error) {
	var out []ps.Value
	for _, o := range c.ip.st.SfB.OAuthServers {
		if c.Has("Identity") && !strings.EqualFold(o.Identity, c.Str("Identity")) {
			continue
		}
		out = append(out, ps.NewObject("Microsoft.Rtc.Management.WritableConfig.Policy.OAuth.OAuthServer",
			"Identity", o.Identity, "Name", o.Identity, "IssuerIdentifier", "", "MetadataUrl", o.MetadataURL, "Realm", "", "Type", "AzureAD"))
	}
	if c.Has("Identity") && len(out) == 0 {
		return nil, c.Fail("ObjectNotFound", "ItemNotFound", "Cannot find OAuth server %q.", c.Str("Identity"))
	}
	return out, nil
}

func newCsOAuthServer(c *call) ([]ps.Value, error) {
	s := c.ip.st
	for _, o := range s.SfB.OAuthServers {
		if strings.EqualFold(o.Identity, c.Str("Identity")) {
			return nil, c.Fail("ResourceExists", "ItemAlreadyExists", "Cannot create item \"%s\": it already exists.", o.Identity)
		}
	}
	s.SfB.OAuthServers = append(s.SfB.OAuthServers, CsOAuthServer{Identity: c.Str("Identity"), MetadataURL: c.Str("MetadataUrl")})
	return nil, nil
}

func removeCsOAuthServer(c *call) ([]ps.Value, error) {
	s := c.ip.st
	var keep []CsOAuthServer
	for _, o := range s.SfB.OAuthServers {
		if !strings.EqualFold(o.Identity, c.Str("Identity")) {
			keep = append(keep, o)
		}
	}
	if len(keep) == len(s.SfB.OAuthServers) {
		return nil, c.Fail("ObjectNotFound", "ItemNotFound", "Cannot find OAuth server %q.", c.Str("Identity"))
	}
	s.SfB.OAuthServers = keep
	return nil, nil
}

// getCsCertificate shows the local Front End's certificates.
func getCsCertificate(c *call) ([]ps.Value, error) {
	s := c.ip.st
	fe := s.frontEnd(c.ip.host)
	if fe == nil {
		return nil, c.Fail("InvalidOperation", "NotAFrontEnd", "This computer (%s) is not a Skype for Business Server.", c.ip.host)
	}
	if t := c.Str("Type"); t != "" && !strings.EqualFold(t, "OAuthTokenIssuer") {
		return nil, ps.NotSimulated("Get-CsCertificate -Type " + t)
	}
	cert := s.sfbCert(fe.OAuthThumb)
	if cert == nil {
		return nil, nil
	}
	return []ps.Value{ps.NewObject("Microsoft.Rtc.Management.Deployment.CertificateReference",
		"Issuer", cert.Subject, "NotAfter", cert.NotAfter, "NotBefore", cert.NotBefore, "SerialNumber", cert.Thumbprint[:16],
		"Subject", cert.Subject, "AlternativeNames", []ps.Value{}, "Thumbprint", cert.Thumbprint, "EffectiveDate", cert.NotBefore,
		"PreviousThumbprint", "", "PreviousNotAfter", nil, "KeySize", int64(cert.KeySize), "Use", "OAuthTokenIssuer")}, nil
}

// setCsCertificate assigns at global scope: replication pushes the
// certificate to every Front End of the pool.
func setCsCertificate(c *call) ([]ps.Value, error) {
	s := c.ip.st
	if !strings.EqualFold(c.Str("Type"), "OAuthTokenIssuer") {
		return nil, ps.NotSimulated("Set-CsCertificate -Type " + c.Str("Type"))
	}
	if !strings.EqualFold(c.Str("Identity"), "global") {
		return nil, c.Fail("InvalidArgument", "GlobalOnly", "The OAuthTokenIssuer certificate can only be assigned with -Identity global.")
	}
	tp := strings.ToUpper(strings.TrimSpace(c.Str("Thumbprint")))
	cert := s.sfbCert(tp)
	if cert == nil {
		return nil, c.Fail("ObjectNotFound", "CertificateNotFound", "Command execution failed: Cannot find certificate with thumbprint \"%s\" in the local certificate store of %s.", tp, c.ip.host)
	}
	for i := range s.SfB.FrontEnds {
		s.SfB.FrontEnds[i].OAuthThumb = cert.Thumbprint
	}
	return nil, nil
}

func getReplication(c *call) ([]ps.Value, error) {
	var out []ps.Value
	now := c.ip.st.Now().UTC().Add(-2 * time.Minute).Truncate(time.Second)
	for _, fe := range c.ip.st.SfB.FrontEnds {
		out = append(out, ps.NewObject("Microsoft.Rtc.Management.Xds.ReplicaState", "UpToDate", true, "ReplicaFqdn", fe.FQDN,
			"LastStatusReport", now, "LastUpdateCreation", now, "ProductVersion", "6.0.9319.0"))
	}
	return out, nil
}
