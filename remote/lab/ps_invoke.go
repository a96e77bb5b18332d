package lab

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
	"time"
)

// cmdletDef declares a simulated cmdlet: where it exists and how it binds.
type cmdletDef struct {
	name     string
	shells   string // space-separated shell kinds; "" = every shell
	params   string // valued parameters
	switches string // switch parameters
	pos      string // parameters bound by position, in order
	raw      bool   // a native program: every argument is passed as text, in order (params["args"])
	fn       func(c *call) ([]Value, error)
}

// call is one bound invocation.
type call struct {
	ip     *interp
	def    *cmdletDef
	params map[string]Value // canonical lower-case name -> value
	input  []Value
	piped  bool
}

func (c *call) has(name string) bool  { _, ok := c.params[strings.ToLower(name)]; return ok }
func (c *call) val(name string) Value { return c.params[strings.ToLower(name)] }
func (c *call) str(name string) string {
	return toString(c.params[strings.ToLower(name)])
}
func (c *call) sw(name string) bool { return truthy(c.params[strings.ToLower(name)]) }

func (c *call) fail(category, id, format string, a ...any) error {
	return errf(c.def.name, category, id, format, a...)
}

// commonValued / commonSwitches are accepted by every cmdlet.
const (
	commonValued   = "ErrorAction WarningAction DomainController OutVariable ErrorVariable"
	commonSwitches = "Verbose Debug Confirm WhatIf"
)

var registry = map[string]*cmdletDef{}

// aliases map PowerShell aliases and .exe names to registry names.
var aliases = map[string]string{"fl": "format-list", "ft": "format-table", "select": "select-object",
	"where": "where-object", "?": "where-object", "%": "foreach-object", "foreach": "foreach-object",
	"iisreset.exe": "iisreset", "certutil.exe": "certutil", "curl.exe": "curl", "nslookup.exe": "nslookup",
	"sort": "sort-object", "iwr": "invoke-webrequest"}

func register(defs ...*cmdletDef) {
	for _, d := range defs {
		registry[strings.ToLower(d.name)] = d
	}
}

// knownScripts are the .ps1 files the lab simulates, by file name.
var knownScripts = map[string]string{
	"configure-enterprisepartnerapplication.ps1": "Configure-EnterprisePartnerApplication.ps1",
	"monitorexchangeauthcertificate.ps1":         "MonitorExchangeAuthCertificate.ps1",
}

func (ip *interp) resolveName(c *command) (string, error) {
	if c.nameVal == nil {
		return c.name, nil
	}
	v, err := ip.eval(c.nameVal)
	if err != nil {
		return "", err
	}
	return toString(v), nil
}

func (ip *interp) lookup(name string) (*cmdletDef, error) {
	base := name
	if i := strings.LastIndexAny(base, `\/`); i >= 0 {
		base = base[i+1:]
	}
	l := strings.ToLower(base)
	if strings.HasSuffix(l, ".ps1") {
		if _, ok := knownScripts[l]; !ok || ip.kind != "ems" {
			return nil, &psError{cmd: name, category: "ObjectNotFound", id: "CommandNotFoundException",
				exType: "System.Management.Automation.CommandNotFoundException",
				msg: "The term '" + name + "' is not recognized as the name of a cmdlet, function, script file, or operable " +
					"program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."}
		}
	}
	if a, ok := aliases[l]; ok {
		l = a
	}
	d := registry[l]
	if d == nil {
		return nil, notSimulated(name)
	}
	if d.shells != "" && !strings.Contains(" "+d.shells+" ", " "+ip.kind+" ") {
		return nil, &psError{cmd: name, category: "ObjectNotFound", id: "CommandNotFoundException",
			exType: "System.Management.Automation.CommandNotFoundException",
			msg: "The term '" + name + "' is not recognized as the name of a cmdlet, function, script file, or operable program. " +
				"(In the lab it exists in the " + strings.ReplaceAll(d.shells, " ", " / ") + " shell, not in " + ip.kind + ".)"}
	}
	return d, nil
}

func (ip *interp) invoke(c *command, input []Value, piped bool) ([]Value, error) {
	name, err := ip.resolveName(c)
	if err != nil {
		return nil, err
	}
	d, err := ip.lookup(name)
	if err != nil {
		return nil, err
	}
	cl := &call{ip: ip, def: d, params: map[string]Value{}, input: input, piped: piped}
	if err := ip.bind(cl, c.args); err != nil {
		return nil, err
	}
	out, err := d.fn(cl)
	if pe, ok := err.(*psError); ok && pe.id != "LabNotSimulated" {
		// -ErrorAction SilentlyContinue / Ignore drop a cmdlet's own error, as in
		// PowerShell; "not simulated" is never silenced.
		switch strings.ToLower(cl.str("ErrorAction")) {
		case "silentlycontinue", "ignore":
			return out, nil
		}
	}
	return out, err
}

// canonical finds the declared parameter a written name refers to (exact,
// or a unique prefix, as PowerShell allows).
func canonical(d *cmdletDef, written string) (name string, isSwitch bool, ok bool) {
	lw := strings.ToLower(written)
	type cand struct {
		n  string
		sw bool
	}
	var cands []cand
	for _, set := range []struct {
		list string
		sw   bool
	}{{d.params, false}, {commonValued, false}, {d.switches, true}, {commonSwitches, true}} {
		for _, p := range strings.Fields(set.list) {
			lp := strings.ToLower(p)
			if lp == lw {
				return lp, set.sw, true
			}
			if strings.HasPrefix(lp, lw) {
				cands = append(cands, cand{lp, set.sw})
			}
		}
	}
	if len(cands) == 1 {
		return cands[0].n, cands[0].sw, true
	}
	return "", false, false
}

// bindRaw passes a native program its arguments as text, in order.
func (ip *interp) bindRaw(c *call, args []arg) error {
	var list []Value
	for _, a := range args {
		if a.param != "" {
			list = append(list, "-"+a.param)
		}
		if a.val != nil {
			v, err := ip.eval(a.val)
			if err != nil {
				return err
			}
			list = append(list, toString(v))
		}
	}
	c.params["args"] = list
	return nil
}

// bind matches arguments to the cmdlet's parameters as PowerShell does:
// named (exact or unique prefix, -Name value or -Name:value), switches,
// then positional values in declared order.
func (ip *interp) bind(c *call, args []arg) error {
	if c.def.raw {
		return ip.bindRaw(c, args)
	}
	pos := strings.Fields(strings.ToLower(c.def.pos))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a.param == "" {
			v, err := ip.eval(a.val)
			if err != nil {
				return err
			}
			if len(pos) == 0 {
				return c.fail("InvalidArgument", "PositionalParameterNotFound",
					"A positional parameter cannot be found that accepts argument '%s'.", toString(v))
			}
			c.params[pos[0]], pos = v, pos[1:]
			continue
		}
		name, isSwitch, ok := canonical(c.def, a.param)
		if !ok {
			return c.fail("InvalidArgument", "NamedParameterNotFound",
				"A parameter cannot be found that matches parameter name '%s'.", a.param)
		}
		var v Value = true
		switch {
		case a.colon:
			var err error
			if v, err = ip.eval(a.val); err != nil {
				return err
			}
		case !isSwitch:
			if i+1 >= len(args) || args[i+1].param != "" {
				return c.fail("InvalidArgument", "MissingArgument",
					"Missing an argument for parameter '%s'. Specify a parameter of type 'System.String' and try again.", a.param)
			}
			i++
			var err error
			if v, err = ip.eval(args[i].val); err != nil {
				return err
			}
		}
		c.params[name] = v
		for j, p := range pos { // a named parameter is no longer positional
			if p == name {
				pos = append(pos[:j:j], pos[j+1:]...)
				break
			}
		}
	}
	return nil
}

// method calls the few .NET methods the procedures use.
func (ip *interp) method(obj Value, name string, args []Value) (Value, error) {
	l := strings.ToLower(name)
	switch t := obj.(type) {
	case asciiEncoding:
		if l == "getbytes" && len(args) == 1 {
			return []byte(toString(args[0])), nil
		}
	case *certObj:
		switch l {
		case "import":
			if len(args) != 1 {
				return nil, errf("", "MethodException", "MethodCountCouldNotFindBest", "Cannot find an overload for \"Import\" and the argument count: \"%d\".", len(args))
			}
			der, err := ip.readCert(toString(args[0]))
			if err != nil {
				return nil, err
			}
			t.der, t.path = der, toString(args[0])
			return nil, nil
		case "export":
			if t.der == nil {
				return nil, errf("", "InvalidOperation", "MethodInvocationException", "Exception calling \"Export\" with \"1\" argument(s): \"m_safeCertContext is an invalid handle.\"")
			}
			return t.der, nil
		case "getrawcertdata":
			if t.der == nil {
				return nil, errf("", "InvalidOperation", "MethodInvocationException", "Exception calling \"GetRawCertData\" with \"0\" argument(s): \"m_safeCertContext is an invalid handle.\"")
			}
			return t.der, nil
		}
	case string:
		switch l {
		case "trim":
			return strings.TrimSpace(t), nil
		case "toupper":
			return strings.ToUpper(t), nil
		case "tolower":
			return strings.ToLower(t), nil
		}
	}
	return nil, notSimulated("The method ." + name + "()")
}

// static calls the few static .NET members the procedures use.
func (ip *interp) static(x *staticExpr) (Value, error) {
	args := make([]Value, len(x.args))
	for i, a := range x.args {
		v, err := ip.eval(a)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	typ := strings.ToLower(strings.TrimPrefix(strings.ToLower(x.typ), "system."))
	switch {
	case typ == "convert" && strings.EqualFold(x.name, "ToBase64String") && len(args) >= 1:
		b, ok := args[0].([]byte)
		if !ok {
			return nil, errf("", "InvalidArgument", "MethodArgumentConversionInvalidCastArgument",
				"Cannot convert argument \"inArray\", with value: \"%s\", for \"ToBase64String\" to type \"System.Byte[]\".", toString(args[0]))
		}
		if len(args) == 2 && strings.EqualFold(toString(args[1]), "InsertLineBreaks") {
			return base64Lines(b), nil
		}
		return base64.StdEncoding.EncodeToString(b), nil
	case typ == "io.file" && strings.EqualFold(x.name, "WriteAllBytes") && len(args) == 2:
		b, ok := args[1].([]byte)
		if !ok {
			return nil, errf("", "InvalidArgument", "MethodArgumentConversionInvalidCastArgument",
				"Cannot convert argument \"bytes\" for \"WriteAllBytes\" to type \"System.Byte[]\".")
		}
		ip.st.Files[strings.ToLower(toString(args[0]))] = b
		return nil, nil
	case typ == "text.encoding" && strings.EqualFold(x.name, "ASCII") && !x.call:
		return asciiEncoding{}, nil
	case strings.HasSuffix(typ, "x509contenttype") && !x.call:
		return x.name, nil // an enum value: the name is all Export needs
	case strings.HasSuffix(typ, "x509certificate2") && strings.EqualFold(x.name, "new") && len(args) == 1:
		der, err := ip.readCert(toString(args[0]))
		if err != nil {
			return nil, err
		}
		return &certObj{der: der, path: toString(args[0])}, nil
	}
	return nil, notSimulated("[" + x.typ + "]::" + x.name)
}

func compareOrdered(op string, l, r Value) bool {
	var c int
	lt, lok := l.(time.Time)
	rt, rok := r.(time.Time)
	if lok && rok {
		c = lt.Compare(rt)
	} else {
		li, e1 := strconv.ParseFloat(toString(l), 64)
		ri, e2 := strconv.ParseFloat(toString(r), 64)
		if e1 != nil || e2 != nil {
			c = strings.Compare(strings.ToLower(toString(l)), strings.ToLower(toString(r)))
		} else if li < ri {
			c = -1
		} else if li > ri {
			c = 1
		}
	}
	switch op {
	case "gt":
		return c > 0
	case "lt":
		return c < 0
	case "ge":
		return c >= 0
	}
	return c <= 0
}

// shellNames lists the kinds a cmdlet exists in (for help texts and tests).
func shellNames() []string {
	seen := map[string]bool{}
	for _, d := range registry {
		for _, s := range strings.Fields(d.shells) {
			seen[s] = true
		}
	}
	var out []string
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// asciiEncoding is [System.Text.Encoding]::ASCII; only GetBytes is simulated.
type asciiEncoding struct{}
