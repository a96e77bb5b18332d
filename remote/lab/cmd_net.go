package lab

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Network, DNS, IIS and certificate-file commands.
func netCmdlets() []*cmdletDef {
	return []*cmdletDef{
		&cmdletDef{name: "Invoke-WebRequest", params: "Uri Method Headers Body ContentType TimeoutSec", switches: "UseBasicParsing", pos: "Uri", fn: invokeWebRequest},
		&cmdletDef{name: "Resolve-DnsName", params: "Name Type Server", switches: "DnsOnly", pos: "Name Type", fn: resolveDNSName},
		&cmdletDef{name: "nslookup", raw: true, fn: nslookup},
		&cmdletDef{name: "curl", shells: "cmd ems sfbms pki dns", raw: true, fn: curl},
		&cmdletDef{name: "iisreset", shells: "cmd ems sfbms", raw: true, fn: iisreset},
		&cmdletDef{name: "Restart-Service", shells: "ems sfbms cmd", params: "Name", switches: "Force", pos: "Name", fn: noOutput},
		&cmdletDef{name: "Restart-WebAppPool", shells: "ems sfbms cmd", params: "Name", pos: "Name", fn: noOutput},
		&cmdletDef{name: "certutil", shells: "pki cmd ems sfbms", raw: true, fn: certutil},
		&cmdletDef{name: "Add-DnsServerResourceRecordCName", shells: "dns", params: "ZoneName Name HostNameAlias ComputerName", fn: addCName},
		&cmdletDef{name: "Add-DnsServerResourceRecordA", shells: "dns", params: "ZoneName Name IPv4Address ComputerName", switches: "CreatePtr", fn: addA},
	}
}

// fetch answers a GET to rawURL from the lab's own servers, honouring the
// lab DNS: a name the scenario removed does not resolve.
func (ip *interp) fetch(cmd, rawURL string) (int, http.Header, []byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return 0, nil, nil, ps.Errf(cmd, "InvalidArgument", "WebCmdletInvalidUriException", "Invalid URI: The format of the URI could not be determined: %s", rawURL)
	}
	h := u.Hostname()
	if !strings.HasSuffix(strings.ToLower(h), "."+labDomain) {
		return 0, nil, nil, ps.Errf(cmd, "ConnectionError", "WebCmdletWebResponseException",
			"Unable to connect to the remote server (%s is outside the lab; the lab has no Internet access).", h)
	}
	if !ip.st.resolves(h) {
		return 0, nil, nil, ps.Errf(cmd, "InvalidOperation", "WebCmdletWebResponseException", "The remote name could not be resolved: '%s'", h)
	}
	if u.Port() != ip.st.Port {
		return 0, nil, nil, ps.Errf(cmd, "ConnectionError", "WebCmdletWebResponseException",
			"Unable to connect to the remote server (nothing listens on %s; the lab's web services use port %s).", u.Host, ip.st.Port)
	}
	status, hdr, body := ip.lab.respond(ip.st, u.Host, u.Path)
	return status, hdr, body, nil
}

func invokeWebRequest(c *call) ([]ps.Value, error) {
	status, hdr, body, err := c.ip.fetch(c.Cmdlet.Name, c.Str("Uri"))
	if err != nil {
		return nil, err
	}
	if status >= 400 {
		return nil, c.Fail("InvalidOperation", "WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand",
			"The remote server returned an error: (%d) %s.", status, http.StatusText(status))
	}
	headers := ps.NewObject("System.Collections.Generic.Dictionary")
	for _, k := range sortedHeader(hdr) {
		headers.Set(k, strings.Join(hdr[k], ", "))
	}
	return []ps.Value{ps.NewObject("Microsoft.PowerShell.Commands.BasicHtmlWebResponseObject",
		"StatusCode", int64(status), "StatusDescription", http.StatusText(status), "Content", string(body),
		"RawContentLength", int64(len(body)), "Headers", headers)}, nil
}

func sortedHeader(h http.Header) []string {
	m := map[string]ps.Value{}
	for k := range h {
		m[k] = nil
	}
	return ps.SortedKeys(m)
}

// chain follows the lab DNS for name: CNAME hops then addresses.
func (s *State) chain(name string) (cnames []string, addrs []string, ok bool) {
	n := strings.TrimSuffix(strings.ToLower(name), ".")
	for hops := 0; hops < 8; hops++ {
		r, found := s.DNS[n]
		if !found {
			return cnames, nil, false
		}
		if r.CNAME == "" {
			return cnames, r.A, true
		}
		cnames = append(cnames, r.CNAME)
		n = strings.ToLower(r.CNAME)
	}
	return cnames, nil, false
}

func resolveDNSName(c *call) ([]ps.Value, error) {
	name := c.Str("Name")
	cnames, addrs, ok := c.ip.st.chain(name)
	if !ok {
		return nil, c.Fail("ResourceUnavailable", "DNS_ERROR_RCODE_NAME_ERROR,Microsoft.DnsClient.Commands.ResolveDnsName",
			"%s : DNS name does not exist", name)
	}
	var out []ps.Value
	prev := name
	for _, cn := range cnames {
		out = append(out, ps.NewObject("Microsoft.DnsClient.Commands.DnsRecord_PTR", "Name", prev, "Type", "CNAME", "TTL", int64(300),
			"Section", "Answer", "NameHost", cn))
		prev = cn
	}
	for _, a := range addrs {
		out = append(out, ps.NewObject("Microsoft.DnsClient.Commands.DnsRecord_A", "Name", prev, "Type", "A", "TTL", int64(300),
			"Section", "Answer", "IPAddress", a))
	}
	return out, nil
}

func nslookup(c *call) ([]ps.Value, error) {
	var args []string
	for _, a := range ps.Strings(c.Val("args")) {
		if !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "=") { // -type=CNAME and the like: the lab answers the same
			args = append(args, a)
		}
	}
	if len(args) == 0 {
		return nil, ps.NotSimulated("Interactive nslookup")
	}
	name := args[0]
	var b strings.Builder
	b.WriteString("Server:  dc01." + labDomain + "\nAddress:  127.0.0.1\n\n")
	cnames, addrs, ok := c.ip.st.chain(name)
	if !ok {
		return nil, c.Fail("ObjectNotFound", "NativeCommandError", "*** dc01.%s can't find %s: Non-existent domain", labDomain, name)
	}
	final := name
	if len(cnames) > 0 {
		final = cnames[len(cnames)-1]
	}
	b.WriteString("Name:    " + final + "\nAddress:  " + strings.Join(addrs, ", ") + "\n")
	if len(cnames) > 0 {
		b.WriteString("Aliases:  " + name + "\n")
	}
	return []ps.Value{ps.Text(b.String())}, nil
}

// curl imitates curl.exe -s -D - … <url>: it prints the response headers.
func curl(c *call) ([]ps.Value, error) {
	args := ps.Strings(c.Val("args"))
	target := ""
	for _, a := range args {
		if strings.HasPrefix(strings.ToLower(a), "https://") || strings.HasPrefix(strings.ToLower(a), "http://") {
			target = a
		}
	}
	if target == "" {
		return nil, c.Fail("InvalidArgument", "NativeCommandError", "curl: no URL specified!")
	}
	status, hdr, _, err := c.ip.fetch("curl.exe", target)
	if err != nil {
		return nil, c.Fail("ConnectionError", "NativeCommandError", "curl: (6) %s", err.Error())
	}
	var b strings.Builder
	b.WriteString(fmt.Sprintf("HTTP/1.1 %d %s\n", status, http.StatusText(status)))
	for _, k := range sortedHeader(hdr) {
		for _, v := range hdr[k] {
			b.WriteString(wireName(k) + ": " + v + "\n")
		}
	}
	b.WriteString("\n")
	return []ps.Value{ps.Text(b.String())}, nil
}

func iisreset(c *call) ([]ps.Value, error) {
	server := ""
	for _, a := range ps.Strings(c.Val("args")) {
		if !strings.HasPrefix(a, "/") && !strings.HasPrefix(a, "-") {
			server = a
		}
	}
	if server == "" {
		server = c.ip.host
	}
	if !c.ip.st.iisReset(server) && c.ip.st.frontEnd(server) == nil {
		return nil, c.Fail("ObjectNotFound", "NativeCommandError",
			"Access denied, you must be an administrator of the remote computer to use this command. Either have your account added to the administrator local group of the remote computer or to the domain administrator global group. (%s is not a lab server.)", server)
	}
	return []ps.Value{ps.Text("\nAttempting stop...\nInternet services successfully stopped\nAttempting start...\nInternet services successfully restarted\n\n")}, nil
}

// readCert reads a certificate file of the lab (PEM/Base64 or DER).
func (ip *interp) readCert(path string) ([]byte, error) {
	data, ok := ip.st.Files[strings.ToLower(path)]
	if !ok {
		return nil, ps.Errf("", "InvalidOperation", "CryptographicException",
			"Exception calling \"Import\" with \"1\" argument(s): \"The system cannot find the file specified.\" (%s)", path)
	}
	der := data
	if blk, _ := pem.Decode(data); blk != nil {
		der = blk.Bytes
	}
	if _, err := x509.ParseCertificate(der); err != nil {
		return nil, ps.Errf("", "InvalidOperation", "CryptographicException", "Exception calling \"Import\" with \"1\" argument(s): \"Cannot find the requested object.\"")
	}
	return der, nil
}

// certutil -encode in out writes the Base64 (PEM) form; -dump shows a file.
func certutil(c *call) ([]ps.Value, error) {
	args := ps.Strings(c.Val("args"))
	if len(args) >= 3 && strings.EqualFold(args[0], "-encode") {
		data, ok := c.ip.st.Files[strings.ToLower(args[1])]
		if !ok {
			return nil, c.Fail("ObjectNotFound", "NativeCommandError", "CertUtil: -encode command FAILED: 0x80070002 (WIN32: 2 ERROR_FILE_NOT_FOUND)\nCertUtil: The system cannot find the file specified.")
		}
		c.ip.st.Files[strings.ToLower(args[2])] = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: data})
		return []ps.Value{ps.Text(fmt.Sprintf("Input Length = %d\nOutput Length = %d\nCertUtil: -encode command completed successfully.\n",
			len(data), len(c.ip.st.Files[strings.ToLower(args[2])])))}, nil
	}
	if len(args) >= 2 && strings.EqualFold(args[0], "-dump") {
		der, err := c.ip.readCert(args[1])
		if err != nil {
			return nil, c.Fail("InvalidData", "NativeCommandError", "CertUtil: -dump command FAILED: 0x80092002 (-2146885630 CRYPT_E_BAD_ENCODE)")
		}
		cert, _ := x509.ParseCertificate(der)
		return []ps.Value{ps.Text(fmt.Sprintf("X509 Certificate:\nVersion: 3\nNotBefore: %s\nNotAfter: %s\nSubject:\n    CN=%s\nCert Hash(sha1): %s\nCertUtil: -dump command completed successfully.\n",
			ps.Date(cert.NotBefore), ps.Date(cert.NotAfter), cert.Subject.CommonName, strings.ToLower(thumbprint(der))))}, nil
	}
	return nil, ps.NotSimulated("certutil " + strings.Join(args, " "))
}

func zoneName(c *call, name string) (string, error) {
	zone := strings.ToLower(c.Str("ZoneName"))
	if zone != c.ip.st.Domain {
		return "", c.Fail("ObjectNotFound", "WIN32 9601,Add-DnsServerResourceRecord",
			"Failed to get the zone information for %s on server DC01.", c.Str("ZoneName"))
	}
	n := strings.ToLower(name)
	if !strings.HasSuffix(n, "."+zone) {
		n += "." + zone
	}
	if _, exists := c.ip.st.DNS[n]; exists {
		return "", c.Fail("ResourceExists", "WIN32 9711,Add-DnsServerResourceRecord",
			"Failed to create resource record %s in zone %s on server DC01.", name, zone)
	}
	return n, nil
}

func addCName(c *call) ([]ps.Value, error) {
	n, err := zoneName(c, c.Str("Name"))
	if err != nil {
		return nil, err
	}
	c.ip.st.DNS[n] = DNSRecord{CNAME: strings.TrimSuffix(strings.ToLower(c.Str("HostNameAlias")), ".")}
	return nil, nil
}

func addA(c *call) ([]ps.Value, error) {
	n, err := zoneName(c, c.Str("Name"))
	if err != nil {
		return nil, err
	}
	c.ip.st.DNS[n] = DNSRecord{A: []string{c.Str("IPv4Address")}}
	return nil, nil
}

// fetchMetadata downloads and parses a metadata document from the lab, the
// way New-PartnerApplication and New-CsPartnerApplication do.
func (ip *interp) fetchMetadata(cmd, rawURL string) (*metadataDoc, error) {
	status, _, body, err := ip.fetch(cmd, rawURL)
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("download failed")
	}
	var doc metadataDoc
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Keys) == 0 || doc.ServiceName == "" {
		return nil, fmt.Errorf("not a metadata document")
	}
	for _, k := range doc.Keys {
		if _, err := base64.StdEncoding.DecodeString(k.KeyValue.Value); err != nil {
			return nil, fmt.Errorf("bad key")
		}
	}
	return &doc, nil
}

// wireName spells a header the way IIS sends it (Go canonicalizes the case).
func wireName(k string) string {
	switch k {
	case "Www-Authenticate":
		return "WWW-Authenticate"
	case "X-Powered-By", "Content-Length", "Content-Type", "Server":
		return k
	}
	return strings.ToLower(k)
}
