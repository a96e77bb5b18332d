package lab

import (
	"strings"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// interp is the lab machine a shell runs on, as the PowerShell interpreter
// sees it (ps.Host): the cmdlet table, the machine's variables, its output.
// The caller holds st.mu while it runs.
type interp struct {
	lab  *Lab
	st   *State
	kind string           // shell kind: ems, sfbms, …
	host string           // machine the shell runs on (exch01, fe01…)
	out  *strings.Builder // stdout beyond the values (Write-Host, verbose)
	ps   *ps.Interp
}

// call is one bound invocation of a lab cmdlet, with the machine it runs on.
type call struct {
	*ps.Call
	ip *interp
}

// Write is ps.Host's output beyond the pipeline.
func (ip *interp) Write(s string) { ip.out.WriteString(s) }

// Variable supplies the automatic variables of the lab's machines.
func (ip *interp) Variable(name string) (ps.Value, bool) {
	switch name {
	case "exscripts":
		if ip.kind == "ems" {
			return `C:\Program Files\Microsoft\Exchange Server\V15\Scripts`, true
		}
	case "env:systemdrive":
		return "C:", true
	case "env:computername":
		return strings.ToUpper(ip.host), true
	}
	return nil, false
}

// Cmdlet looks a command up in the lab's table (cmdlets.go) and checks that
// it exists in this shell.
func (ip *interp) Cmdlet(name string) (*ps.Cmdlet, error) {
	base := name
	if i := strings.LastIndexAny(base, `\/`); i >= 0 {
		base = base[i+1:]
	}
	l := strings.ToLower(base)
	if strings.HasSuffix(l, ".ps1") {
		if _, ok := knownScripts[l]; !ok || ip.kind != "ems" {
			return nil, &ps.Error{Cmd: name, Category: "ObjectNotFound", ID: "CommandNotFoundException",
				ExType: "System.Management.Automation.CommandNotFoundException",
				Msg: "The term '" + name + "' is not recognized as the name of a cmdlet, function, script file, or operable " +
					"program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."}
		}
	}
	if a, ok := aliases[l]; ok {
		l = a
	}
	d := cmdlets()[l]
	if d == nil {
		return nil, ps.NotSimulated(name)
	}
	if d.shells != "" && !strings.Contains(" "+d.shells+" ", " "+ip.kind+" ") {
		return nil, &ps.Error{Cmd: name, Category: "ObjectNotFound", ID: "CommandNotFoundException",
			ExType: "System.Management.Automation.CommandNotFoundException",
			Msg: "The term '" + name + "' is not recognized as the name of a cmdlet, function, script file, or operable program. " +
				"(In the lab it exists in the " + strings.ReplaceAll(d.shells, " ", " / ") + " shell, not in " + ip.kind + ".)"}
	}
	return &ps.Cmdlet{Name: d.name, Params: ps.Params{Named: d.params, Switches: d.switches, Positional: d.pos}, Raw: d.raw,
		Run: func(c *ps.Call) ([]ps.Value, error) { return d.fn(&call{Call: c, ip: ip}) }}, nil
}

// Static calls the static .NET members that touch the lab's files.
func (ip *interp) Static(typ, member string, args []ps.Value) (ps.Value, error) {
	switch {
	case typ == "io.file" && strings.EqualFold(member, "WriteAllBytes") && len(args) == 2:
		b, ok := args[1].([]byte)
		if !ok {
			return nil, ps.Errf("", "InvalidArgument", "MethodArgumentConversionInvalidCastArgument",
				"Cannot convert argument \"bytes\" for \"WriteAllBytes\" to type \"System.Byte[]\".")
		}
		ip.st.Files[strings.ToLower(ps.ToString(args[0]))] = b
		return nil, nil
	case strings.HasSuffix(typ, "x509certificate2") && strings.EqualFold(member, "new") && len(args) == 1:
		der, err := ip.readCert(ps.ToString(args[0]))
		if err != nil {
			return nil, err
		}
		return &certObj{der: der, path: ps.ToString(args[0])}, nil
	}
	return nil, ps.NotSimulated("[" + typ + "]::" + member)
}

// certObj is an X509Certificate object from New-Object or ::new.
type certObj struct {
	der  []byte
	path string
}

func (t *certObj) String() string {
	if t.der != nil {
		return "[Subject]\r\n  " + t.path + "\r\n\r\n[Thumbprint]\r\n  " + thumbprint(t.der)
	}
	return "System.Security.Cryptography.X509Certificates.X509Certificate"
}

func (t *certObj) Property(name string) ps.Value {
	switch {
	case strings.EqualFold(name, "Thumbprint") && t.der != nil:
		return thumbprint(t.der)
	case strings.EqualFold(name, "RawData"):
		return t.der
	case strings.EqualFold(name, "Count"):
		return int64(1)
	}
	return nil
}

func (t *certObj) Method(h ps.Host, name string, args []ps.Value) (ps.Value, error) {
	switch strings.ToLower(name) {
	case "import":
		if len(args) != 1 {
			return nil, ps.Errf("", "MethodException", "MethodCountCouldNotFindBest", "Cannot find an overload for \"Import\" and the argument count: \"%d\".", len(args))
		}
		ip, ok := h.(*interp)
		if !ok {
			return nil, ps.NotSimulated("The method .Import() outside the lab")
		}
		der, err := ip.readCert(ps.ToString(args[0]))
		if err != nil {
			return nil, err
		}
		t.der, t.path = der, ps.ToString(args[0])
		return nil, nil
	case "export":
		if t.der == nil {
			return nil, ps.Errf("", "InvalidOperation", "MethodInvocationException", "Exception calling \"Export\" with \"1\" argument(s): \"m_safeCertContext is an invalid handle.\"")
		}
		return t.der, nil
	case "getrawcertdata":
		if t.der == nil {
			return nil, ps.Errf("", "InvalidOperation", "MethodInvocationException", "Exception calling \"GetRawCertData\" with \"0\" argument(s): \"m_safeCertContext is an invalid handle.\"")
		}
		return t.der, nil
	}
	return nil, ps.NotSimulated("The method ." + name + "()")
}
