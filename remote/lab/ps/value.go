package ps

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Value is a PowerShell value in the lab: nil, string, bool, int64,
// time.Time, []byte, []Value, *Object, *Block, Text or a HostObject.
type Value = any

// Object is a PowerShell object with ordered properties, as cmdlets return.
type Object struct {
	Type  string
	names []string
	vals  map[string]Value
}

func NewObject(typ string, kv ...Value) *Object {
	o := &Object{Type: typ, vals: map[string]Value{}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

func (o *Object) Set(name string, v Value) {
	k := strings.ToLower(name)
	if _, ok := o.vals[k]; !ok {
		o.names = append(o.names, name)
	}
	o.vals[k] = v
}

func (o *Object) Get(name string) (Value, bool) {
	v, ok := o.vals[strings.ToLower(name)]
	return v, ok
}

// Text is output already shaped by Format-List / Format-Table.
type Text string

// Block is a script Block { … }.
type Block struct{ body []*stmt }

// HostObject is a value the host defines (a certificate, say): the
// interpreter reads its properties, calls its methods and prints it through
// these.
type HostObject interface {
	Property(name string) Value
	Method(host Host, name string, args []Value) (Value, error)
	String() string
}

func ToString(v Value) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case Text:
		return string(t)
	case bool:
		if t {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(t, 10)
	case int:
		return strconv.Itoa(t)
	case time.Time:
		return Date(t)
	case []Value:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = ToString(x)
		}
		return strings.Join(parts, " ")
	case []byte:
		return "System.Byte[]"
	case *Object:
		if id, ok := t.Get("Identity"); ok {
			return ToString(id)
		}
		if n, ok := t.Get("Name"); ok {
			return ToString(n)
		}
		return t.Type
	case HostObject:
		return t.String()
	case *Block:
		return "{ … }"
	}
	return fmt.Sprint(v)
}

// Date is how Windows PowerShell (en-US) shows a DateTime.
func Date(t time.Time) string { return t.UTC().Format("1/2/2006 3:04:05 PM") }

func Truthy(v Value) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case int64:
		return t != 0
	case []Value:
		if len(t) == 1 {
			return Truthy(t[0])
		}
		return len(t) > 0
	}
	return true
}

// Flatten turns a value into pipeline items (arrays enumerate).
func Flatten(v Value) []Value {
	switch t := v.(type) {
	case nil:
		return nil
	case []Value:
		var out []Value
		for _, x := range t {
			if arr, ok := x.([]Value); ok {
				out = append(out, arr...)
			} else {
				out = append(out, x)
			}
		}
		return out
	}
	return []Value{v}
}

// Unwrap is what an assignment stores: nothing, one value, or an array.
func Unwrap(vs []Value) Value {
	switch len(vs) {
	case 0:
		return nil
	case 1:
		return vs[0]
	}
	return vs
}

func StrList(ss []string) []Value {
	out := make([]Value, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// MatchWild is PowerShell -like (case-insensitive, * and ?). It is the
// linear greedy matcher with one backtrack point, so hostile patterns with
// many stars cannot blow up.
func MatchWild(pattern, s string) bool {
	p, t := []rune(strings.ToLower(pattern)), []rune(strings.ToLower(s))
	i, j, star, mark := 0, 0, -1, 0
	for j < len(t) {
		switch {
		case i < len(p) && (p[i] == '?' || p[i] == t[j]):
			i++
			j++
		case i < len(p) && p[i] == '*':
			star, mark = i, j
			i++
		case star >= 0:
			i, mark = star+1, mark+1
			j = mark
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}

// SelectNames expands Property patterns (Format-List Name,*Auth*) against o.
func SelectNames(o *Object, patterns []string) []string {
	if len(patterns) == 0 {
		return o.names
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range patterns {
		for _, n := range o.names {
			if MatchWild(p, n) && !seen[strings.ToLower(n)] {
				seen[strings.ToLower(n)] = true
				out = append(out, n)
			}
		}
		if !strings.ContainsAny(p, "*?") && !seen[strings.ToLower(p)] {
			// A Property the object lacks still shows, empty, as in PowerShell.
			seen[strings.ToLower(p)] = true
			out = append(out, p)
		}
	}
	return out
}

func SortedKeys(m map[string]Value) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
