package lab

import (
	"strings"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Certificate store and file commands used to export certificates.
func fileCmdlets() []*cmdletDef {
	return []*cmdletDef{
		&cmdletDef{name: "Get-Item", params: "Path", pos: "Path", fn: getItem},
		&cmdletDef{name: "Get-PfxCertificate", params: "FilePath", pos: "FilePath", fn: getPfxCertificate},
		&cmdletDef{name: "Set-Content", params: "Path Value Encoding", pos: "Path Value", fn: setContent},
		&cmdletDef{name: "Install-Module", shells: "graph msonline sfbonline exo", params: "Name Scope", switches: "Force AllowClobber", pos: "Name", fn: func(c *call) ([]ps.Value, error) {
			c.ip.out.WriteString("(lab) module " + c.Str("Name") + " is already installed.\n")
			return nil, nil
		}},
	}
}

// getItem reads Cert:\LocalMachine\My\<thumbprint> from the store of the
// machine the shell runs on.
func getItem(c *call) ([]ps.Value, error) {
	p := c.Str("Path")
	const prefix = `cert:\localmachine\my\`
	if !strings.HasPrefix(strings.ToLower(p), prefix) {
		return nil, ps.NotSimulated("Get-Item " + p + " (the lab has only Cert:\\LocalMachine\\My\\<thumbprint>)")
	}
	tp := strings.ToUpper(p[len(prefix):])
	var cert *Cert
	if c.ip.st.frontEnd(c.ip.host) != nil {
		cert = c.ip.st.sfbCert(tp)
	} else {
		cert = c.ip.st.exchangeCert(tp)
	}
	if cert == nil {
		return nil, c.Fail("ObjectNotFound", "PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand",
			"Cannot find path '%s' because it does not exist.", p)
	}
	return []ps.Value{&certObj{der: cert.DER, path: p}}, nil
}

func getPfxCertificate(c *call) ([]ps.Value, error) {
	der, err := c.ip.readCert(c.Str("FilePath"))
	if err != nil {
		return nil, err
	}
	return []ps.Value{&certObj{der: der, path: c.Str("FilePath")}}, nil
}

// setContent writes text lines to a file of the lab (CRLF, as Windows).
func setContent(c *call) ([]ps.Value, error) {
	lines := ps.Strings(c.Val("Value"))
	c.ip.st.Files[strings.ToLower(c.Str("Path"))] = []byte(strings.Join(lines, "\r\n") + "\r\n")
	return nil, nil
}
