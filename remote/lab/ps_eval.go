package lab

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// psError is a PowerShell error record: the message, and the category and
// id PowerShell would print.
type psError struct {
	cmd      string
	msg      string
	category string // e.g. ObjectNotFound
	id       string // FullyQualifiedErrorId
	exType   string
}

func (e *psError) Error() string { return e.msg }

func errf(cmd, category, id, format string, a ...any) *psError {
	return &psError{cmd: cmd, msg: fmt.Sprintf(format, a...), category: category, id: id,
		exType: "System.Management.Automation.RuntimeException"}
}

// notSimulated is the error for anything the lab does not implement.
func notSimulated(what string) *psError {
	return &psError{cmd: what, msg: what + " is not simulated in the lab. Run it on a real server, or use the commands the " +
		"procedure and the pitfall fixes print.", category: "NotImplemented", id: "LabNotSimulated",
		exType: "System.Management.Automation.CommandNotFoundException"}
}

// interp runs statements against the lab state. The caller holds st.mu.
type interp struct {
	lab  *Lab
	st   *State
	kind string // shell kind: ems, sfbms, …
	host string // machine the shell runs on (exch01, fe01…)
	vars map[string]Value
	out  *strings.Builder // stdout beyond the values (Write-Host, verbose)
}

func (ip *interp) run(body []*stmt) ([]Value, error) {
	var out []Value
	for _, s := range body {
		if s.cond != nil {
			c, err := ip.pipeline(s.cond)
			if err != nil {
				return out, err
			}
			branch := s.els
			if truthy(unwrap(c)) {
				branch = s.then
			}
			vs, err := ip.run(branch)
			out = append(out, vs...)
			if err != nil {
				return out, err
			}
			continue
		}
		vs, err := ip.pipeline(s.pipe)
		if err != nil {
			return out, err
		}
		if s.throw {
			return out, errf("", "OperationStopped", toString(unwrap(vs)), "%s", toString(unwrap(vs)))
		}
		if s.assign != "" {
			name := strings.ToLower(s.assign)
			if s.add {
				ip.vars[name] = append(append([]Value{}, flatten(ip.vars[name])...), vs...)
				continue
			}
			ip.vars[name] = unwrap(vs)
			continue
		}
		out = append(out, vs...)
	}
	return out, nil
}

func (ip *interp) pipeline(pl *pipeline) ([]Value, error) {
	var cur []Value
	for i, el := range pl.elems {
		if el.cmd == nil {
			if i > 0 {
				return nil, errf("", "ParserError", "ExpressionsMustBeFirstInPipeline", "Expressions are only allowed as the first element of a pipeline.")
			}
			v, err := ip.eval(el.expr)
			if err != nil {
				return nil, err
			}
			cur = flatten(v)
			continue
		}
		vs, err := ip.invoke(el.cmd, cur, i > 0)
		if err != nil {
			return nil, err
		}
		cur = vs
	}
	return cur, nil
}

var varRef = regexp.MustCompile(`\$(\{[^}]+\}|env:[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*)`)

// expand substitutes $variables in a double-quoted string or bare word.
func (ip *interp) expand(raw string) (string, error) {
	var firstErr error
	s := varRef.ReplaceAllStringFunc(raw, func(m string) string {
		name := strings.Trim(m[1:], "{}")
		v, err := ip.variable(name)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return toString(v)
	})
	return strings.ReplaceAll(s, "\x00", "$"), firstErr
}

func (ip *interp) variable(name string) (Value, error) {
	l := strings.ToLower(name)
	switch l {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	case "exscripts":
		if ip.kind == "ems" {
			return `C:\Program Files\Microsoft\Exchange Server\V15\Scripts`, nil
		}
	case "env:systemdrive":
		return "C:", nil
	case "env:computername":
		return strings.ToUpper(ip.host), nil
	}
	return ip.vars[l], nil
}

func (ip *interp) eval(e expr) (Value, error) {
	switch x := e.(type) {
	case *litExpr:
		return x.v, nil
	case *strExpr:
		return ip.expand(x.raw)
	case *varExpr:
		return ip.variable(x.name)
	case *subExpr:
		vs, err := ip.pipeline(x.pipe)
		return unwrap(vs), err
	case *hashExpr:
		h := newObj("System.Collections.Hashtable")
		for i, k := range x.keys {
			vs, err := ip.pipeline(x.vals[i])
			if err != nil {
				return nil, err
			}
			h.set(k, unwrap(vs))
		}
		return h, nil
	case *arrayExpr:
		var out []Value
		for _, it := range x.items {
			v, err := ip.eval(it)
			if err != nil {
				return nil, err
			}
			out = append(out, flatten(v)...)
		}
		if out == nil {
			out = []Value{}
		}
		return out, nil
	case *blockExpr:
		return &block{x.body}, nil
	case *memberExpr:
		return ip.member(x)
	case *staticExpr:
		return ip.static(x)
	case *typeExpr:
		return nil, notSimulated("The type literal [" + x.name + "] used alone")
	case *castExpr:
		v, err := ip.eval(x.e)
		if err != nil {
			return nil, err
		}
		return cast(x.typ, v)
	case *notExpr:
		v, err := ip.eval(x.e)
		return !truthy(v), err
	case *binExpr:
		return ip.binary(x)
	}
	return nil, fmt.Errorf("lab: unknown expression %T", e)
}

func (ip *interp) member(x *memberExpr) (Value, error) {
	obj, err := ip.eval(x.obj)
	if err != nil {
		return nil, err
	}
	if x.call {
		args := make([]Value, len(x.args))
		for i, a := range x.args {
			if args[i], err = ip.eval(a); err != nil {
				return nil, err
			}
		}
		if parent, ok := x.obj.(*memberExpr); ok && strings.EqualFold(x.name, "Add") && !parent.call && len(args) == 1 {
			return nil, ip.addToList(parent, args[0])
		}
		return ip.method(obj, x.name, args)
	}
	return property(obj, x.name), nil
}

// property reads obj.name; on an array it enumerates (member enumeration).
func property(obj Value, name string) Value {
	switch t := obj.(type) {
	case *psObj:
		v, _ := t.get(name)
		return v
	case []Value:
		if strings.EqualFold(name, "Count") || strings.EqualFold(name, "Length") {
			return int64(len(t))
		}
		var out []Value
		for _, it := range t {
			if v := property(it, name); v != nil {
				out = append(out, flatten(v)...)
			}
		}
		return unwrap(out)
	case string:
		if strings.EqualFold(name, "Length") {
			return int64(len([]rune(t)))
		}
	case *certObj:
		if strings.EqualFold(name, "Thumbprint") && t.der != nil {
			return thumbprint(t.der)
		}
		if strings.EqualFold(name, "RawData") {
			return t.der
		}
	case nil:
		return nil
	}
	if strings.EqualFold(name, "Count") {
		return int64(1)
	}
	return nil
}

func (ip *interp) binary(x *binExpr) (Value, error) {
	l, err := ip.eval(x.l)
	if err != nil {
		return nil, err
	}
	if x.op == "and" && !truthy(l) {
		return false, nil
	}
	if x.op == "or" && truthy(l) {
		return true, nil
	}
	r, err := ip.eval(x.r)
	if err != nil {
		return nil, err
	}
	ls, rs := toString(l), toString(r)
	switch x.op {
	case "and", "or":
		return truthy(r), nil
	case "eq", "ieq", "ceq":
		if arr, ok := l.([]Value); ok { // filter semantics on arrays
			return anyMatch(arr, func(v Value) bool { return strings.EqualFold(toString(v), rs) }), nil
		}
		return strings.EqualFold(ls, rs), nil
	case "ne", "ine":
		return !strings.EqualFold(ls, rs), nil
	case "like":
		return matchWild(rs, ls), nil
	case "notlike":
		return !matchWild(rs, ls), nil
	case "in", "notin":
		in := anyMatch(flatten(r), func(v Value) bool { return strings.EqualFold(toString(v), ls) })
		return in == (x.op == "in"), nil
	case "contains", "notcontains":
		in := anyMatch(flatten(l), func(v Value) bool { return strings.EqualFold(toString(v), rs) })
		return in == (x.op == "contains"), nil
	case "match":
		re, err := regexp.Compile("(?i)" + rs)
		if err != nil {
			return nil, errf("", "InvalidArgument", "InvalidRegularExpression", "The regular expression pattern %s is not valid.", rs)
		}
		return re.MatchString(ls), nil
	case "replace":
		parts := flatten(r)
		if len(parts) == 0 || len(parts) > 2 {
			return nil, errf("", "InvalidOperation", "BadReplaceArgument", "The -replace operator takes a pattern and an optional replacement.")
		}
		re, err := regexp.Compile("(?i)" + toString(parts[0]))
		if err != nil {
			return nil, errf("", "InvalidArgument", "InvalidRegularExpression", "The regular expression pattern %s is not valid.", toString(parts[0]))
		}
		repl := ""
		if len(parts) == 2 {
			repl = toString(parts[1])
		}
		return re.ReplaceAllString(ls, repl), nil
	case "gt", "lt", "ge", "le":
		return compareOrdered(x.op, l, r), nil
	}
	return nil, notSimulated("The operator -" + x.op)
}

func anyMatch(vs []Value, f func(Value) bool) bool {
	for _, v := range vs {
		if f(v) {
			return true
		}
	}
	return false
}

func (ip *interp) runBlock(b *block, item Value) ([]Value, error) {
	saved, had := ip.vars["_"]
	ip.vars["_"] = item
	defer func() {
		if had {
			ip.vars["_"] = saved
		} else {
			delete(ip.vars, "_")
		}
	}()
	return ip.run(b.body)
}

// addToList is $obj.List.Add(x): the list property of the object grows in
// place, as a .NET List does.
func (ip *interp) addToList(list *memberExpr, item Value) error {
	owner, err := ip.eval(list.obj)
	if err != nil {
		return err
	}
	o, ok := owner.(*psObj)
	if !ok {
		return notSimulated("The method .Add() on this value")
	}
	cur, _ := o.get(list.name)
	arr, ok := cur.([]Value)
	if !ok && cur != nil {
		return errf("", "InvalidOperation", "MethodNotFound", "Method invocation failed because [%T] does not contain a method named 'Add'.", cur)
	}
	o.set(list.name, append(append([]Value(nil), arr...), item))
	return nil
}

var guidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// cast converts for the type literals the commands use: [guid], [string], [uri].
func cast(typ string, v Value) (Value, error) {
	s := toString(v)
	switch strings.ToLower(strings.TrimPrefix(strings.ToLower(typ), "system.")) {
	case "guid":
		if !guidShape.MatchString(strings.Trim(s, "{}")) {
			return nil, errf("", "InvalidArgument", "InvalidCastParseTargetInvocation",
				"Cannot convert value \"%s\" to type \"System.Guid\". Error: \"Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).\"", s)
		}
		return newObj("System.Guid", "Guid", strings.ToLower(strings.Trim(s, "{}"))), nil
	case "string":
		return s, nil
	case "uri":
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" {
			return nil, errf("", "InvalidArgument", "InvalidCastParseTargetInvocation",
				"Cannot convert value \"%s\" to type \"System.Uri\". Error: \"Invalid URI: The format of the URI could not be determined.\"", s)
		}
		return newObj("System.Uri", "AbsoluteUri", u.String(), "Host", u.Hostname(), "Port", u.Port(), "Scheme", u.Scheme,
			"AbsolutePath", u.Path), nil
	}
	return nil, notSimulated("The cast [" + typ + "]")
}
