package lab

import (
	"strconv"
	"strings"
	"time"
)

// Cmdlets every shell has: output shaping, filtering, clock, connections.
func init() {
	register(
		&cmdletDef{name: "Format-List", params: "Property", switches: "Force", pos: "Property", fn: formatCmd(true)},
		&cmdletDef{name: "Format-Table", params: "Property", switches: "AutoSize Wrap HideTableHeaders", pos: "Property", fn: formatCmd(false)},
		&cmdletDef{name: "Select-Object", params: "Property First Last ExpandProperty", switches: "Unique", pos: "Property", fn: selectObject},
		&cmdletDef{name: "Where-Object", params: "FilterScript", pos: "FilterScript", fn: whereObject},
		&cmdletDef{name: "ForEach-Object", params: "Process", pos: "Process", fn: forEachObject},
		&cmdletDef{name: "Sort-Object", params: "Property", switches: "Descending Unique", pos: "Property", fn: passThrough},
		&cmdletDef{name: "ConvertTo-Json", params: "Depth InputObject", switches: "Compress", pos: "InputObject", fn: convertToJSON},
		&cmdletDef{name: "ConvertFrom-Json", params: "InputObject", pos: "InputObject", fn: convertFromJSON},
		&cmdletDef{name: "Out-String", params: "Width", switches: "Stream", fn: outString},
		&cmdletDef{name: "Out-Null", fn: func(*call) ([]Value, error) { return nil, nil }},
		&cmdletDef{name: "Write-Host", params: "Object ForegroundColor", switches: "NoNewline", pos: "Object", fn: writeHost},
		&cmdletDef{name: "Write-Output", params: "InputObject", pos: "InputObject", fn: func(c *call) ([]Value, error) {
			return flatten(c.val("InputObject")), nil
		}},
		&cmdletDef{name: "Get-Date", params: "Date Format", pos: "Date", fn: func(c *call) ([]Value, error) {
			return []Value{c.ip.st.Now().UTC().Truncate(time.Second)}, nil
		}},
		&cmdletDef{name: "Join-Path", params: "Path ChildPath", pos: "Path ChildPath", fn: func(c *call) ([]Value, error) {
			return []Value{strings.TrimRight(c.str("Path"), `\`) + `\` + strings.TrimLeft(c.str("ChildPath"), `\`)}, nil
		}},
		&cmdletDef{name: "New-Item", params: "ItemType Path Name Value", switches: "Force", pos: "Path", fn: newItem},
		&cmdletDef{name: "New-Object", params: "TypeName ArgumentList", pos: "TypeName ArgumentList", fn: newObject},
		&cmdletDef{name: "Invoke-Command", params: "ComputerName ScriptBlock Credential", pos: "ScriptBlock", fn: invokeCommand},
		&cmdletDef{name: "Connect-MsolService", shells: "msonline", params: "Credential", fn: noOutput},
		&cmdletDef{name: "Connect-MgGraph", shells: "graph", params: "Scopes TenantId", switches: "NoWelcome", fn: func(c *call) ([]Value, error) {
			c.ip.out.WriteString("Welcome to Microsoft Graph!\n")
			return nil, nil
		}},
		&cmdletDef{name: "Connect-MicrosoftTeams", shells: "sfbonline", params: "TenantId", fn: noOutput},
		&cmdletDef{name: "Connect-ExchangeOnline", shells: "exo", params: "UserPrincipalName", switches: "ShowBanner", fn: noOutput},
	)
}

func noOutput(*call) ([]Value, error)        { return nil, nil }
func passThrough(c *call) ([]Value, error)   { return c.input, nil }
func propList(c *call, name string) []string { return stringsOf(c.val(name)) }

func stringsOf(v Value) []string {
	var out []string
	for _, x := range flatten(v) {
		out = append(out, toString(x))
	}
	return out
}

func formatCmd(list bool) func(c *call) ([]Value, error) {
	return func(c *call) ([]Value, error) {
		os := objs(c.input)
		if len(os) == 0 {
			return nil, nil
		}
		props := propList(c, "Property")
		if list {
			return []Value{fmtText(formatList(os, props))}, nil
		}
		return []Value{fmtText(formatTable(os, props))}, nil
	}
}

func selectObject(c *call) ([]Value, error) {
	in := c.input
	if c.has("First") {
		n, err := strconv.Atoi(c.str("First"))
		if err != nil || n < 0 {
			return nil, c.fail("InvalidArgument", "ParameterArgumentValidationError", "Cannot validate argument on parameter 'First'. %q is not a number.", c.str("First"))
		}
		in = in[:min(n, len(in))]
	}
	if c.has("Last") {
		n, err := strconv.Atoi(c.str("Last"))
		if err != nil || n < 0 {
			return nil, c.fail("InvalidArgument", "ParameterArgumentValidationError", "Cannot validate argument on parameter 'Last'. %q is not a number.", c.str("Last"))
		}
		in = in[len(in)-min(n, len(in)):]
	}
	if c.has("ExpandProperty") {
		var out []Value
		for _, v := range in {
			if p := property(v, c.str("ExpandProperty")); p != nil {
				out = append(out, flatten(p)...)
			}
		}
		return out, nil
	}
	props := propList(c, "Property")
	if len(props) == 0 {
		return in, nil
	}
	var out []Value
	for _, o := range objs(in) {
		sel := newObj("Selected." + o.Type)
		for _, n := range selectNames(o, props) {
			v, _ := o.get(n)
			sel.set(n, v)
		}
		out = append(out, sel)
	}
	return out, nil
}

func scriptBlock(c *call, name string) (*block, error) {
	b, ok := c.val(name).(*block)
	if !ok {
		return nil, notSimulated(c.def.name + " without a { script block }")
	}
	return b, nil
}

func whereObject(c *call) ([]Value, error) {
	b, err := scriptBlock(c, "FilterScript")
	if err != nil {
		return nil, err
	}
	var out []Value
	for _, v := range c.input {
		res, err := c.ip.runBlock(b, v)
		if err != nil {
			return nil, err
		}
		if truthy(unwrap(res)) {
			out = append(out, v)
		}
	}
	return out, nil
}

func forEachObject(c *call) ([]Value, error) {
	b, err := scriptBlock(c, "Process")
	if err != nil {
		return nil, err
	}
	var out []Value
	for _, v := range c.input {
		res, err := c.ip.runBlock(b, v)
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
	}
	return out, nil
}

func convertToJSON(c *call) ([]Value, error) {
	depth := 2
	if c.has("Depth") {
		d, err := strconv.Atoi(c.str("Depth"))
		if err != nil || d < 0 || d > 100 {
			return nil, c.fail("InvalidArgument", "ParameterArgumentValidationError", "Cannot validate argument on parameter 'Depth'. The argument %q is not an integer from 0 to 100.", c.str("Depth"))
		}
		depth = d
	}
	var v Value
	if c.has("InputObject") { // -InputObject keeps an array an array, even with one item
		v = c.val("InputObject")
	} else {
		v = unwrap(c.input) // the pipeline unrolls: one object is not wrapped
	}
	return []Value{toJSON(v, depth, c.sw("Compress"))}, nil
}

func convertFromJSON(c *call) ([]Value, error) {
	in := c.input
	if c.has("InputObject") {
		in = flatten(c.val("InputObject"))
	}
	var parts []string
	for _, v := range in {
		parts = append(parts, toString(v))
	}
	v, err := fromJSON(strings.Join(parts, "\n"))
	if err != nil {
		return nil, c.fail("NotSpecified", "System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand",
			"Invalid JSON primitive: %s", clip(strings.Join(parts, " "), 40))
	}
	return flatten(v), nil
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func outString(c *call) ([]Value, error) { return []Value{render(c.input)}, nil }

func writeHost(c *call) ([]Value, error) {
	c.ip.out.WriteString(strings.Join(stringsOf(c.val("Object")), " "))
	if !c.sw("NoNewline") {
		c.ip.out.WriteString("\n")
	}
	return nil, nil
}

func newItem(c *call) ([]Value, error) {
	if !strings.EqualFold(c.str("ItemType"), "Directory") {
		return nil, notSimulated("New-Item -ItemType " + c.str("ItemType"))
	}
	return []Value{newObj("System.IO.DirectoryInfo", "Mode", "d-----", "LastWriteTime", c.ip.st.Now().UTC(), "Name", c.str("Path"))}, nil
}

func newObject(c *call) ([]Value, error) {
	t := strings.ToLower(c.str("TypeName"))
	if strings.HasSuffix(t, "x509certificates.x509certificate") || strings.HasSuffix(t, "x509certificates.x509certificate2") {
		if c.has("ArgumentList") {
			der, err := c.ip.readCert(c.str("ArgumentList"))
			if err != nil {
				return nil, err
			}
			return []Value{&certObj{der: der}}, nil
		}
		return []Value{&certObj{}}, nil
	}
	return nil, notSimulated("New-Object " + c.str("TypeName"))
}

// invokeCommand runs a script block as if on another machine of the lab,
// which is how an admin compares Front Ends from one console.
func invokeCommand(c *call) ([]Value, error) {
	b, err := scriptBlock(c, "ScriptBlock")
	if err != nil {
		return nil, err
	}
	target := c.str("ComputerName")
	short, _, _ := strings.Cut(strings.ToLower(target), ".")
	if target == "" || !c.ip.st.resolves(host(short)) && !c.ip.st.resolves(target) {
		return nil, c.fail("OpenError", "ComputerNotFound,PSSessionStateBroken",
			"[%s] Connecting to remote server %s failed with the following error message : WinRM cannot process the request. The computer name could not be resolved.", target, target)
	}
	saved := c.ip.host
	c.ip.host = short
	defer func() { c.ip.host = saved }()
	out, err := c.ip.run(b.body)
	for _, v := range out {
		if o, ok := v.(*psObj); ok {
			o.set("PSComputerName", target)
		}
	}
	return out, err
}
