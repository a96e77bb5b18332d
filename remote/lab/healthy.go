package lab

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"time"
)

// Lab names. The .lab top-level domain never collides with a real zone.
const (
	labDomain   = "contoso.lab"
	labTenantID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	labTenant   = "contosolab.onmicrosoft.com"
)

// host returns "<label>.<domain>".
func host(label string) string { return label + "." + labDomain }

// labHosts are the names the HTTPS certificate covers and the DNS answers.
var labHosts = []string{"autodiscover", "exch01", "mail", "pool01", "fe01", "fe02", "webext",
	"lyncdiscover", "lyncdiscoverinternal", "sip", "dc01"}

// healthy builds the healthy state of a topology; port is the HTTPS port.
func healthy(topology, port string, now time.Time) (*State, error) {
	s := &State{Topology: topology, Domain: labDomain, Port: port, DNS: map[string]DNSRecord{}, Files: map[string][]byte{}}
	for _, h := range labHosts {
		s.DNS[host(h)] = DNSRecord{A: []string{"127.0.0.1"}}
	}
	if topology != "onprem" {
		s.TenantID, s.TenantDomain = labTenantID, labTenant
	}
	auth, err := newAuthCert(now)
	if err != nil {
		return nil, err
	}
	oauth, err := newCert("CN="+labDomain, "Skype for Business OAuthTokenIssuer", now.Add(-24*time.Hour), now.AddDate(2, 0, 0), 2048)
	if err != nil {
		return nil, err
	}
	s.Exchange = Exchange{
		Servers: []ExchangeServer{{Name: "exch01", FQDN: host("exch01"),
			AutoDiscoverServiceInternalURI: "https://" + host("autodiscover") + "/Autodiscover/Autodiscover.xml",
			EWS:                            Vdir{true, true}, Autodiscover: Vdir{true, true}}},
		AuthConfig: AuthConfig{Current: auth.Thumbprint, ServiceName: AppExchange},
		Certs:      []*Cert{auth},
	}
	switch topology {
	case "onprem":
		s.onpremSides(oauth)
	case "hybrid":
		s.hybridSides(oauth, now)
	case "sfbonline":
		s.sfbonlineSides(auth, now)
	default:
		return nil, fmt.Errorf("lab: unknown topology %q (want onprem, hybrid or sfbonline)", topology)
	}
	return s, nil
}

func (s *State) url(h, path string) string { return "https://" + host(h) + ":" + s.Port + path }

// ExchangeMetadataURL is where the lab's Exchange publishes its metadata.
func (s *State) exchangeMetadataURL() string {
	return s.url("autodiscover", "/autodiscover/metadata/json/1")
}

func (s *State) poolMetadataURL() string { return s.url("pool01", "/metadata/json/1") }

func (s *State) sfbServer(oauth *Cert) {
	s.SfB = SfB{
		Version: "Skype for Business Server 2015 (CU12)", Pool: host("pool01"),
		OAuth: OAuthConfig{ServiceName: AppSkype, Realm: labDomain,
			ExchangeAutodiscoverURL: s.url("autodiscover", "/autodiscover/autodiscover.svc")},
		FrontEnds: []FrontEnd{{FQDN: host("fe01"), OAuthThumb: oauth.Thumbprint}, {FQDN: host("fe02"), OAuthThumb: oauth.Thumbprint}},
		Certs:     []*Cert{oauth}, EnableArchiving: "None",
	}
}

func (s *State) onpremSides(oauth *Cert) {
	s.sfbServer(oauth)
	s.SfB.PartnerApps = []CsPartnerApp{{Identity: "microsoft.exchange", ApplicationIdentifier: AppExchange,
		ApplicationTrustLevel: "Full", MetadataURL: s.exchangeMetadataURL(), Realm: labDomain, Enabled: true}}
	s.Exchange.PartnerApps = []PartnerApp{{Name: "LyncEnterprise-4c1f0e9d2a7b4e6f", ApplicationIdentifier: AppSkype,
		AuthMetadataURL: s.poolMetadataURL(), Realm: labDomain, Enabled: true,
		LinkedAccount: labDomain + "/Users/LyncEnterprise-ApplicationAccount"}}
	s.Exchange.MailUsers = []MailUser{{Name: "LyncEnterprise-ApplicationAccount", Hidden: true}}
}

// hybridSides: SfB Server on premises with Exchange Online. The lab keeps an
// on-premises Exchange for autodiscover and its metadata; the trust that
// matters is SfB -> microsoft.sts -> the tenant's service principals.
func (s *State) hybridSides(oauth *Cert, now time.Time) {
	s.sfbServer(oauth)
	s.SfB.OAuth.ClientAuthorizationOAuthServerIdentity = "microsoft.sts"
	s.SfB.OAuthServers = []CsOAuthServer{{Identity: "microsoft.sts",
		MetadataURL: "https://accounts.accesscontrol.windows.net/" + labTenantID + "/metadata/json/1"}}
	s.SfB.PartnerApps = []CsPartnerApp{{Identity: "microsoft.exchange", ApplicationIdentifier: AppExchange,
		ApplicationTrustLevel: "Full", UseOAuthServer: true, Enabled: true}}
	key := KeyCredential{KeyID: "1b2c3d4e-0000-4000-8000-000000000004", Thumbprint: oauth.Thumbprint, Start: oauth.NotBefore,
		End: oauth.NotAfter, Value: base64.StdEncoding.EncodeToString(oauth.DER)}
	key2 := key
	key2.KeyID = "1b2c3d4e-0000-4000-8000-000000000002"
	s.Tenant.ServicePrincipals = []ServicePrincipal{
		{ObjectID: "a4c0f3e1-1111-4b7a-9c55-000000000004", AppID: AppSkype, DisplayName: "Skype for Business Online", AccountEnabled: true,
			ServicePrincipalNames: []string{AppSkype, AppSkype + "/" + host("webext"), AppSkype + "/" + host("pool01")},
			KeyCredentials:        []KeyCredential{key}},
		{ObjectID: "a4c0f3e1-1111-4b7a-9c55-000000000002", AppID: AppExchange, DisplayName: "Office 365 Exchange Online", AccountEnabled: true,
			ServicePrincipalNames: []string{AppExchange, "https://outlook.office365.com/"},
			KeyCredentials:        []KeyCredential{key2}},
	}
	s.Files[`c:\oauthconfig\sfboauth.cer`] = pemCert(oauth.DER)
	_ = now
}

// sfbonlineSides: Exchange Server on premises with SfB Online / Teams.
func (s *State) sfbonlineSides(auth *Cert, now time.Time) {
	acct := labDomain + "/Users/TeamsScheduler"
	s.Exchange.PartnerApps = []PartnerApp{
		{Name: "Exchange Online", ApplicationIdentifier: AppExchange, Enabled: true, UseAuthServer: true,
			LinkedAccount: labDomain + "/Users/Exchange Online-ApplicationAccount"},
		{Name: "TeamsScheduler", ApplicationIdentifier: AppTeamsScheduler, Enabled: true, LinkedAccount: acct},
		{Name: "CloudVoicemail", ApplicationIdentifier: AppCloudVoicemail, Enabled: true},
		{Name: "SfBLegacy", ApplicationIdentifier: AppSkype, Enabled: true},
	}
	s.Exchange.AuthServers = []AuthServer{{Name: "WindowsAzureACS", Type: "MicrosoftACS", IssuerIdentifier: AppACS,
		AuthMetadataURL: "https://accounts.accesscontrol.windows.net/" + labTenant + "/metadata/json/1", Enabled: true,
		Realm: labTenantID, DomainName: []string{labDomain}}, evoSTS(labHybridAppID)}
	// The dedicated Exchange hybrid application, configured as
	// ConfigureExchangeHybridApplication.ps1 leaves it.
	s.Exchange.SettingOverrides = []SettingOverride{hybridAppOverride()}
	s.Exchange.MailUsers = []MailUser{{Name: "TeamsScheduler", ExternalEmailAddress: "TeamsScheduler-ApplicationAccount@" + labDomain, Hidden: true}}
	s.Exchange.Roles = []Role{{Name: "TeamsSchedulerRole", Parent: "UserApplication", Entries: []string{"GetDelegate"}, Assignees: []string{"TeamsScheduler"}}}
	s.Exchange.Connectors = []IntraOrgConnector{{Name: "HybridIOC - " + labTenantID[:8], DiscoveryEndpoint: "https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc",
		TargetAddressDomains: []string{"contosolab.mail.onmicrosoft.com"}, Enabled: true}}
	sp := func(obj, app, name string) ServicePrincipal {
		return ServicePrincipal{ObjectID: obj, AppID: app, DisplayName: name, AccountEnabled: true,
			ServicePrincipalNames: []string{app},
			KeyCredentials: []KeyCredential{{KeyID: "2c3d4e5f-0000-4000-8000-" + obj[len(obj)-12:],
				Thumbprint: auth.Thumbprint, Start: auth.NotBefore, End: auth.NotAfter,
				Value: base64.StdEncoding.EncodeToString(auth.DER)}}}
	}
	ex := sp("b5d1a4f2-2222-4c8b-8d66-000000000002", AppExchange, "Office 365 Exchange Online")
	ex.KeyCredentials = nil
	ex.ServicePrincipalNames = append(ex.ServicePrincipalNames, "https://"+host("autodiscover")+"/")
	s.Tenant.ServicePrincipals = []ServicePrincipal{
		sp("b5d1a4f2-2222-4c8b-8d66-000000000004", AppSkype, "Skype for Business Online"),
		sp("b5d1a4f2-2222-4c8b-8d66-0000000007e5", AppTeamsScheduler, "Skype Teams Calendar Scheduler"),
		sp("b5d1a4f2-2222-4c8b-8d66-0000000000db", AppCloudVoicemail, "Skype Teams Cloud Voicemail"),
		ex,
		sp("b5d1a4f2-2222-4c8b-8d66-00000000ea00", labHybridAppID, hybridAppName),
	}
	s.Files[`c:\oauthconfig\oauthcert.cer`] = auth.DER
	_ = now
}

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// labHybridAppID is the application id of the lab's dedicated Exchange
// hybrid application (each organization's own; Microsoft's script names it
// ExchangeServerApp-<organization guid>).
const (
	labHybridAppID = "3e1f5a7c-9b2d-4e6f-8a1c-5d7e9f0b2c4e"
	hybridAppName  = "ExchangeServerApp-2b5c7d9e-0000-4000-8000-00000000ea00"
)

// evoSTS is the AzureAD auth server the Hybrid Configuration Wizard creates,
// with the dedicated app's id when that is configured ("" when not).
func evoSTS(appID string) AuthServer {
	return AuthServer{Name: "EvoSts - " + labTenantID, Type: "AzureAD", IssuerIdentifier: "https://sts.windows.net/" + labTenantID + "/",
		AuthMetadataURL: "https://login.windows.net/" + labTenant + "/federationmetadata/2007-06/federationmetadata.xml",
		Realm:           labTenantID, ApplicationIdentifier: appID, DomainName: []string{labDomain}, Enabled: true}
}

// hybridAppOverride is the setting override the script creates.
func hybridAppOverride() SettingOverride {
	return SettingOverride{Name: "EnableExchangeHybrid3PAppFeature", Component: "Global", Section: "ExchangeOnpremAsThirdPartyAppId",
		Parameters: []string{"Enabled=true"}, Reason: "Created by ConfigureExchangeHybridApplication.ps1"}
}
