package ps

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Error is a PowerShell error record: the message, and the category and
// id PowerShell would print.
type Error struct {
	Cmd      string
	Msg      string
	Category string // e.g. ObjectNotFound
	ID       string // FullyQualifiedErrorId
	ExType   string
}

func (e *Error) Error() string { return e.Msg }

// Errf is a cmdlet's error record with a formatted message.
func Errf(cmd, category, id, format string, a ...any) *Error {
	return &Error{Cmd: cmd, Msg: fmt.Sprintf(format, a...), Category: category, ID: id,
		ExType: "System.Management.Automation.RuntimeException"}
}

// NotSimulated is the error for anything the lab does not implement.
func NotSimulated(what string) *Error {
	return &Error{Cmd: what, Msg: what + " is not simulated in the lab. Run it on a real server, or use the commands the " +
		"procedure and the pitfall fixes print.", Category: "NotImplemented", ID: NotSimulatedID,
		ExType: "System.Management.Automation.CommandNotFoundException"}
}

// NotSimulatedID is the FullyQualifiedErrorId of NotSimulated; -ErrorAction
// never silences it.
const NotSimulatedID = "LabNotSimulated"

// Interp runs parsed statements; everything outside the language (cmdlets,
// output, the machine's variables, .NET statics) comes from its Host. It is
// not safe for concurrent use.
type Interp struct {
	host Host
	vars map[string]Value
}

// New returns an interpreter over host. vars holds the session's variables
// (lower-case names) and is updated in place, so a session can keep it
// between runs; nil starts empty.
func New(host Host, vars map[string]Value) *Interp {
	if vars == nil {
		vars = map[string]Value{}
	}
	return &Interp{host: host, vars: vars}
}

// Run executes a parsed script and returns the values it leaves in the
// pipeline, up to the first error.
func (ip *Interp) Run(s Script) ([]Value, error) { return ip.run(s.body) }

func (ip *Interp) run(body []*stmt) ([]Value, error) {
	var out []Value
	for _, s := range body {
		if s.cond != nil {
			c, err := ip.pipeline(s.cond)
			if err != nil {
				return out, err
			}
			branch := s.els
			if Truthy(Unwrap(c)) {
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
			return out, Errf("", "OperationStopped", ToString(Unwrap(vs)), "%s", ToString(Unwrap(vs)))
		}
		if s.assign != "" {
			name := strings.ToLower(s.assign)
			if s.add {
				ip.vars[name] = append(append([]Value{}, Flatten(ip.vars[name])...), vs...)
				continue
			}
			ip.vars[name] = Unwrap(vs)
			continue
		}
		out = append(out, vs...)
	}
	return out, nil
}

func (ip *Interp) pipeline(pl *pipeline) ([]Value, error) {
	var cur []Value
	for i, el := range pl.elems {
		if el.cmd == nil {
			if i > 0 {
				return nil, Errf("", "ParserError", "ExpressionsMustBeFirstInPipeline", "Expressions are only allowed as the first element of a pipeline.")
			}
			v, err := ip.eval(el.expr)
			if err != nil {
				return nil, err
			}
			cur = Flatten(v)
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
func (ip *Interp) expand(raw string) (string, error) {
	var firstErr error
	s := varRef.ReplaceAllStringFunc(raw, func(m string) string {
		name := strings.Trim(m[1:], "{}")
		v, err := ip.variable(name)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return ToString(v)
	})
	return strings.ReplaceAll(s, "\x00", "$"), firstErr
}

func (ip *Interp) variable(name string) (Value, error) {
	l := strings.ToLower(name)
	switch l {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if v, ok := ip.host.Variable(l); ok {
		return v, nil
	}
	return ip.vars[l], nil
}

func (ip *Interp) eval(e expr) (Value, error) {
	switch x := e.(type) {
	case *litExpr:
		return x.v, nil
	case *strExpr:
		return ip.expand(x.raw)
	case *varExpr:
		return ip.variable(x.name)
	case *subExpr:
		vs, err := ip.pipeline(x.pipe)
		return Unwrap(vs), err
	case *hashExpr:
		h := NewObject("System.Collections.Hashtable")
		for i, k := range x.keys {
			vs, err := ip.pipeline(x.vals[i])
			if err != nil {
				return nil, err
			}
			h.Set(k, Unwrap(vs))
		}
		return h, nil
	case *arrayExpr:
		var out []Value
		for _, it := range x.items {
			v, err := ip.eval(it)
			if err != nil {
				return nil, err
			}
			out = append(out, Flatten(v)...)
		}
		if out == nil {
			out = []Value{}
		}
		return out, nil
	case *blockExpr:
		return &Block{x.body}, nil
	case *memberExpr:
		return ip.member(x)
	case *staticExpr:
		return ip.static(x)
	case *typeExpr:
		return nil, NotSimulated("The type literal [" + x.name + "] used alone")
	case *castExpr:
		v, err := ip.eval(x.e)
		if err != nil {
			return nil, err
		}
		return cast(x.typ, v)
	case *notExpr:
		v, err := ip.eval(x.e)
		return !Truthy(v), err
	case *binExpr:
		return ip.binary(x)
	}
	return nil, fmt.Errorf("lab: unknown expression %T", e)
}

func (ip *Interp) member(x *memberExpr) (Value, error) {
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
	return Property(obj, x.name), nil
}

// Property reads obj.name; on an array it enumerates (member enumeration).
func Property(obj Value, name string) Value {
	switch t := obj.(type) {
	case *Object:
		v, _ := t.Get(name)
		return v
	case []Value:
		if strings.EqualFold(name, "Count") || strings.EqualFold(name, "Length") {
			return int64(len(t))
		}
		var out []Value
		for _, it := range t {
			if v := Property(it, name); v != nil {
				out = append(out, Flatten(v)...)
			}
		}
		return Unwrap(out)
	case string:
		if strings.EqualFold(name, "Length") {
			return int64(len([]rune(t)))
		}
	case HostObject:
		return t.Property(name)
	case nil:
		return nil
	}
	if strings.EqualFold(name, "Count") {
		return int64(1)
	}
	return nil
}

func (ip *Interp) binary(x *binExpr) (Value, error) {
	l, err := ip.eval(x.l)
	if err != nil {
		return nil, err
	}
	if x.op == "and" && !Truthy(l) {
		return false, nil
	}
	if x.op == "or" && Truthy(l) {
		return true, nil
	}
	r, err := ip.eval(x.r)
	if err != nil {
		return nil, err
	}
	ls, rs := ToString(l), ToString(r)
	switch x.op {
	case "and", "or":
		return Truthy(r), nil
	case "eq", "ieq", "ceq":
		if arr, ok := l.([]Value); ok { // filter semantics on arrays
			return anyMatch(arr, func(v Value) bool { return strings.EqualFold(ToString(v), rs) }), nil
		}
		return strings.EqualFold(ls, rs), nil
	case "ne", "ine":
		return !strings.EqualFold(ls, rs), nil
	case "like":
		return MatchWild(rs, ls), nil
	case "notlike":
		return !MatchWild(rs, ls), nil
	case "in", "notin":
		in := anyMatch(Flatten(r), func(v Value) bool { return strings.EqualFold(ToString(v), ls) })
		return in == (x.op == "in"), nil
	case "contains", "notcontains":
		in := anyMatch(Flatten(l), func(v Value) bool { return strings.EqualFold(ToString(v), rs) })
		return in == (x.op == "contains"), nil
	case "match":
		re, err := regexp.Compile("(?i)" + rs)
		if err != nil {
			return nil, Errf("", "InvalidArgument", "InvalidRegularExpression", "The regular expression pattern %s is not valid.", rs)
		}
		return re.MatchString(ls), nil
	case "replace":
		parts := Flatten(r)
		if len(parts) == 0 || len(parts) > 2 {
			return nil, Errf("", "InvalidOperation", "BadReplaceArgument", "The -replace operator takes a pattern and an optional replacement.")
		}
		re, err := regexp.Compile("(?i)" + ToString(parts[0]))
		if err != nil {
			return nil, Errf("", "InvalidArgument", "InvalidRegularExpression", "The regular expression pattern %s is not valid.", ToString(parts[0]))
		}
		repl := ""
		if len(parts) == 2 {
			repl = ToString(parts[1])
		}
		return re.ReplaceAllString(ls, repl), nil
	case "gt", "lt", "ge", "le":
		return compareOrdered(x.op, l, r), nil
	}
	return nil, NotSimulated("The operator -" + x.op)
}

func anyMatch(vs []Value, f func(Value) bool) bool {
	for _, v := range vs {
		if f(v) {
			return true
		}
	}
	return false
}

func (ip *Interp) runBlock(b *Block, item Value) ([]Value, error) {
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

// addToList is $obj.List.Add(x): the list Property of the object grows in
// place, as a .NET List does.
func (ip *Interp) addToList(list *memberExpr, item Value) error {
	owner, err := ip.eval(list.obj)
	if err != nil {
		return err
	}
	o, ok := owner.(*Object)
	if !ok {
		return NotSimulated("The method .Add() on this value")
	}
	cur, _ := o.Get(list.name)
	arr, ok := cur.([]Value)
	if !ok && cur != nil {
		return Errf("", "InvalidOperation", "MethodNotFound", "Method invocation failed because [%T] does not contain a method named 'Add'.", cur)
	}
	o.Set(list.name, append(append([]Value(nil), arr...), item))
	return nil
}

var guidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// cast converts for the type literals the commands use: [guid], [string], [uri].
func cast(typ string, v Value) (Value, error) {
	s := ToString(v)
	switch strings.ToLower(strings.TrimPrefix(strings.ToLower(typ), "system.")) {
	case "guid":
		if !guidShape.MatchString(strings.Trim(s, "{}")) {
			return nil, Errf("", "InvalidArgument", "InvalidCastParseTargetInvocation",
				"Cannot convert value \"%s\" to type \"System.Guid\". Error: \"Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).\"", s)
		}
		return NewObject("System.Guid", "Guid", strings.ToLower(strings.Trim(s, "{}"))), nil
	case "string":
		return s, nil
	case "uri":
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" {
			return nil, Errf("", "InvalidArgument", "InvalidCastParseTargetInvocation",
				"Cannot convert value \"%s\" to type \"System.Uri\". Error: \"Invalid URI: The format of the URI could not be determined.\"", s)
		}
		return NewObject("System.Uri", "AbsoluteUri", u.String(), "Host", u.Hostname(), "Port", u.Port(), "Scheme", u.Scheme,
			"AbsolutePath", u.Path), nil
	}
	return nil, NotSimulated("The cast [" + typ + "]")
}
