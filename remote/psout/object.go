// Package psout reads what PowerShell prints: ConvertTo-Json output of Windows
// PowerShell 5.1 with its quirks, Export-Clixml (CliXml) files, and the text of
// Test-CsExStorageConnectivity -Verbose. Both structured formats decode into Object
// values, from which the typed records the checks need are built, so a check does not
// care which format the data came in.
package psout

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Object is one PowerShell object: property name to value. Values are string, bool,
// json.Number, int64, float64, time.Time, nil, []any or Object. Lookups ignore case,
// as PowerShell does. CliXml objects also carry "@ToString" (the object's display text).
type Object map[string]any

// ToStringKey holds an object's ToString() text when the source provided it (CliXml).
const ToStringKey = "@ToString"

// Get returns the named property, matching case-insensitively.
func (o Object) Get(name string) (any, bool) {
	if v, ok := o[name]; ok {
		return v, true
	}
	for k, v := range o {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// Str returns the property as text (see Text).
func (o Object) Str(name string) string {
	v, _ := o.Get(name)
	return Text(v)
}

// Bool returns the property as a boolean: true, "True", 1.
func (o Object) Bool(name string) bool {
	v, _ := o.Get(name)
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return strings.EqualFold(strings.TrimSpace(x), "true") || strings.TrimSpace(x) == "1"
	case json.Number:
		f, err := x.Float64()
		return err == nil && f != 0
	case int64:
		return x != 0
	case float64:
		return x != 0
	}
	return false
}

// Time returns the property as a time; zero when absent, null or unparseable.
func (o Object) Time(name string) time.Time {
	v, _ := o.Get(name)
	t, _ := ParseTime(v)
	return t
}

// Strings returns a list property; a single value becomes a one-item list.
func (o Object) Strings(name string) []string {
	v, _ := o.Get(name)
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, Text(e))
		}
		return out
	}
	if s := Text(v); s != "" {
		return []string{s}
	}
	return nil
}

// Sub returns a nested object, also from a depth-flattened "@{A=1; B=2}" string.
func (o Object) Sub(name string) Object {
	v, _ := o.Get(name)
	switch x := v.(type) {
	case Object:
		return x
	case string:
		if f, ok := ParseFlattened(x); ok {
			return f
		}
	}
	return nil
}

// objectNameKeys are tried, in order, to turn a nested object into one line of text.
var objectNameKeys = []string{ToStringKey, "AbsoluteUri", "OriginalString", "Value", "Name", "DistinguishedName", "Identity"}

// Text renders any decoded value as text: times in RFC 3339, booleans as True/False
// (PowerShell's spelling), nested objects by their ToString/Name, lists comma-joined.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case json.Number:
		return x.String()
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.Format(time.RFC3339)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = Text(e)
		}
		return strings.Join(parts, ", ")
	case Object:
		for _, k := range objectNameKeys {
			if s, ok := x.Get(k); ok && s != nil {
				if t := Text(s); t != "" {
					return t
				}
			}
		}
		return ""
	}
	return fmt.Sprint(v)
}

var msDate = regexp.MustCompile(`^/Date\((-?\d+)([+-])?(\d{2})?(\d{2})?\)/$`)

// ParseTime reads the date shapes PowerShell emits: "\/Date(ms)\/" and
// "\/Date(ms+hhmm)\/" (ms since the epoch, UTC; the offset only sets the zone), ISO 8601
// strings, time.Time from CliXml, and Get-Date's {"value": …, "DateTime": …} wrapper.
func ParseTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case Object:
		if inner, ok := x.Get("value"); ok {
			return ParseTime(inner)
		}
		return time.Time{}, fmt.Errorf("object has no date value")
	case string:
		return parseTimeString(strings.TrimSpace(x))
	case nil:
		return time.Time{}, fmt.Errorf("no date")
	}
	return time.Time{}, fmt.Errorf("%T is not a date", v)
}

func parseTimeString(s string) (time.Time, error) {
	if m := msDate.FindStringSubmatch(s); m != nil {
		ms, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("date %q: %w", s, err)
		}
		t := time.UnixMilli(ms).UTC()
		if m[2] != "" && m[3] != "" && m[4] != "" {
			h, _ := strconv.Atoi(m[3])
			mi, _ := strconv.Atoi(m[4])
			off := h*3600 + mi*60
			if m[2] == "-" {
				off = -off
			}
			t = t.In(time.FixedZone("", off))
		}
		return t, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05",
		"2006-01-02 15:04:05", "1/2/2006 3:04:05 PM", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is in no known PowerShell format", s)
}

// truncatedMarkers are what ConvertTo-Json writes when -Depth runs out: the value's
// ToString(). Windows PowerShell 5.1 does this silently.
var truncatedMarkers = []string{"System.Collections.Hashtable", "System.Object[]",
	"System.Management.Automation.PSCustomObject", "System.Collections.ArrayList"}

// IsTruncated reports whether s looks like a value ConvertTo-Json flattened because
// -Depth was too small.
func IsTruncated(s string) bool {
	for _, m := range truncatedMarkers {
		if s == m {
			return true
		}
	}
	return strings.HasPrefix(s, "@{") && strings.HasSuffix(s, "}")
}

// Truncations lists the property paths in objs whose values were flattened by a too
// small -Depth, so a caller can warn instead of trusting them.
func Truncations(objs []Object) []string {
	var out []string
	for i, o := range objs {
		walkTruncated(fmt.Sprintf("[%d]", i), o, &out)
	}
	return out
}

func walkTruncated(path string, v any, out *[]string) {
	switch x := v.(type) {
	case string:
		if IsTruncated(x) {
			*out = append(*out, path)
		}
	case []any:
		for i, e := range x {
			walkTruncated(fmt.Sprintf("%s[%d]", path, i), e, out)
		}
	case Object:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkTruncated(path+"."+k, x[k], out)
		}
	}
}

// ParseFlattened reads "@{Name=x; Enabled=True}", the text form of a PSCustomObject,
// into an Object of strings. Values containing "; " cannot be told apart and stay joined
// to the previous value (best effort).
func ParseFlattened(s string) (Object, bool) {
	if !strings.HasPrefix(s, "@{") || !strings.HasSuffix(s, "}") {
		return nil, false
	}
	inner := s[2 : len(s)-1]
	o := Object{}
	if strings.TrimSpace(inner) == "" {
		return o, true
	}
	var last string
	for _, part := range strings.Split(inner, "; ") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" || strings.ContainsAny(k, " {}") {
			if last == "" {
				return nil, false
			}
			o[last] = o[last].(string) + "; " + part
			continue
		}
		o[k], last = v, k
	}
	return o, true
}

// Int returns the property as a whole number; 0 when absent or not a number.
func (o Object) Int(name string) int {
	n, err := strconv.ParseFloat(strings.TrimSpace(o.Str(name)), 64)
	if err != nil {
		return 0
	}
	return int(n)
}
