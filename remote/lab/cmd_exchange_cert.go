package lab

import (
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Auth configuration, certificates, virtual directories and CAS settings.

func getAuthConfig(c *call) ([]ps.Value, error) {
	a := c.ip.st.Exchange.AuthConfig
	var eff ps.Value
	if !a.NextEffectiveDate.IsZero() {
		eff = a.NextEffectiveDate
	}
	return []ps.Value{ps.NewObject("Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig",
		"CurrentCertificateThumbprint", a.Current, "PreviousCertificateThumbprint", a.Previous,
		"NextCertificateThumbprint", a.Next, "NextCertificateEffectiveDate", eff,
		"ServiceName", a.ServiceName, "Realm", a.Realm, "Name", "Auth Configuration", "Identity", "Auth Configuration")}, nil
}

func setAuthConfig(c *call) ([]ps.Value, error) {
	s := c.ip.st
	a := &s.Exchange.AuthConfig
	if c.Has("NewCertificateThumbprint") {
		tp := strings.ToUpper(c.Str("NewCertificateThumbprint"))
		if s.exchangeCert(tp) == nil {
			return nil, c.Fail("InvalidArgument", "CertificateNotFound",
				"The certificate with thumbprint %s was not found in the local computer's certificate store on EXCH01.", tp)
		}
		a.Next = tp
		a.NextEffectiveDate = s.Now().UTC().Truncate(time.Second)
		if c.Has("NewCertificateEffectiveDate") {
			if t, ok := c.Val("NewCertificateEffectiveDate").(time.Time); ok {
				a.NextEffectiveDate = t
			}
		}
	}
	if c.Sw("PublishCertificate") {
		if a.Next == "" {
			return nil, c.Fail("InvalidOperation", "NoNextCertificate", "There is no next certificate to publish. Set one with -NewCertificateThumbprint first.")
		}
		a.Previous, a.Current, a.Next, a.NextEffectiveDate = a.Current, a.Next, "", time.Time{}
	}
	if c.Sw("ClearPreviousCertificate") {
		a.Previous = ""
	}
	return nil, c.Bind(ps.Fields{"ServiceName": &a.ServiceName, "Realm": &a.Realm})
}

func exCertObj(s *State, cert *Cert) *ps.Object {
	status := "Valid"
	if cert.NotAfter.Before(s.Now()) {
		status = "DateInvalid"
	}
	services := "SMTP"
	if cert.Subject == authCertSubject {
		services = "None"
	}
	return ps.NewObject("Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate",
		"Thumbprint", cert.Thumbprint, "Services", services, "Subject", cert.Subject, "Issuer", cert.Subject, "FriendlyName", cert.FriendlyName,
		"NotBefore", cert.NotBefore, "NotAfter", cert.NotAfter, "HasPrivateKey", true, "IsSelfSigned", true,
		"Status", status, "PublicKeySize", int64(cert.KeySize), "CertificateDomains", []ps.Value{})
}

func getExchangeCertificate(c *call) ([]ps.Value, error) {
	s := c.ip.st
	want := ps.Strings(c.Val("Thumbprint"))
	if !c.Has("Thumbprint") {
		for _, v := range c.Input {
			want = append(want, ps.ToString(v))
		}
	}
	if !c.Has("Thumbprint") && len(c.Input) == 0 {
		if c.Piped {
			return nil, nil
		}
		var out []ps.Value
		for _, cert := range s.Exchange.Certs {
			out = append(out, exCertObj(s, cert))
		}
		return out, nil
	}
	// -Server reads that server's store over RPC; without it, the store of
	// the server the shell is connected to.
	var sv *ExchangeServer
	if name := c.Str("Server"); name != "" {
		if sv = s.server(name); sv == nil {
			return nil, c.Fail("NotSpecified", "ServerNotFound", "The Exchange server %q couldn't be found.", name)
		}
	} else if len(s.Exchange.Servers) > 0 {
		sv = &s.Exchange.Servers[0]
	}
	rpcName := "EXCH01"
	if sv != nil {
		rpcName = strings.ToUpper(sv.Name)
	}
	var out []ps.Value
	for _, tp := range want {
		cert := s.exchangeCert(strings.TrimSpace(tp))
		if cert == nil || (sv != nil && sv.lacks(cert.Thumbprint)) {
			return nil, c.Fail("NotSpecified", "CertificateNotFound",
				"A special Rpc error occurs on server %s: The certificate with thumbprint %s was not found.", rpcName, tp)
		}
		out = append(out, exCertObj(s, cert))
	}
	return out, nil
}

func newExchangeCertificate(c *call) ([]ps.Value, error) {
	s := c.ip.st
	bits := 2048
	if c.Has("KeySize") {
		switch c.Str("KeySize") {
		case "1024":
			bits = 1024
		case "2048":
		case "4096":
			bits = 4096
		default:
			return nil, c.Fail("InvalidArgument", "ParameterArgumentValidationError", "Cannot validate argument on parameter 'KeySize'. The key size %s is not supported.", c.Str("KeySize"))
		}
	}
	subject := c.Str("SubjectName")
	if subject == "" {
		subject = "CN=" + host("exch01")
	}
	if strings.HasPrefix(strings.ToLower(subject), "cn=") {
		subject = "CN=" + subject[3:]
	}
	now := s.Now()
	cert, err := newCert(subject, c.Str("FriendlyName"), now.Add(-time.Hour), now.AddDate(5, 0, 0), bits)
	if err != nil {
		return nil, c.Fail("NotSpecified", "CertificateCreationFailed", "%v", err)
	}
	s.Exchange.Certs = append(s.Exchange.Certs, cert)
	return []ps.Value{ps.NewObject("Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate",
		"Thumbprint", cert.Thumbprint, "Services", "None", "Subject", cert.Subject)}, nil
}

func vdirObj(sv ExchangeServer, ews bool) *ps.Object {
	name, v, path := "Autodiscover (Default Web Site)", sv.Autodiscover, "/Autodiscover/Autodiscover.xml"
	typ := "Microsoft.Exchange.Data.Directory.SystemConfiguration.ADAutodiscoverVirtualDirectory"
	if ews {
		name, v, path = "EWS (Default Web Site)", sv.EWS, "/EWS/Exchange.asmx"
		typ = "Microsoft.Exchange.Data.Directory.SystemConfiguration.ADWebServicesVirtualDirectory"
	}
	return ps.NewObject(typ, "Identity", strings.ToUpper(sv.Name)+`\`+name, "Name", name, "Server", strings.ToUpper(sv.Name),
		"CertificateAuthentication", false, "InternalNLBBypassUrl", "", "BasicAuthentication", false,
		"DigestAuthentication", false, "OAuthAuthentication", v.OAuth, "WindowsAuthentication", true,
		"WSSecurityAuthentication", true, "InternalUrl", "https://"+host("mail")+path, "ExternalUrl", "https://"+host("mail")+path)
}

func vdirServers(c *call) ([]*ExchangeServer, error) {
	s := c.ip.st
	want := c.Str("Server")
	if want == "" && c.Has("Identity") {
		want, _, _ = strings.Cut(c.Str("Identity"), `\`)
	}
	if want == "" {
		for _, v := range c.Input {
			if o, ok := v.(*ps.Object); ok {
				if sv, ok := o.Get("Server"); ok {
					if x := s.server(ps.ToString(sv)); x != nil {
						return []*ExchangeServer{x}, nil
					}
				}
			}
		}
	}
	var out []*ExchangeServer
	for i := range s.Exchange.Servers {
		if want == "" || s.server(want) == &s.Exchange.Servers[i] {
			out = append(out, &s.Exchange.Servers[i])
		}
	}
	if len(out) == 0 {
		return nil, c.Fail("ObjectNotFound", "ManagementObjectNotFoundException", "The operation couldn't be performed because object '%s' couldn't be found on '%s'.", want, host("dc01"))
	}
	return out, nil
}

func getVdir(ews bool) func(c *call) ([]ps.Value, error) {
	return func(c *call) ([]ps.Value, error) {
		svs, err := vdirServers(c)
		if err != nil {
			return nil, err
		}
		var out []ps.Value
		for _, sv := range svs {
			out = append(out, vdirObj(*sv, ews))
		}
		return out, nil
	}
}

// setVdir changes the AD setting; IIS applies it at the next iisreset.
func setVdir(ews bool) func(c *call) ([]ps.Value, error) {
	return func(c *call) ([]ps.Value, error) {
		if c.Piped && len(c.Input) == 0 {
			return nil, nil
		}
		svs, err := vdirServers(c)
		if err != nil {
			return nil, err
		}
		for _, sv := range svs {
			if c.Has("OAuthAuthentication") {
				if ews {
					sv.EWS.OAuth = ps.Truthy(c.Val("OAuthAuthentication"))
				} else {
					sv.Autodiscover.OAuth = ps.Truthy(c.Val("OAuthAuthentication"))
				}
			}
		}
		return nil, nil
	}
}

func getCAS(c *call) ([]ps.Value, error) {
	var out []ps.Value
	for _, sv := range c.ip.st.Exchange.Servers {
		if c.Has("Identity") && c.ip.st.server(c.Str("Identity")) == nil {
			return nil, c.Fail("ObjectNotFound", "ManagementObjectNotFoundException", "The operation couldn't be performed because object '%s' couldn't be found on '%s'.", c.Str("Identity"), host("dc01"))
		}
		out = append(out, ps.NewObject("Microsoft.Exchange.Data.Directory.Management.ClientAccessServer",
			"Name", strings.ToUpper(sv.Name), "Fqdn", sv.FQDN, "AutoDiscoverServiceInternalUri", sv.AutoDiscoverServiceInternalURI,
			"AutoDiscoverSiteScope", []ps.Value{"Default-First-Site-Name"}, "Identity", strings.ToUpper(sv.Name)))
	}
	return out, nil
}

func setCAS(c *call) ([]ps.Value, error) {
	s := c.ip.st
	targets := ps.Strings(c.Val("Identity"))
	for _, v := range c.Input {
		targets = append(targets, ps.ToString(v))
	}
	for _, t := range targets {
		sv := s.server(t)
		if sv == nil {
			return nil, c.Fail("ObjectNotFound", "ManagementObjectNotFoundException", "The operation couldn't be performed because object '%s' couldn't be found on '%s'.", t, host("dc01"))
		}
		if err := c.Bind(ps.Fields{"AutoDiscoverServiceInternalUri": &sv.AutoDiscoverServiceInternalURI}); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func getAuthServer(c *call) ([]ps.Value, error) {
	var out []ps.Value
	for _, a := range c.ip.st.Exchange.AuthServers {
		out = append(out, ps.NewObject("Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthServer",
			"Name", a.Name, "IssuerIdentifier", a.IssuerIdentifier, "TokenIssuingEndpoint", "https://accounts.accesscontrol.windows.net/"+c.ip.st.TenantID+"/tokens/OAuth/2",
			"AuthMetadataUrl", a.AuthMetadataURL, "Type", a.Type, "Enabled", a.Enabled, "IsDefaultAuthorizationEndpoint", false))
	}
	return out, nil
}

// monitorAuthCert is the CSS-Exchange script in renewal mode: it renews an
// auth certificate that expired or expires within 60 days.
func monitorAuthCert(c *call) ([]ps.Value, error) {
	s := c.ip.st
	cur := s.exchangeCert(s.Exchange.AuthConfig.Current)
	enforce := c.Sw("EnforceNewAuthCertificateCreation")
	if !enforce && !ps.Truthy(c.Val("ValidateAndRenewAuthCertificate")) { // report mode
		if cur == nil {
			c.ip.out.WriteString("The Auth Certificate configured (" + s.Exchange.AuthConfig.Current + ") was not found on this server. Run with -ValidateAndRenewAuthCertificate $true to replace it.\n")
			return nil, nil
		}
		c.ip.out.WriteString("Auth Certificate " + cur.Thumbprint + " valid from " + ps.Date(cur.NotBefore) + " until " + ps.Date(cur.NotAfter) + ".\n")
		if cur.NotAfter.Before(s.Now().AddDate(0, 0, 60)) {
			c.ip.out.WriteString("Renewal is needed. Run with -ValidateAndRenewAuthCertificate $true.\n")
		}
		return nil, nil
	}
	if !enforce && cur != nil && cur.NotAfter.After(s.Now().AddDate(0, 0, 60)) {
		// A valid certificate missing on some servers is imported there
		// (the script's current versions do that instead of renewing).
		for i := range s.Exchange.Servers {
			sv := &s.Exchange.Servers[i]
			if sv.lacks(cur.Thumbprint) {
				var keep []string
				for _, m := range sv.Missing {
					if !strings.EqualFold(m, cur.Thumbprint) {
						keep = append(keep, m)
					}
				}
				sv.Missing = keep
				c.ip.out.WriteString("The Auth Certificate " + cur.Thumbprint + " was missing on " + strings.ToUpper(sv.Name) + " and was imported there.\n")
			}
		}
		c.ip.out.WriteString("The Auth Certificate " + cur.Thumbprint + " is valid until " + ps.Date(cur.NotAfter) + ". No renewal needed.\n")
		return nil, nil
	}
	now := s.Now()
	cert, err := newCert(authCertSubject, "Microsoft Exchange Server Auth Certificate", now.Add(-time.Hour), now.AddDate(5, 0, 0), 2048)
	if err != nil {
		return nil, c.Fail("NotSpecified", "CertificateCreationFailed", "%v", err)
	}
	s.Exchange.Certs = append(s.Exchange.Certs, cert)
	a := &s.Exchange.AuthConfig
	a.Previous, a.Current, a.Next = "", cert.Thumbprint, ""
	c.ip.out.WriteString("New Auth Certificate " + cert.Thumbprint + " created and made active.\n")
	return nil, nil
}

func getExchangeServer(c *call) ([]ps.Value, error) {
	var out []ps.Value
	for _, sv := range c.ip.st.Exchange.Servers {
		if c.Has("Identity") && c.ip.st.server(c.Str("Identity")) == nil {
			return nil, notFound(c, c.Str("Identity"))
		}
		out = append(out, ps.NewObject("Microsoft.Exchange.Data.Directory.Management.ExchangeServer", "Name", strings.ToUpper(sv.Name),
			"Fqdn", sv.FQDN, "ServerRole", "Mailbox", "Edition", "StandardEvaluation", "AdminDisplayVersion", "Version 15.2 (Build 1544.4)",
			"Site", labDomain+"/Configuration/Sites/Default-First-Site-Name"))
	}
	return out, nil
}

func removeAuthServer(c *call) ([]ps.Value, error) {
	s := c.ip.st
	var keep []AuthServer
	for _, a := range s.Exchange.AuthServers {
		if !strings.EqualFold(a.Name, c.Str("Identity")) {
			keep = append(keep, a)
		}
	}
	if len(keep) == len(s.Exchange.AuthServers) {
		return nil, notFound(c, c.Str("Identity"))
	}
	s.Exchange.AuthServers = keep
	return nil, nil
}
