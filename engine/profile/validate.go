package profile

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ucpilot/ucpilot/knowledge"
)

// Problem is one invalid value: the key, the value as written and what was
// expected instead.
type Problem struct {
	Key      string
	Value    string
	Expected string
}

func (p Problem) Error() string {
	if p.Value == "" {
		return fmt.Sprintf("%s: is empty; %s", p.Key, p.Expected)
	}
	return fmt.Sprintf("%s: %s %s", p.Key, shortQuote(p.Value), p.Expected)
}

// Problems is every problem Validate found, in key order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return "invalid profile:\n  " + strings.Join(lines, "\n  ")
}

// Validate checks every value and returns all problems at once (as
// Problems), so a user fixes a profile in one pass instead of one error per
// run. It reads tls.ca_file to prove it holds a certificate.
func (p *Profile) Validate() error {
	var ps Problems
	add := func(key, value, expected string) { ps = append(ps, Problem{key, value, expected}) }

	if !validTopology(p.Topology) {
		add("topology", p.Topology, "is not a topology (expected onprem, hybrid or sfbonline)")
	}
	switch {
	case p.Domain == "":
		add("domain", "", "the SIP / SMTP domain, which is also the OAuth realm (e.g. contoso.com)")
	case !validHostname(p.Domain) || !strings.Contains(p.Domain, "."):
		add("domain", p.Domain, "is not a valid domain (letters, digits, hyphens and dots, at least two labels; e.g. contoso.com)")
	}
	if p.TenantID != "" && !guidRE.MatchString(p.TenantID) {
		add("tenant_id", p.TenantID, "is not a GUID (8-4-4-4-12 hex digits; e.g. 5de110f8-2e0f-4d45-891d-bcf2218e253d)")
	}
	p.checkHost(add, "tenant_domain", p.TenantDomain, "contoso.onmicrosoft.com")
	p.checkHost(add, "domain_controller", p.DomainController, "dc01.contoso.com")
	if p.TestSipURI != "" && !sipURIRE.MatchString(p.TestSipURI) {
		add("test_sip_uri", p.TestSipURI, "is not a SIP URI (sip:user@domain; e.g. sip:user@contoso.com)")
	}
	p.validateSides(add)
	if p.DNS.Server != "" {
		if msg := checkHostPort(p.DNS.Server); msg != "" {
			add("dns.server", p.DNS.Server, msg+" (expected host:port; e.g. 10.0.0.1:53)")
		}
	}
	if p.TLS.CAFile != "" {
		if msg := checkPEMFile(p.CAFilePath()); msg != "" {
			add("tls.ca_file", p.TLS.CAFile, msg)
		}
	}
	p.validateFleet(add)
	ps = checkIdentifiers(ps, p.identifierValues())
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// keyValue is one profile key and the value written for it.
type keyValue struct{ key, value string }

// identifierValues lists every name, GUID, URL and address in the profile,
// in the order Validate reports keys.
func (p *Profile) identifierValues() []keyValue {
	kvs := []keyValue{
		{"domain", p.Domain},
		{"tenant_id", p.TenantID},
		{"tenant_domain", p.TenantDomain},
		{"domain_controller", p.DomainController},
		{"test_sip_uri", p.TestSipURI},
		{"exchange.fqdn", p.Exchange.FQDN},
		{"exchange.autodiscover", p.Exchange.Autodiscover},
		{"exchange.metadata_url", p.Exchange.MetadataURL},
		{"exchange.ews_url", p.Exchange.EWSURL},
		{"sfb.pool", p.SfB.Pool},
		{"sfb.web_external", p.SfB.WebExternal},
		{"sfb.metadata_url", p.SfB.MetadataURL},
		{"dns.server", p.DNS.Server},
	}
	for i, s := range p.Exchange.Servers {
		kvs = append(kvs, keyValue{fmt.Sprintf("exchange.servers[%d]", i), s})
	}
	for i, s := range p.SfB.Servers {
		kvs = append(kvs, keyValue{fmt.Sprintf("sfb.servers[%d]", i), s})
	}
	return kvs
}

// MaxServers bounds each side's server list: a fleet, not a paste of a
// whole directory.
const MaxServers = 1000

// validateFleet checks the server lists (each a host name, or host:port
// for a lab), duplicates, and the connection and threshold settings.
func (p *Profile) validateFleet(add func(key, value, expected string)) {
	for _, side := range []struct {
		key     string
		servers []string
		conns   int
		example string
	}{
		{"exchange", p.Exchange.Servers, p.Exchange.Connections, "exch01.contoso.com"},
		{"sfb", p.SfB.Servers, p.SfB.Connections, "fe01.contoso.com"},
	} {
		if len(side.servers) > MaxServers {
			add(side.key+".servers", fmt.Sprintf("%d servers", len(side.servers)), fmt.Sprintf("are too many (at most %d)", MaxServers))
		}
		seen := map[string]bool{}
		for i, s := range side.servers {
			key := fmt.Sprintf("%s.servers[%d]", side.key, i)
			if !validServer(s) {
				add(key, s, "is not a server name (a hostname, or hostname:port; e.g. "+side.example+")")
				continue
			}
			if l := strings.ToLower(s); seen[l] {
				add(key, s, "is listed twice")
			} else {
				seen[l] = true
			}
		}
		if side.conns < 0 || side.conns > MaxConnections {
			add(side.key+".connections", fmt.Sprint(side.conns), fmt.Sprintf("is out of range (1 to %d; %d when not set)", MaxConnections, DefaultConnections))
		}
	}
	w, c := p.Monitoring.WarnDays, p.Monitoring.CriticalDays
	if w < 0 || w > 3650 {
		add("monitoring.warn_days", fmt.Sprint(w), "is out of range (0 to 3650 days)")
	}
	if c < 0 || c > 3650 {
		add("monitoring.critical_days", fmt.Sprint(c), "is out of range (0 to 3650 days)")
	}
	if ew, ec := p.Monitoring.Thresholds(); ec > ew {
		add("monitoring.critical_days", fmt.Sprint(ec), fmt.Sprintf("is above warn_days (%d): critical should come later than warning, closer to expiry", ew))
	}
}

// validServer accepts a hostname or hostname:port.
func validServer(s string) bool {
	if h, port, err := net.SplitHostPort(s); err == nil {
		return validHostname(h) && validPort(port)
	}
	return validHostname(s)
}

// checkIdentifiers runs every value through the identifier checker of
// `ucpilot id`, so a documented misprint (.../metadata/jason/1, an
// application id a zero short) does not pass for being well formed. The
// misprint, with its correction, replaces a plainer problem of the same key
// (http:// where https:// belongs) and otherwise joins the list.
func checkIdentifiers(ps Problems, kvs []keyValue) Problems {
	for _, kv := range kvs {
		if kv.value == "" {
			continue
		}
		v := knowledge.CheckIdentifierValue(kv.value)
		if v.Status != knowledge.IDTypo || v.Identifier == nil || v.Correction == "" {
			continue
		}
		pr := Problem{kv.key, kv.value, fmt.Sprintf("is a misprint of the %s: use %s", v.Identifier.Name, v.Correction)}
		replaced := false
		for i := range ps {
			if ps[i].Key == kv.key {
				ps[i], replaced = pr, true
				break
			}
		}
		if !replaced {
			ps = append(ps, pr)
		}
	}
	return ps
}

// validateSides checks the Exchange and SfB keys, including which of them
// the topology needs.
func (p *Profile) validateSides(add func(key, value, expected string)) {
	needExchange := p.Topology == TopologyOnPrem || p.Topology == TopologySfBOnline
	needSfB := p.Topology == TopologyOnPrem || p.Topology == TopologyHybrid
	if needExchange && p.Exchange.FQDN == "" {
		add("exchange.fqdn", "", fmt.Sprintf("the %s topology needs one Exchange server's FQDN (e.g. exch01.contoso.com)", p.Topology))
	}
	if needSfB && p.SfB.Pool == "" {
		add("sfb.pool", "", fmt.Sprintf("the %s topology needs the Front End pool FQDN (e.g. pool01.contoso.com)", p.Topology))
	}
	p.checkHost(add, "exchange.fqdn", p.Exchange.FQDN, "exch01.contoso.com")
	p.checkHost(add, "exchange.autodiscover", p.Exchange.Autodiscover, "autodiscover.contoso.com")
	p.checkURL(add, "exchange.metadata_url", p.Exchange.MetadataURL, "https://autodiscover.contoso.com/autodiscover/metadata/json/1")
	p.checkURL(add, "exchange.ews_url", p.Exchange.EWSURL, "https://autodiscover.contoso.com/EWS/Exchange.asmx")
	p.checkHost(add, "sfb.pool", p.SfB.Pool, "pool01.contoso.com")
	p.checkHost(add, "sfb.web_external", p.SfB.WebExternal, "webext.contoso.com")
	p.checkURL(add, "sfb.metadata_url", p.SfB.MetadataURL, "https://pool01.contoso.com/metadata/json/1")
	p.validateShell(add, "exchange.shell", p.Exchange.Shell)
	p.validateShell(add, "sfb.shell", p.SfB.Shell)
}

func (p *Profile) checkHost(add func(k, v, e string), key, value, example string) {
	if value != "" && !validHostname(value) {
		add(key, value, "is not a valid hostname (letters, digits, hyphens and dots; e.g. "+example+")")
	}
}

func (p *Profile) checkURL(add func(k, v, e string), key, value, example string) {
	if value == "" {
		return
	}
	if msg := checkHTTPSURL(value); msg != "" {
		add(key, value, msg+" (expected an https URL; e.g. "+example+")")
	}
}

var (
	guidRE   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	labelRE  = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	sipURIRE = regexp.MustCompile(`^sip:[^@\s:]+@[A-Za-z0-9.-]+$`)
)

func validTopology(t string) bool { return slices.Contains(Topologies(), t) }

// validHostname accepts DNS names made of LDH labels (no port, no trailing
// dot, at most 253 characters).
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, l := range strings.Split(h, ".") {
		if !labelRE.MatchString(l) {
			return false
		}
	}
	return true
}

// checkHTTPSURL returns why u is not a usable https URL, or "". An explicit
// port is fine: labs publish on high ports.
func checkHTTPSURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return "is not a URL"
	}
	if parsed.Scheme != "https" {
		return "does not start with https://"
	}
	if parsed.User != nil {
		return "carries a user name or password"
	}
	host := parsed.Hostname()
	if host == "" {
		return "has no host name"
	}
	if _, err := netip.ParseAddr(host); err != nil && !validHostname(host) {
		return "has an invalid host name"
	}
	if port := parsed.Port(); port != "" && !validPort(port) {
		return "has an invalid port"
	} else if port == "" && strings.HasSuffix(parsed.Host, ":") {
		return "has an empty port"
	}
	return ""
}

// checkHostPort returns why s is not host:port, or "".
func checkHostPort(s string) string {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return "is not host:port"
	}
	if _, err := netip.ParseAddr(host); err != nil && !validHostname(host) {
		return "has an invalid host"
	}
	if !validPort(port) {
		return "has an invalid port"
	}
	return ""
}

func validPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n > 0 && n <= 65535 && strconv.Itoa(n) == s
}

// checkPEMFile returns why path is not a readable PEM file with at least one
// parseable certificate, or "".
func checkPEMFile(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "does not exist (expected a PEM file of extra trusted root certificates)"
		}
		return "cannot be read: " + err.Error()
	}
	n := 0
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return "holds a certificate that does not parse: " + err.Error()
		}
		n++
	}
	if n == 0 {
		return "holds no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks; convert a DER .cer with openssl x509 -inform der)"
	}
	return ""
}
