package lab

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// Well-known application ids (first-party principals).
const (
	AppExchange       = "00000002-0000-0ff1-ce00-000000000000"
	AppSkype          = "00000004-0000-0ff1-ce00-000000000000"
	AppACS            = "00000001-0000-0000-c000-000000000000"
	AppTeamsScheduler = "7557eb47-c689-4224-abcf-aef9bd7573df"
	AppCloudVoicemail = "db7de2b5-2149-435e-8043-e080dd50afae"
)

// State is the whole simulated environment. Every field is plain data; the
// lab changes it only through methods that hold mu, so the HTTPS and DNS
// servers and the shells see one consistent world.
type State struct {
	mu sync.Mutex

	Topology     string // onprem | hybrid | sfbonline
	Domain       string // SIP / SMTP domain, also the OAuth realm
	TenantID     string
	TenantDomain string
	Port         string // HTTPS port every lab URL carries

	Exchange Exchange
	SfB      SfB
	Tenant   Tenant
	DNS      map[string]DNSRecord // lower-case FQDN without the final dot
	Files    map[string][]byte    // lower-case Windows path -> content (exported certificates)

	now func() time.Time
}

// Exchange is the Exchange organization.
type Exchange struct {
	Servers     []ExchangeServer
	PartnerApps []PartnerApp
	AuthConfig  AuthConfig
	Certs       []*Cert // the certificate store (the auth certificate replicates to every server)
	AuthServers []AuthServer
	MailUsers   []MailUser
	Roles       []Role
	Connectors  []IntraOrgConnector
}

// MailUser is a mail user (the application accounts partner apps link to).
type MailUser struct {
	Name, ExternalEmailAddress string
	Hidden                     bool
}

// Role is a management role with its entries and assignees.
type Role struct {
	Name, Parent string
	Entries      []string
	Assignees    []string
}

// IntraOrgConnector is Get-IntraOrganizationConnector.
type IntraOrgConnector struct {
	Name, DiscoveryEndpoint string
	TargetAddressDomains    []string
	Enabled                 bool
}

// ExchangeServer is one Mailbox / Client Access server.
type ExchangeServer struct {
	Name                           string // short name: exch01
	FQDN                           string
	AutoDiscoverServiceInternalURI string
	EWS                            Vdir
	Autodiscover                   Vdir
	// Missing lists thumbprints this server's store lacks although the
	// organization uses them (replication never reached it).
	Missing []string
	// Addr is the loopback address the server answers on in a fleet lab
	// ("" = the lab's main listener).
	Addr string
}

// Vdir is a virtual directory's OAuth switch. Configured is what Set-* wrote
// to AD; Effective is what IIS runs with (it follows Configured at iisreset).
type Vdir struct {
	OAuth          bool
	EffectiveOAuth bool
}

// PartnerApp is an Exchange partner application (Get-PartnerApplication).
type PartnerApp struct {
	Name                  string
	ApplicationIdentifier string
	AuthMetadataURL       string
	Realm                 string
	Enabled               bool
	UseAuthServer         bool
	LinkedAccount         string
	// PendingIISReset: created or changed, but IIS has not reloaded it yet,
	// so EWS does not honour it.
	PendingIISReset bool
}

// AuthConfig is Get-AuthConfig.
type AuthConfig struct {
	Current, Next, Previous string // thumbprints
	NextEffectiveDate       time.Time
	ServiceName             string
	Realm                   string
}

// AuthServer is Get-AuthServer.
type AuthServer struct {
	Name, Type, IssuerIdentifier, AuthMetadataURL string
	Enabled                                       bool
}

// Cert is a certificate in a Windows store.
type Cert struct {
	Thumbprint   string // SHA-1 of DER, upper-case hex
	Subject      string
	FriendlyName string
	NotBefore    time.Time
	NotAfter     time.Time
	KeySize      int
	DER          []byte
}

// SfB is the Lync / Skype for Business Server deployment.
type SfB struct {
	Version      string // e.g. "Skype for Business Server 2015 (CU12)"; "… RTM" hard-codes autodiscover
	Pool         string
	OAuth        OAuthConfig
	PartnerApps  []CsPartnerApp
	OAuthServers []CsOAuthServer
	FrontEnds    []FrontEnd
	Certs        []*Cert // certificates available to the Front Ends (imported with private key)

	// Settings outside the OAuth trust that the procedures also touch.
	EnableArchiving         string // None | ImOnly | ImAndWebConf
	EnableExchangeArchiving bool
	ArchiveInternal         bool
	ArchiveExternal         bool
	AllowFederatedUsers     bool
	HostingProviders        []HostingProvider
}

// HostingProvider is Get-CsHostingProvider (Exchange Online for OWA IM).
type HostingProvider struct {
	Identity, ProxyFqdn string
	Enabled             bool
}

// OAuthConfig is Get-CsOAuthConfiguration (Identity global).
type OAuthConfig struct {
	ServiceName                            string
	Realm                                  string
	ExchangeAutodiscoverURL                string
	ClientAuthorizationOAuthServerIdentity string
}

// CsPartnerApp is Get-CsPartnerApplication.
type CsPartnerApp struct {
	Identity              string
	ApplicationIdentifier string
	ApplicationTrustLevel string
	MetadataURL           string
	Realm                 string
	UseOAuthServer        bool
	Enabled               bool
}

// CsOAuthServer is Get-CsOAuthServer.
type CsOAuthServer struct {
	Identity    string
	MetadataURL string
}

// FrontEnd is one Front End server of the pool with the OAuthTokenIssuer
// certificate it signs with.
type FrontEnd struct {
	FQDN       string
	OAuthThumb string
	Pool       string // "" = SfB.Pool
	Addr       string // see ExchangeServer.Addr
}

// Tenant is the Microsoft 365 side (hybrid and sfbonline).
type Tenant struct {
	ServicePrincipals []ServicePrincipal
}

// ServicePrincipal is a first-party service principal in the tenant.
type ServicePrincipal struct {
	ObjectID              string
	AppID                 string
	DisplayName           string
	AccountEnabled        bool
	ServicePrincipalNames []string
	KeyCredentials        []KeyCredential
}

// KeyCredential is one uploaded public key.
type KeyCredential struct {
	KeyID      string
	Thumbprint string // of the certificate the value decodes to; "" when it does not decode
	Start, End time.Time
	Broken     bool   // uploaded DER bytes read as text: the value is no certificate
	Value      string // the Base64 value as uploaded
}

// DNSRecord is what the lab DNS answers for a name.
type DNSRecord struct {
	A     []string
	CNAME string
}

// Now is the lab clock.
func (s *State) Now() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
}

// Resolves reports whether host resolves in the lab DNS (following CNAMEs).
// The caller holds s.mu.
func (s *State) resolves(host string) bool {
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	for hops := 0; hops < 8; hops++ {
		r, ok := s.DNS[name]
		if !ok {
			return false
		}
		if r.CNAME == "" {
			return len(r.A) > 0
		}
		name = strings.TrimSuffix(strings.ToLower(r.CNAME), ".")
	}
	return false
}

func (s *State) exchangeCert(thumb string) *Cert {
	for _, c := range s.Exchange.Certs {
		if strings.EqualFold(c.Thumbprint, thumb) {
			return c
		}
	}
	return nil
}

func (s *State) sfbCert(thumb string) *Cert {
	for _, c := range s.SfB.Certs {
		if strings.EqualFold(c.Thumbprint, thumb) {
			return c
		}
	}
	return nil
}

func (s *State) server(name string) *ExchangeServer {
	short, _, _ := strings.Cut(strings.ToLower(name), ".")
	for i := range s.Exchange.Servers {
		if strings.EqualFold(s.Exchange.Servers[i].Name, short) {
			return &s.Exchange.Servers[i]
		}
	}
	return nil
}

func (s *State) partnerApp(name string) *PartnerApp {
	for i := range s.Exchange.PartnerApps {
		if strings.EqualFold(s.Exchange.PartnerApps[i].Name, name) {
			return &s.Exchange.PartnerApps[i]
		}
	}
	return nil
}

func (s *State) csPartnerApp(id string) *CsPartnerApp {
	for i := range s.SfB.PartnerApps {
		if strings.EqualFold(s.SfB.PartnerApps[i].Identity, id) {
			return &s.SfB.PartnerApps[i]
		}
	}
	return nil
}

func (s *State) sp(appID string) *ServicePrincipal {
	for i := range s.Tenant.ServicePrincipals {
		if strings.EqualFold(s.Tenant.ServicePrincipals[i].AppID, appID) {
			return &s.Tenant.ServicePrincipals[i]
		}
	}
	return nil
}

func (s *State) frontEnd(host string) *FrontEnd {
	short, _, _ := strings.Cut(strings.ToLower(host), ".")
	for i := range s.SfB.FrontEnds {
		if fs, _, _ := strings.Cut(s.SfB.FrontEnds[i].FQDN, "."); strings.EqualFold(fs, short) {
			return &s.SfB.FrontEnds[i]
		}
	}
	return nil
}

// iisReset makes what IIS runs with on server (empty: every Exchange server)
// follow the configuration: pending partner applications become effective,
// virtual directory switches apply.
func (s *State) iisReset(server string) bool {
	hit := false
	for i := range s.Exchange.Servers {
		sv := &s.Exchange.Servers[i]
		if server != "" && !strings.EqualFold(sv.Name, server) && !strings.EqualFold(sv.FQDN, server) {
			continue
		}
		hit = true
		sv.EWS.EffectiveOAuth = sv.EWS.OAuth
		sv.Autodiscover.EffectiveOAuth = sv.Autodiscover.OAuth
	}
	if hit {
		// One Exchange server in the lab: its reset reloads the org's apps.
		for i := range s.Exchange.PartnerApps {
			s.Exchange.PartnerApps[i].PendingIISReset = false
		}
	}
	return hit
}

// trustedIssuers lists appid@realm for every partner application EWS
// honours now: enabled, effective, with an id and a realm.
func (s *State) trustedIssuers() []string {
	var out []string
	for _, a := range s.Exchange.PartnerApps {
		if !a.Enabled || a.PendingIISReset || a.ApplicationIdentifier == "" {
			continue
		}
		switch {
		case a.UseAuthServer && s.TenantID != "":
			out = append(out, AppACS+"@"+s.TenantID)
		case a.Realm != "":
			out = append(out, a.ApplicationIdentifier+"@"+a.Realm)
		}
	}
	if s.Topology == "hybrid" {
		// The lab's Exchange stands in for Exchange Online, which trusts
		// tokens ACS issues for any realm.
		out = append(out, AppACS+"@*")
	}
	sort.Strings(out)
	return dedupe(out)
}

func dedupe(in []string) []string {
	var out []string
	for i, v := range in {
		if i == 0 || v != in[i-1] {
			out = append(out, v)
		}
	}
	return out
}
