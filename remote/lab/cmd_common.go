package lab

import (
	"strconv"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Cmdlets every shell has: output shaping, filtering, clock, connections.
func commonCmdlets() []*cmdletDef {
	return []*cmdletDef{
		&cmdletDef{name: "Format-List", params: "Property", switches: "Force", pos: "Property", fn: formatCmd(true)},
		&cmdletDef{name: "Format-Table", params: "Property", switches: "AutoSize Wrap HideTableHeaders", pos: "Property", fn: formatCmd(false)},
		&cmdletDef{name: "Select-Object", params: "Property First Last ExpandProperty", switches: "Unique", pos: "Property", fn: selectObject},
		&cmdletDef{name: "Where-Object", params: "FilterScript", pos: "FilterScript", fn: whereObject},
		&cmdletDef{name: "ForEach-Object", params: "Process", pos: "Process", fn: forEachObject},
		&cmdletDef{name: "Sort-Object", params: "Property", switches: "Descending Unique", pos: "Property", fn: passThrough},
		&cmdletDef{name: "ConvertTo-Json", params: "Depth InputObject", switches: "Compress", pos: "InputObject", fn: convertToJSON},
		&cmdletDef{name: "ConvertFrom-Json", params: "InputObject", pos: "InputObject", fn: convertFromJSON},
		&cmdletDef{name: "Out-String", params: "Width", switches: "Stream", fn: outString},
		&cmdletDef{name: "Out-Null", fn: func(*call) ([]ps.Value, error) { return nil, nil }},
		&cmdletDef{name: "Write-Host", params: "Object ForegroundColor", switches: "NoNewline", pos: "Object", fn: writeHost},
		&cmdletDef{name: "Write-Output", params: "InputObject", pos: "InputObject", fn: func(c *call) ([]ps.Value, error) {
			return ps.Flatten(c.Val("InputObject")), nil
		}},
		&cmdletDef{name: "Get-Date", params: "Date Format", pos: "Date", fn: func(c *call) ([]ps.Value, error) {
			return []ps.Value{c.ip.st.Now().UTC().Truncate(time.Second)}, nil
		}},
		&cmdletDef{name: "Join-Path", params: "Path ChildPath", pos: "Path ChildPath", fn: func(c *call) ([]ps.Value, error) {
			return []ps.Value{strings.TrimRight(c.Str("Path"), `\`) + `\` + strings.TrimLeft(c.Str("ChildPath"), `\`)}, nil
		}},
		&cmdletDef{name: "New-Item", params: "ItemType Path Name Value", switches: "Force", pos: "Path", fn: newItem},
		&cmdletDef{name: "New-Object", params: "TypeName ArgumentList", pos: "TypeName ArgumentList", fn: newObject},
		&cmdletDef{name: "Invoke-Command", params: "ComputerName ScriptBlock Credential", pos: "ScriptBlock", fn: invokeCommand},
		&cmdletDef{name: "Connect-MsolService", shells: "msonline", params: "Credential", fn: noOutput},
		&cmdletDef{name: "Connect-MgGraph", shells: "graph", params: "Scopes TenantId", switches: "NoWelcome", fn: func(c *call) ([]ps.Value, error) {
			c.ip.out.WriteString("Welcome to Microsoft Graph!\n")
			return nil, nil
		}},
		&cmdletDef{name: "Connect-MicrosoftTeams", shells: "sfbonline", params: "TenantId", fn: noOutput},
		&cmdletDef{name: "Connect-ExchangeOnline", shells: "exo", params: "UserPrincipalName", switches: "ShowBanner", fn: noOutput},
	}
}

func noOutput(*call) ([]ps.Value, error)      { return nil, nil }
func passThrough(c *call) ([]ps.Value, error) { return c.Input, nil }
func propList(c *call, name string) []string  { return ps.Strings(c.Val(name)) }

func formatCmd(list bool) func(c *call) ([]ps.Value, error) {
	return func(c *call) ([]ps.Value, error) {
		os := ps.Objects(c.Input)
		if len(os) == 0 {
			return nil, nil
		}
		props := propList(c, "Property")
		if list {
			return []ps.Value{ps.Text(ps.FormatList(os, props))}, nil
		}
		return []ps.Value{ps.Text(ps.FormatTable(os, props))}, nil
	}
}

func selectObject(c *call) ([]ps.Value, error) {
	in := c.Input
	if c.Has("First") {
		n, err := strconv.Atoi(c.Str("First"))
		if err != nil || n < 0 {
			return nil, c.Fail("InvalidArgument", "ParameterArgumentValidationError", "Cannot validate argument on parameter 'First'. %q is not a number.", c.Str("First"))
		}
		in = in[:min(n, len(in))]
	}
	if c.Has("Last") {
		n, err := strconv.Atoi(c.Str("Last"))
		if err != nil || n < 0 {
			return nil, c.Fail("InvalidArgument", "ParameterArgumentValidationError", "Cannot validate argument on parameter 'Last'. %q is not a number.", c.Str("Last"))
		}
		in = in[len(in)-min(n, len(in)):]
	}
	if c.Has("ExpandProperty") {
		var out []ps.Value
		for _, v := range in {
			if p := ps.Property(v, c.Str("ExpandProperty")); p != nil {
				out = append(out, ps.Flatten(p)...)
			}
		}
		return out, nil
	}
	props := propList(c, "Property")
	if len(props) == 0 {
		return in, nil
	}
	var out []ps.Value
	for _, o := range ps.Objects(in) {
		sel := ps.NewObject("Selected." + o.Type)
		for _, n := range ps.SelectNames(o, props) {
			v, _ := o.Get(n)
			sel.Set(n, v)
		}
		out = append(out, sel)
	}
	return out, nil
}

func scriptBlock(c *call, name string) (*ps.Block, error) {
	b, ok := c.Val(name).(*ps.Block)
	if !ok {
		return nil, ps.NotSimulated(c.Cmdlet.Name + " without a { script block }")
	}
	return b, nil
}

func whereObject(c *call) ([]ps.Value, error) {
	b, err := scriptBlock(c, "FilterScript")
	if err != nil {
		return nil, err
	}
	var out []ps.Value
	for _, v := range c.Input {
		res, err := c.RunBlock(b, v)
		if err != nil {
			return nil, err
		}
		if ps.Truthy(ps.Unwrap(res)) {
			out = append(out, v)
		}
	}
	return out, nil
}

func forEachObject(c *call) ([]ps.Value, error) {
	b, err := scriptBlock(c, "Process")
	if err != nil {
		return nil, err
	}
	var out []ps.Value
	for _, v := range c.Input {
		res, err := c.RunBlock(b, v)
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
	}
	return out, nil
}

func convertToJSON(c *call) ([]ps.Value, error) {
	depth := 2
	if c.Has("Depth") {
		d, err := strconv.Atoi(c.Str("Depth"))
		if err != nil || d < 0 || d > 100 {
			return nil, c.Fail("InvalidArgument", "ParameterArgumentValidationError", "Cannot validate argument on parameter 'Depth'. The argument %q is not an integer from 0 to 100.", c.Str("Depth"))
		}
		depth = d
	}
	var v ps.Value
	if c.Has("InputObject") { // -InputObject keeps an array an array, even with one item
		v = c.Val("InputObject")
	} else {
		v = ps.Unwrap(c.Input) // the pipeline unrolls: one object is not wrapped
	}
	return []ps.Value{ps.ToJSON(v, depth, c.Sw("Compress"))}, nil
}

func convertFromJSON(c *call) ([]ps.Value, error) {
	in := c.Input
	if c.Has("InputObject") {
		in = ps.Flatten(c.Val("InputObject"))
	}
	var parts []string
	for _, v := range in {
		parts = append(parts, ps.ToString(v))
	}
	v, err := ps.FromJSON(strings.Join(parts, "\n"))
	if err != nil {
		return nil, c.Fail("NotSpecified", "System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand",
			"Invalid JSON primitive: %s", clip(strings.Join(parts, " "), 40))
	}
	return ps.Flatten(v), nil
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func outString(c *call) ([]ps.Value, error) { return []ps.Value{ps.Render(c.Input)}, nil }

func writeHost(c *call) ([]ps.Value, error) {
	c.ip.out.WriteString(strings.Join(ps.Strings(c.Val("Object")), " "))
	if !c.Sw("NoNewline") {
		c.ip.out.WriteString("\n")
	}
	return nil, nil
}

func newItem(c *call) ([]ps.Value, error) {
	if !strings.EqualFold(c.Str("ItemType"), "Directory") {
		return nil, ps.NotSimulated("New-Item -ItemType " + c.Str("ItemType"))
	}
	return []ps.Value{ps.NewObject("System.IO.DirectoryInfo", "Mode", "d-----", "LastWriteTime", c.ip.st.Now().UTC(), "Name", c.Str("Path"))}, nil
}

func newObject(c *call) ([]ps.Value, error) {
	t := strings.ToLower(c.Str("TypeName"))
	if strings.HasSuffix(t, "x509certificates.x509certificate") || strings.HasSuffix(t, "x509certificates.x509certificate2") {
		if c.Has("ArgumentList") {
			der, err := c.ip.readCert(c.Str("ArgumentList"))
			if err != nil {
				return nil, err
			}
			return []ps.Value{&certObj{der: der}}, nil
		}
		return []ps.Value{&certObj{}}, nil
	}
	return nil, ps.NotSimulated("New-Object " + c.Str("TypeName"))
}

// invokeCommand runs a script block as if on another machine of the lab,
// which is how an admin compares Front Ends from one console.
func invokeCommand(c *call) ([]ps.Value, error) {
	b, err := scriptBlock(c, "ScriptBlock")
	if err != nil {
		return nil, err
	}
	target := c.Str("ComputerName")
	short, _, _ := strings.Cut(strings.ToLower(target), ".")
	if target == "" || !c.ip.st.resolves(host(short)) && !c.ip.st.resolves(target) {
		return nil, c.Fail("OpenError", "ComputerNotFound,PSSessionStateBroken",
			"[%s] Connecting to remote server %s failed with the following error message : WinRM cannot process the request. The computer name could not be resolved.", target, target)
	}
	saved := c.ip.host
	c.ip.host = short
	defer func() { c.ip.host = saved }()
	out, err := c.Invoke(b)
	for _, v := range out {
		if o, ok := v.(*ps.Object); ok {
			o.Set("PSComputerName", target)
		}
	}
	return out, err
}
