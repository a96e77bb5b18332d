package psout

import (
	"strings"
	"time"
)

// PartnerApplication is one Get-PartnerApplication result (Exchange).
type PartnerApplication struct {
	Name                  string
	Enabled               bool
	ApplicationIdentifier string
	AuthMetadataUrl       string
	Realm                 string
	UseAuthServer         bool
	LinkedAccount         string // the account's path or name, e.g. contoso.com/Users/LyncEnterprise-ApplicationAccount
	IssuerIdentifier      string
}

// AuthConfig is Get-AuthConfig (Exchange's OAuth signing certificate settings).
type AuthConfig struct {
	CurrentCertificateThumbprint  string
	PreviousCertificateThumbprint string
	NextCertificateThumbprint     string
	NextCertificateEffectiveDate  time.Time // zero when none is staged
	ServiceName                   string
	Realm                         string
}

// ExchangeCertificate is one Get-ExchangeCertificate result.
type ExchangeCertificate struct {
	Thumbprint    string
	Subject       string
	Issuer        string
	NotBefore     time.Time
	NotAfter      time.Time
	HasPrivateKey bool
	Services      string
	DnsNameList   []string
	PublicKeySize int    // 0 when not reported
	Status        string // Valid, DateInvalid, Revoked, …
	// SignatureAlgorithm is the Oid's FriendlyName (sha256RSA) or, when
	// only the value came through, the OID.
	SignatureAlgorithm string
}

// AuthServer is one Get-AuthServer result (Exchange: ACS, EvoSTS, AD FS).
type AuthServer struct {
	Name                           string
	Type                           string
	Enabled                        bool
	IssuerIdentifier               string
	TokenIssuingEndpoint           string
	AuthMetadataUrl                string
	Realm                          string
	ApplicationIdentifier          string
	IsDefaultAuthorizationEndpoint bool
	DomainName                     []string
}

// VirtualDirectory carries the authentication flags of an Exchange virtual directory
// (Get-WebServicesVirtualDirectory, Get-AutodiscoverVirtualDirectory, …).
type VirtualDirectory struct {
	Name                     string
	Server                   string
	Identity                 string
	InternalUrl              string
	ExternalUrl              string
	OAuthAuthentication      bool
	WindowsAuthentication    bool
	WSSecurityAuthentication bool
	BasicAuthentication      bool
}

// CsOAuthConfiguration is Get-CsOAuthConfiguration (Skype for Business / Lync).
type CsOAuthConfiguration struct {
	Identity                               string
	Realm                                  string
	ServiceName                            string
	ExchangeAutodiscoverUrl                string
	ClientAuthorizationOAuthServerIdentity string
	ExchangeAutodiscoverAllowedDomains     string
}

// CsPartnerApplication is one Get-CsPartnerApplication result.
type CsPartnerApplication struct {
	Identity                            string
	Name                                string
	ApplicationIdentifier               string
	Realm                               string
	ApplicationTrustLevel               string // a number when the script did not project the enum to text
	AcceptSecurityIdentifierInformation bool
	Enabled                             bool
	MetadataUrl                         string // from AuthToken ("Value=https://…/metadata/json/1")
}

// CsOAuthServer is one Get-CsOAuthServer result.
type CsOAuthServer struct {
	Identity    string
	Name        string
	MetadataUrl string
	Realm       string
	Type        string
}

// CsCertificate is one Get-CsCertificate result.
type CsCertificate struct {
	Use                string
	Thumbprint         string
	Subject            string
	Issuer             string
	NotBefore          time.Time
	NotAfter           time.Time
	EffectiveDate      time.Time
	PreviousThumbprint string
	AlternativeNames   []string
	SerialNumber       string
}

// PartnerApplicationFrom builds the record from a decoded object.
func PartnerApplicationFrom(o Object) PartnerApplication {
	return PartnerApplication{
		Name: o.Str("Name"), Enabled: o.Bool("Enabled"), ApplicationIdentifier: o.Str("ApplicationIdentifier"),
		AuthMetadataUrl: o.Str("AuthMetadataUrl"), Realm: o.Str("Realm"), UseAuthServer: o.Bool("UseAuthServer"),
		LinkedAccount: o.Str("LinkedAccount"), IssuerIdentifier: o.Str("IssuerIdentifier"),
	}
}

// AuthConfigFrom builds the record from a decoded object.
func AuthConfigFrom(o Object) AuthConfig {
	return AuthConfig{
		CurrentCertificateThumbprint:  o.Str("CurrentCertificateThumbprint"),
		PreviousCertificateThumbprint: o.Str("PreviousCertificateThumbprint"),
		NextCertificateThumbprint:     o.Str("NextCertificateThumbprint"),
		NextCertificateEffectiveDate:  o.Time("NextCertificateEffectiveDate"),
		ServiceName:                   o.Str("ServiceName"), Realm: o.Str("Realm"),
	}
}

// ExchangeCertificateFrom builds the record from a decoded object.
func ExchangeCertificateFrom(o Object) ExchangeCertificate {
	return ExchangeCertificate{
		Thumbprint: o.Str("Thumbprint"), Subject: o.Str("Subject"), Issuer: o.Str("Issuer"),
		NotBefore: o.Time("NotBefore"), NotAfter: o.Time("NotAfter"), HasPrivateKey: o.Bool("HasPrivateKey"),
		Services: o.Str("Services"), DnsNameList: o.Strings("DnsNameList"),
		PublicKeySize: o.Int("PublicKeySize"), Status: o.Str("Status"), SignatureAlgorithm: signatureAlgorithm(o),
	}
}

// AuthServerFrom builds the record from a decoded object.
func AuthServerFrom(o Object) AuthServer {
	return AuthServer{
		Name: o.Str("Name"), Type: o.Str("Type"), Enabled: o.Bool("Enabled"),
		IssuerIdentifier: o.Str("IssuerIdentifier"), TokenIssuingEndpoint: o.Str("TokenIssuingEndpoint"),
		AuthMetadataUrl: o.Str("AuthMetadataUrl"), Realm: o.Str("Realm"),
		ApplicationIdentifier:          o.Str("ApplicationIdentifier"),
		IsDefaultAuthorizationEndpoint: o.Bool("IsDefaultAuthorizationEndpoint"),
		DomainName:                     domainNames(o),
	}
}

// domainNames reads DomainName: SmtpDomain objects (their Domain) or
// plain strings, as the transports return them.
func domainNames(o Object) []string {
	v, _ := o.Get("DomainName")
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []string
	for _, e := range list {
		s := Text(e)
		if d, ok := e.(Object); ok && d.Str("Domain") != "" {
			s = d.Str("Domain")
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// VirtualDirectoryFrom builds the record from a decoded object.
func VirtualDirectoryFrom(o Object) VirtualDirectory {
	return VirtualDirectory{
		Name: o.Str("Name"), Server: o.Str("Server"), Identity: o.Str("Identity"),
		InternalUrl: o.Str("InternalUrl"), ExternalUrl: o.Str("ExternalUrl"),
		OAuthAuthentication: o.Bool("OAuthAuthentication"), WindowsAuthentication: o.Bool("WindowsAuthentication"),
		WSSecurityAuthentication: o.Bool("WSSecurityAuthentication"), BasicAuthentication: o.Bool("BasicAuthentication"),
	}
}

// CsOAuthConfigurationFrom builds the record from a decoded object.
func CsOAuthConfigurationFrom(o Object) CsOAuthConfiguration {
	return CsOAuthConfiguration{
		Identity: o.Str("Identity"), Realm: o.Str("Realm"), ServiceName: o.Str("ServiceName"),
		ExchangeAutodiscoverUrl:                o.Str("ExchangeAutodiscoverUrl"),
		ClientAuthorizationOAuthServerIdentity: o.Str("ClientAuthorizationOAuthServerIdentity"),
		ExchangeAutodiscoverAllowedDomains:     o.Str("ExchangeAutodiscoverAllowedDomains"),
	}
}

// CsPartnerApplicationFrom builds the record from a decoded object.
func CsPartnerApplicationFrom(o Object) CsPartnerApplication {
	meta := o.Str("MetadataUrl")
	if meta == "" {
		meta = strings.TrimPrefix(o.Str("AuthToken"), "Value=")
	}
	return CsPartnerApplication{
		Identity: o.Str("Identity"), Name: o.Str("Name"), ApplicationIdentifier: o.Str("ApplicationIdentifier"),
		Realm: o.Str("Realm"), ApplicationTrustLevel: o.Str("ApplicationTrustLevel"),
		AcceptSecurityIdentifierInformation: o.Bool("AcceptSecurityIdentifierInformation"),
		Enabled:                             o.Bool("Enabled"), MetadataUrl: meta,
	}
}

// CsOAuthServerFrom builds the record from a decoded object.
func CsOAuthServerFrom(o Object) CsOAuthServer {
	return CsOAuthServer{Identity: o.Str("Identity"), Name: o.Str("Name"), MetadataUrl: o.Str("MetadataUrl"),
		Realm: o.Str("Realm"), Type: o.Str("Type")}
}

// CsCertificateFrom builds the record from a decoded object.
func CsCertificateFrom(o Object) CsCertificate {
	return CsCertificate{
		Use: o.Str("Use"), Thumbprint: o.Str("Thumbprint"), Subject: o.Str("Subject"), Issuer: o.Str("Issuer"),
		NotBefore: o.Time("NotBefore"), NotAfter: o.Time("NotAfter"), EffectiveDate: o.Time("EffectiveDate"),
		PreviousThumbprint: o.Str("PreviousThumbprint"), AlternativeNames: o.Strings("AlternativeNames"),
		SerialNumber: o.Str("SerialNumber"),
	}
}

func parseAs[T any](data []byte, from func(Object) T) ([]T, error) {
	objs, err := Decode(data)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(objs))
	for _, o := range objs {
		out = append(out, from(o))
	}
	return out, nil
}

// ParsePartnerApplications reads Get-PartnerApplication output (JSON or CliXml).
func ParsePartnerApplications(data []byte) ([]PartnerApplication, error) {
	return parseAs(data, PartnerApplicationFrom)
}

// ParseAuthConfigs reads Get-AuthConfig output (JSON or CliXml).
func ParseAuthConfigs(data []byte) ([]AuthConfig, error) { return parseAs(data, AuthConfigFrom) }

// ParseExchangeCertificates reads Get-ExchangeCertificate output.
func ParseExchangeCertificates(data []byte) ([]ExchangeCertificate, error) {
	return parseAs(data, ExchangeCertificateFrom)
}

// ParseAuthServers reads Get-AuthServer output.
func ParseAuthServers(data []byte) ([]AuthServer, error) { return parseAs(data, AuthServerFrom) }

// ParseVirtualDirectories reads Get-*VirtualDirectory output.
func ParseVirtualDirectories(data []byte) ([]VirtualDirectory, error) {
	return parseAs(data, VirtualDirectoryFrom)
}

// ParseCsOAuthConfigurations reads Get-CsOAuthConfiguration output.
func ParseCsOAuthConfigurations(data []byte) ([]CsOAuthConfiguration, error) {
	return parseAs(data, CsOAuthConfigurationFrom)
}

// ParseCsPartnerApplications reads Get-CsPartnerApplication output.
func ParseCsPartnerApplications(data []byte) ([]CsPartnerApplication, error) {
	return parseAs(data, CsPartnerApplicationFrom)
}

// ParseCsOAuthServers reads Get-CsOAuthServer output.
func ParseCsOAuthServers(data []byte) ([]CsOAuthServer, error) {
	return parseAs(data, CsOAuthServerFrom)
}

// ParseCsCertificates reads Get-CsCertificate output.
func ParseCsCertificates(data []byte) ([]CsCertificate, error) {
	return parseAs(data, CsCertificateFrom)
}

// signatureAlgorithm reads an Oid: its FriendlyName, else its Value or text.
func signatureAlgorithm(o Object) string {
	if sub := o.Sub("SignatureAlgorithm"); sub != nil {
		if n := sub.Str("FriendlyName"); n != "" {
			return n
		}
		if v := sub.Str("Value"); v != "" {
			return v
		}
	}
	return o.Str("SignatureAlgorithm")
}
