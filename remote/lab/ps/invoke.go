package ps

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Host is what the interpreter needs from the world it runs in.
type Host interface {
	// Cmdlet finds the command a script names (a cmdlet, an alias, a
	// script file or a native program), or says why it cannot run here.
	Cmdlet(name string) (*Cmdlet, error)
	// Write prints text beyond the pipeline's values (Write-Host, verbose).
	Write(text string)
	// Variable supplies the machine's automatic variables ($env:…,
	// $exscripts); ok is false for a name the host does not define.
	Variable(name string) (v Value, ok bool)
	// Static calls a static .NET member the language does not know itself
	// ([IO.File]::WriteAllBytes, [X509Certificate2]::new).
	Static(typ, member string, args []Value) (Value, error)
}

// Cmdlet declares a command: its parameters and what it does.
type Cmdlet struct {
	Name string
	Params
	// Raw marks a native program: every argument is passed as text, in
	// order, as the parameter "args".
	Raw bool
	Run func(c *Call) ([]Value, error)
}

// Params declares how arguments bind, as space-separated parameter names.
type Params struct {
	Named      string // parameters that take a value
	Switches   string // switch parameters
	Positional string // parameters bound by position, in order
}

// Call is one bound invocation.
type Call struct {
	Cmdlet *Cmdlet
	Input  []Value // the pipeline's input
	Piped  bool    // the command is not the first in its pipeline
	ip     *Interp
	params map[string]Value // canonical lower-case name -> value
}

// Has says whether the parameter was given.
func (c *Call) Has(name string) bool  { _, ok := c.params[strings.ToLower(name)]; return ok }
func (c *Call) Val(name string) Value { return c.params[strings.ToLower(name)] }
func (c *Call) Str(name string) string {
	return ToString(c.params[strings.ToLower(name)])
}
func (c *Call) Sw(name string) bool { return Truthy(c.params[strings.ToLower(name)]) }

// Fail is an error record raised by this cmdlet.
func (c *Call) Fail(category, id, format string, a ...any) error {
	return Errf(c.Cmdlet.Name, category, id, format, a...)
}

// RunBlock runs a script block with $_ set to item.
func (c *Call) RunBlock(b *Block, item Value) ([]Value, error) { return c.ip.runBlock(b, item) }

// Fields maps parameter names to the Go variables they set when given:
// *string, *bool, *[]string or *int. Parameters not given leave theirs alone.
type Fields map[string]any

// Bind copies the given parameters into their fields, so a Set- cmdlet
// declares what it changes instead of testing each parameter by hand.
func (c *Call) Bind(f Fields) error {
	for name, dst := range f {
		if n, _, ok := canonical(c.Cmdlet, name); !ok || n != strings.ToLower(name) {
			panic("ps: Fields names " + name + ", which " + c.Cmdlet.Name + " does not declare")
		}
		if !c.Has(name) {
			continue
		}
		v := c.Val(name)
		switch p := dst.(type) {
		case *string:
			*p = ToString(v)
		case *bool:
			*p = Truthy(v)
		case *[]string:
			*p = Strings(v)
		case *int:
			n, err := strconv.Atoi(ToString(v))
			if err != nil {
				return c.Fail("InvalidArgument", "ParameterArgumentTransformationError",
					"Cannot process argument transformation on parameter '%s'. Cannot convert value \"%s\" to type \"System.Int32\".", name, ToString(v))
			}
			*p = n
		default:
			panic("ps: Fields: unsupported target type for " + name)
		}
	}
	return nil
}

// Strings is a value as a list of strings (an array enumerates).
func Strings(v Value) []string {
	var out []string
	for _, x := range Flatten(v) {
		out = append(out, ToString(x))
	}
	return out
}

// commonValued / commonSwitches are accepted by every cmdlet.
const (
	commonValued   = "ErrorAction WarningAction DomainController OutVariable ErrorVariable"
	commonSwitches = "Verbose Debug Confirm WhatIf"
)

func (ip *Interp) resolveName(c *command) (string, error) {
	if c.nameVal == nil {
		return c.name, nil
	}
	v, err := ip.eval(c.nameVal)
	if err != nil {
		return "", err
	}
	return ToString(v), nil
}

func (ip *Interp) invoke(c *command, input []Value, piped bool) ([]Value, error) {
	name, err := ip.resolveName(c)
	if err != nil {
		return nil, err
	}
	d, err := ip.host.Cmdlet(name)
	if err != nil {
		return nil, err
	}
	cl := &Call{ip: ip, Cmdlet: d, params: map[string]Value{}, Input: input, Piped: piped}
	if err := ip.bind(cl, c.args); err != nil {
		return nil, err
	}
	out, err := d.Run(cl)
	if pe, ok := err.(*Error); ok && pe.ID != NotSimulatedID {
		// -ErrorAction SilentlyContinue / Ignore drop a cmdlet's own error, as in
		// PowerShell; "not simulated" is never silenced.
		switch strings.ToLower(cl.Str("ErrorAction")) {
		case "silentlycontinue", "ignore":
			return out, nil
		}
	}
	return out, err
}

// canonical finds the declared parameter a written name refers to (exact,
// or a unique prefix, as PowerShell allows).
func canonical(d *Cmdlet, written string) (name string, isSwitch bool, ok bool) {
	lw := strings.ToLower(written)
	type cand struct {
		n  string
		sw bool
	}
	var cands []cand
	for _, set := range []struct {
		list string
		sw   bool
	}{{d.Named, false}, {commonValued, false}, {d.Switches, true}, {commonSwitches, true}} {
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
func (ip *Interp) bindRaw(c *Call, args []arg) error {
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
			list = append(list, ToString(v))
		}
	}
	c.params["args"] = list
	return nil
}

// bind matches arguments to the cmdlet's parameters as PowerShell does:
// named (exact or unique prefix, -Name value or -Name:value), switches,
// then positional values in declared order.
func (ip *Interp) bind(c *Call, args []arg) error {
	if c.Cmdlet.Raw {
		return ip.bindRaw(c, args)
	}
	pos := strings.Fields(strings.ToLower(c.Cmdlet.Positional))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a.param == "" {
			v, err := ip.eval(a.val)
			if err != nil {
				return err
			}
			if len(pos) == 0 {
				return c.Fail("InvalidArgument", "PositionalParameterNotFound",
					"A positional parameter cannot be found that accepts argument '%s'.", ToString(v))
			}
			c.params[pos[0]], pos = v, pos[1:]
			continue
		}
		name, isSwitch, ok := canonical(c.Cmdlet, a.param)
		if !ok {
			return c.Fail("InvalidArgument", "NamedParameterNotFound",
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
				return c.Fail("InvalidArgument", "MissingArgument",
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
func (ip *Interp) method(obj Value, name string, args []Value) (Value, error) {
	l := strings.ToLower(name)
	switch t := obj.(type) {
	case asciiEncoding:
		if l == "getbytes" && len(args) == 1 {
			return []byte(ToString(args[0])), nil
		}
	case HostObject:
		return t.Method(ip.host, name, args)
	}
	switch t := obj.(type) {
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
	return nil, NotSimulated("The method ." + name + "()")
}

// static calls the few static .NET members the procedures use.
func (ip *Interp) static(x *staticExpr) (Value, error) {
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
			return nil, Errf("", "InvalidArgument", "MethodArgumentConversionInvalidCastArgument",
				"Cannot convert argument \"inArray\", with value: \"%s\", for \"ToBase64String\" to type \"System.Byte[]\".", ToString(args[0]))
		}
		if len(args) == 2 && strings.EqualFold(ToString(args[1]), "InsertLineBreaks") {
			return Base64Lines(b), nil
		}
		return base64.StdEncoding.EncodeToString(b), nil
	case typ == "text.encoding" && strings.EqualFold(x.name, "ASCII") && !x.call:
		return asciiEncoding{}, nil
	case strings.HasSuffix(typ, "x509contenttype") && !x.call:
		return x.name, nil // an enum value: the name is all Export needs
	case x.call:
		return ip.host.Static(typ, x.name, args)
	}
	return nil, NotSimulated("[" + x.typ + "]::" + x.name)
}

func compareOrdered(op string, l, r Value) bool {
	var c int
	lt, lok := l.(time.Time)
	rt, rok := r.(time.Time)
	if lok && rok {
		c = lt.Compare(rt)
	} else {
		li, e1 := strconv.ParseFloat(ToString(l), 64)
		ri, e2 := strconv.ParseFloat(ToString(r), 64)
		if e1 != nil || e2 != nil {
			c = strings.Compare(strings.ToLower(ToString(l)), strings.ToLower(ToString(r)))
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

// asciiEncoding is [System.Text.Encoding]::ASCII; only GetBytes is simulated.
type asciiEncoding struct{}

// Base64Lines is Convert.ToBase64String with InsertLineBreaks: 76 columns.
func Base64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var parts []string
	for len(s) > 76 {
		parts, s = append(parts, s[:76]), s[76:]
	}
	return strings.Join(append(parts, s), "\r\n")
}

// Invoke runs a script block as it is ($_ untouched), as Invoke-Command does.
func (c *Call) Invoke(b *Block) ([]Value, error) { return c.ip.run(b.body) }

// SetParam binds a parameter as if the script had given it (a cmdlet that
// resolves one parameter from another).
func (c *Call) SetParam(name string, v Value) { c.params[strings.ToLower(name)] = v }
