package lab

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Value is a PowerShell value in the lab: nil, string, bool, int64,
// time.Time, []Value, *psObj, *certObj, *block or fmtText.
type Value = any

// psObj is a PowerShell object with ordered properties, as cmdlets return.
type psObj struct {
	Type  string
	names []string
	vals  map[string]Value
}

func newObj(typ string, kv ...Value) *psObj {
	o := &psObj{Type: typ, vals: map[string]Value{}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}

func (o *psObj) set(name string, v Value) {
	k := strings.ToLower(name)
	if _, ok := o.vals[k]; !ok {
		o.names = append(o.names, name)
	}
	o.vals[k] = v
}

func (o *psObj) get(name string) (Value, bool) {
	v, ok := o.vals[strings.ToLower(name)]
	return v, ok
}

// fmtText is output already shaped by Format-List / Format-Table.
type fmtText string

// block is a script block { … }.
type block struct{ body []*stmt }

// certObj is an X509Certificate object from New-Object or ::new.
type certObj struct {
	der  []byte
	path string
}

func toString(v Value) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case fmtText:
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
		return psDate(t)
	case []Value:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = toString(x)
		}
		return strings.Join(parts, " ")
	case []byte:
		return "System.Byte[]"
	case *psObj:
		if id, ok := t.get("Identity"); ok {
			return toString(id)
		}
		if n, ok := t.get("Name"); ok {
			return toString(n)
		}
		return t.Type
	case *certObj:
		if t.der != nil {
			return "[Subject]\r\n  " + t.path + "\r\n\r\n[Thumbprint]\r\n  " + thumbprint(t.der)
		}
		return "System.Security.Cryptography.X509Certificates.X509Certificate"
	case *block:
		return "{ … }"
	}
	return fmt.Sprint(v)
}

// psDate is how Windows PowerShell (en-US) shows a DateTime.
func psDate(t time.Time) string { return t.UTC().Format("1/2/2006 3:04:05 PM") }

func truthy(v Value) bool {
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
			return truthy(t[0])
		}
		return len(t) > 0
	}
	return true
}

// flatten turns a value into pipeline items (arrays enumerate).
func flatten(v Value) []Value {
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

// unwrap is what an assignment stores: nothing, one value, or an array.
func unwrap(vs []Value) Value {
	switch len(vs) {
	case 0:
		return nil
	case 1:
		return vs[0]
	}
	return vs
}

func strList(ss []string) []Value {
	out := make([]Value, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// matchWild is PowerShell -like (case-insensitive, * and ?). It is the
// linear greedy matcher with one backtrack point, so hostile patterns with
// many stars cannot blow up.
func matchWild(pattern, s string) bool {
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

// selectNames expands property patterns (Format-List Name,*Auth*) against o.
func selectNames(o *psObj, patterns []string) []string {
	if len(patterns) == 0 {
		return o.names
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range patterns {
		for _, n := range o.names {
			if matchWild(p, n) && !seen[strings.ToLower(n)] {
				seen[strings.ToLower(n)] = true
				out = append(out, n)
			}
		}
		if !strings.ContainsAny(p, "*?") && !seen[strings.ToLower(p)] {
			// A property the object lacks still shows, empty, as in PowerShell.
			seen[strings.ToLower(p)] = true
			out = append(out, p)
		}
	}
	return out
}

func sortedKeys(m map[string]Value) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
