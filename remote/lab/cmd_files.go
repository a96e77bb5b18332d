package lab

import (
	"encoding/base64"
	"strings"
)

// Certificate store and file commands used to export certificates.
func init() {
	register(
		&cmdletDef{name: "Get-Item", params: "Path", pos: "Path", fn: getItem},
		&cmdletDef{name: "Get-PfxCertificate", params: "FilePath", pos: "FilePath", fn: getPfxCertificate},
		&cmdletDef{name: "Set-Content", params: "Path Value Encoding", pos: "Path Value", fn: setContent},
		&cmdletDef{name: "Install-Module", shells: "graph msonline sfbonline exo", params: "Name Scope", switches: "Force AllowClobber", pos: "Name", fn: func(c *call) ([]Value, error) {
			c.ip.out.WriteString("(lab) module " + c.str("Name") + " is already installed.\n")
			return nil, nil
		}},
	)
}

// getItem reads Cert:\LocalMachine\My\<thumbprint> from the store of the
// machine the shell runs on.
func getItem(c *call) ([]Value, error) {
	p := c.str("Path")
	const prefix = `cert:\localmachine\my\`
	if !strings.HasPrefix(strings.ToLower(p), prefix) {
		return nil, notSimulated("Get-Item " + p + " (the lab has only Cert:\\LocalMachine\\My\\<thumbprint>)")
	}
	tp := strings.ToUpper(p[len(prefix):])
	var cert *Cert
	if c.ip.st.frontEnd(c.ip.host) != nil {
		cert = c.ip.st.sfbCert(tp)
	} else {
		cert = c.ip.st.exchangeCert(tp)
	}
	if cert == nil {
		return nil, c.fail("ObjectNotFound", "PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand",
			"Cannot find path '%s' because it does not exist.", p)
	}
	return []Value{&certObj{der: cert.DER, path: p}}, nil
}

func getPfxCertificate(c *call) ([]Value, error) {
	der, err := c.ip.readCert(c.str("FilePath"))
	if err != nil {
		return nil, err
	}
	return []Value{&certObj{der: der, path: c.str("FilePath")}}, nil
}

// setContent writes text lines to a file of the lab (CRLF, as Windows).
func setContent(c *call) ([]Value, error) {
	lines := stringsOf(c.val("Value"))
	c.ip.st.Files[strings.ToLower(c.str("Path"))] = []byte(strings.Join(lines, "\r\n") + "\r\n")
	return nil, nil
}

// base64Lines is Convert.ToBase64String with InsertLineBreaks: 76 columns.
func base64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var parts []string
	for len(s) > 76 {
		parts, s = append(parts, s[:76]), s[76:]
	}
	return strings.Join(append(parts, s), "\r\n")
}
