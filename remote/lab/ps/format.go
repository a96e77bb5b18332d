package ps

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Render turns leftover pipeline output into host text the way PowerShell's
// default formatter does: objects with more than four properties as a list,
// others as a table, strings as lines.
func Render(vs []Value) string {
	var b strings.Builder
	var group []*Object
	flush := func() {
		if len(group) == 0 {
			return
		}
		if len(group[0].names) > 4 {
			b.WriteString(FormatList(group, nil))
		} else {
			b.WriteString(FormatTable(group, nil))
		}
		group = nil
	}
	for _, v := range vs {
		switch t := v.(type) {
		case *Object:
			if len(group) > 0 && group[0].Type != t.Type {
				flush()
			}
			group = append(group, t)
		case Text:
			flush()
			b.WriteString(string(t))
		default:
			flush()
			b.WriteString(ToString(v) + "\n")
		}
	}
	flush()
	return b.String()
}

func Objects(vs []Value) []*Object {
	var out []*Object
	for _, v := range vs {
		if o, ok := v.(*Object); ok {
			out = append(out, o)
		} else {
			out = append(out, NewObject("System.String", "Value", ToString(v)))
		}
	}
	return out
}

// Cell shows a value inside Format-List / Format-Table.
func Cell(v Value) string {
	switch t := v.(type) {
	case []Value:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = ToString(x)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *Object:
		return ToString(t)
	}
	return ToString(v)
}

func FormatList(os []*Object, props []string) string {
	var b strings.Builder
	b.WriteString("\n")
	for _, o := range os {
		names := SelectNames(o, props)
		width := 0
		for _, n := range names {
			width = max(width, len(n))
		}
		for _, n := range names {
			v, _ := o.Get(n)
			b.WriteString(n + strings.Repeat(" ", width-len(n)) + " : " + Cell(v) + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	return b.String()
}

func FormatTable(os []*Object, props []string) string {
	if len(os) == 0 {
		return ""
	}
	names := SelectNames(os[0], props)
	widths := make([]int, len(names))
	rows := make([][]string, len(os))
	for i, n := range names {
		widths[i] = len(n)
	}
	for r, o := range os {
		rows[r] = make([]string, len(names))
		for i, n := range names {
			v, _ := o.Get(n)
			rows[r][i] = Cell(v)
			widths[i] = max(widths[i], len([]rune(rows[r][i])))
		}
	}
	line := func(cells []string) string {
		var parts []string
		for i, c := range cells {
			if i == len(cells)-1 {
				parts = append(parts, c)
			} else {
				parts = append(parts, c+strings.Repeat(" ", widths[i]-len([]rune(c))))
			}
		}
		return strings.TrimRight(strings.Join(parts, " "), " ") + "\n"
	}
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(line(names))
	dashes := make([]string, len(names))
	for i, n := range names {
		dashes[i] = strings.Repeat("-", len(n))
	}
	b.WriteString(line(dashes))
	for _, r := range rows {
		b.WriteString(line(r))
	}
	b.WriteString("\n\n")
	return b.String()
}

// ToJSON writes v the way Windows PowerShell 5.1 ConvertTo-Json does:
// dates as "\/Date(ms)\/", booleans, 4-space indents with two spaces after
// the colon, nested objects past depth as their string form.
func ToJSON(v Value, depth int, compress bool) string {
	var b strings.Builder
	writeJSON(&b, v, depth, compress, 0)
	return b.String()
}

func jsonString(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	_ = enc.Encode(s) // escapes <, >, & like JavaScriptSerializer
	return strings.ReplaceAll(strings.TrimSuffix(buf.String(), "\n"), "'", `\u0027`)
}

func writeJSON(b *strings.Builder, v Value, depth int, compress bool, level int) {
	ind := func(l int) string {
		if compress {
			return ""
		}
		return "\n" + strings.Repeat("    ", l)
	}
	sep := ":  "
	if compress {
		sep = ":"
	}
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case int:
		b.WriteString(strconv.Itoa(t))
	case time.Time:
		b.WriteString(`"\/Date(` + strconv.FormatInt(t.UnixMilli(), 10) + `)\/"`)
	case []byte:
		arr := make([]Value, len(t))
		for i, x := range t {
			arr[i] = int64(x)
		}
		writeJSON(b, arr, depth, compress, level)
	case []Value:
		b.WriteString("[")
		for i, x := range t {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(ind(level + 1))
			writeJSON(b, x, depth, compress, level+1)
		}
		if len(t) > 0 {
			b.WriteString(ind(level))
		}
		b.WriteString("]")
	case *Object:
		if level > depth {
			b.WriteString(jsonString(ToString(t)))
			return
		}
		b.WriteString("{")
		for i, n := range t.names {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(ind(level+1) + jsonString(n) + sep)
			x, _ := t.Get(n)
			writeJSON(b, x, depth, compress, level+1)
		}
		if len(t.names) > 0 {
			b.WriteString(ind(level))
		}
		b.WriteString("}")
	default:
		b.WriteString(jsonString(ToString(v)))
	}
}

// FromJSON parses a JSON text into lab values, keeping Property order.
func FromJSON(s string) (Value, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := decodeJSON(dec)
	if err != nil {
		return nil, err
	}
	return v, nil
}

func decodeJSON(dec *json.Decoder) (Value, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			arr := []Value{}
			for dec.More() {
				v, err := decodeJSON(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
		o := NewObject("System.Management.Automation.PSCustomObject")
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeJSON(dec)
			if err != nil {
				return nil, err
			}
			o.Set(ToString(k), v)
		}
		_, err := dec.Token()
		return o, err
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n, nil
		}
		return t.String(), nil
	}
	return tok, nil
}
