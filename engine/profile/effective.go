package profile

import (
	"crypto/x509"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/ucpilot/ucpilot/knowledge"
)

// Effective returns a copy of the profile with every derivable default
// filled in; the receiver is not changed, so Save keeps what the user wrote.
//   - exchange.autodiscover: autodiscover.<domain> (the name SfB 2015 RTM
//     hard-codes, and the usual one)
//   - exchange.metadata_url: https://<autodiscover>/autodiscover/metadata/json/1
//   - exchange.ews_url: https://<autodiscover, else fqdn>/EWS/Exchange.asmx
//   - sfb.metadata_url: https://<pool>/metadata/json/1
//   - AutodiscoverSvcURL: https://<autodiscover>/autodiscover/autodiscover.svc
//
// When exchange.metadata_url is given, the EWS and autodiscover service
// defaults use its scheme, host and port instead.
func (p *Profile) Effective() *Profile {
	e := *p
	if e.Exchange.Autodiscover == "" && e.Domain != "" {
		e.Exchange.Autodiscover = "autodiscover." + e.Domain
	}
	origin := ""
	if h := e.Exchange.Autodiscover; h != "" {
		origin = "https://" + h
	} else if h := e.Exchange.FQDN; h != "" {
		origin = "https://" + h
	}
	// An explicit metadata URL names where Exchange really answers (a lab
	// publishes on a high port): the derived URLs follow its origin.
	if u, err := url.Parse(e.Exchange.MetadataURL); err == nil && u.Scheme == "https" && u.Host != "" {
		origin = "https://" + u.Host
	}
	if origin != "" {
		if e.Exchange.MetadataURL == "" {
			e.Exchange.MetadataURL = origin + "/autodiscover/metadata/json/1"
		}
		if e.Exchange.EWSURL == "" {
			e.Exchange.EWSURL = origin + "/EWS/Exchange.asmx"
		}
		e.AutodiscoverSvcURL = origin + "/autodiscover/autodiscover.svc"
	}
	if e.SfB.MetadataURL == "" && e.SfB.Pool != "" {
		e.SfB.MetadataURL = "https://" + e.SfB.Pool + "/metadata/json/1"
	}
	return &e
}

// Vars fills the command template variables from the effective profile.
// An empty value becomes a visible placeholder (<tenant id>), so a copied
// command shows what still needs filling instead of an empty argument.
func (p *Profile) Vars() knowledge.Vars {
	e := p.Effective()
	short := ""
	if e.Exchange.FQDN != "" {
		short, _, _ = strings.Cut(e.Exchange.FQDN, ".")
	}
	ph := func(v, placeholder string) string {
		if v == "" {
			return "<" + placeholder + ">"
		}
		return v
	}
	return knowledge.Vars{
		Domain:              ph(e.Domain, "domain"),
		TenantID:            ph(e.TenantID, "tenant id"),
		TenantDomain:        ph(e.TenantDomain, "tenant domain"),
		ExchangeFQDN:        ph(e.Exchange.FQDN, "exchange server fqdn"),
		ExchangeServer:      ph(short, "exchange server"),
		Autodiscover:        ph(e.Exchange.Autodiscover, "autodiscover host"),
		ExchangeMetadataURL: ph(e.Exchange.MetadataURL, "exchange metadata url"),
		AutodiscoverSvcURL:  ph(e.AutodiscoverSvcURL, "autodiscover service url"),
		EWSURL:              ph(e.Exchange.EWSURL, "ews url"),
		SfBPool:             ph(e.SfB.Pool, "sfb pool fqdn"),
		SfBWebExternal:      ph(e.SfB.WebExternal, "sfb external web fqdn"),
		SfBMetadataURL:      ph(e.SfB.MetadataURL, "sfb metadata url"),
		TestSipURI:          ph(e.TestSipURI, "sip:test user"),
		DomainController:    ph(e.DomainController, "domain controller fqdn"),
	}
}

// RootCAs returns the roots the probes trust: the system pool plus the
// certificates of tls.ca_file. With no ca_file it returns nil, which the TLS
// stack reads as "the system roots".
func (p *Profile) RootCAs() (*x509.CertPool, error) {
	path := p.CAFilePath()
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tls.ca_file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("tls.ca_file: %s holds no PEM certificate", path)
	}
	return pool, nil
}

// Label is the name to show for the profile: its name key, else the domain
// and topology.
func (p *Profile) Label() string {
	if p.Name != "" {
		return p.Name
	}
	if p.Domain == "" {
		return "(unnamed profile)"
	}
	return p.Domain + " (" + p.Topology + ")"
}
