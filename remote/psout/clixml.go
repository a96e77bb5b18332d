package psout

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxCliXmlDepth bounds nesting so hostile input cannot exhaust the stack.
const maxCliXmlDepth = 64

// CliXmlError says a CliXml document could not be read.
type CliXmlError struct{ Err error }

func (e *CliXmlError) Error() string {
	return fmt.Sprintf("cannot read CliXml (Export-Clixml) data: %v", e.Err)
}

func (e *CliXmlError) Unwrap() error { return e.Err }

type clixmlReader struct {
	dec   *xml.Decoder
	refs  map[string]any
	depth int
}

// DecodeCliXml reads an Export-Clixml document (<Objs>…</Objs>) into objects. Nested
// objects become Objects with their properties and ToString text; lists become []any;
// enums become their names; <Ref> is resolved to the object it points to. Top-level
// primitives become an Object holding only ToStringKey.
func DecodeCliXml(data []byte) ([]Object, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := &clixmlReader{dec: xml.NewDecoder(bytes.NewReader(data)), refs: map[string]any{}}
	root, err := r.nextStart()
	if err != nil {
		return nil, &CliXmlError{fmt.Errorf("no root element: %w", err)}
	}
	if root.Name.Local != "Objs" {
		return nil, &CliXmlError{fmt.Errorf("root element is <%s>, want <Objs>", root.Name.Local)}
	}
	var out []Object
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, &CliXmlError{fmt.Errorf("document ends inside <Objs>: %w", err)}
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.StartElement:
			_, v, err := r.value(t)
			if err != nil {
				return nil, &CliXmlError{err}
			}
			if o, ok := v.(Object); ok {
				out = append(out, o)
			} else if v != nil {
				out = append(out, Object{ToStringKey: Text(v)})
			}
		}
	}
}

func (r *clixmlReader) nextStart() (xml.StartElement, error) {
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if s, ok := tok.(xml.StartElement); ok {
			return s, nil
		}
	}
}

func attr(s xml.StartElement, name string) string {
	for _, a := range s.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// text returns the character data of the current element, skipping child elements.
func (r *clixmlReader) text() (string, error) {
	var b strings.Builder
	depth := 0
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 0 {
				b.Write(t)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		}
	}
}

// value reads one element (already started) and returns its N attribute and value.
func (r *clixmlReader) value(s xml.StartElement) (string, any, error) {
	name := attr(s, "N")
	switch s.Name.Local {
	case "Obj":
		v, err := r.object(s)
		return name, v, err
	case "Ref":
		v, ok := r.refs[attr(s, "RefId")]
		if !ok {
			return name, nil, fmt.Errorf("<Ref RefId=%q> points to no earlier object", attr(s, "RefId"))
		}
		return name, v, r.dec.Skip()
	case "Nil":
		return name, nil, r.dec.Skip()
	}
	txt, err := r.text()
	if err != nil {
		return name, nil, err
	}
	return name, primitive(s.Name.Local, txt), nil
}

func primitive(kind, txt string) any {
	switch kind {
	case "B":
		return strings.EqualFold(strings.TrimSpace(txt), "true")
	case "I16", "I32", "I64", "By", "SB", "U16", "U32":
		if n, err := strconv.ParseInt(strings.TrimSpace(txt), 10, 64); err == nil {
			return n
		}
	case "Db", "Sg", "D", "U64":
		return json.Number(strings.TrimSpace(txt))
	case "DT":
		if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(txt)); err == nil {
			return t
		}
	}
	return txt // S, G, URI, Version, TS, XD, SBK, BA, C and anything unknown
}

// object reads <Obj>: properties, lists, dictionaries, ToString and enum values.
func (r *clixmlReader) object(s xml.StartElement) (any, error) {
	if r.depth++; r.depth > maxCliXmlDepth {
		return nil, fmt.Errorf("objects nested deeper than %d levels", maxCliXmlDepth)
	}
	defer func() { r.depth-- }()
	var (
		props    Object
		list     []any
		isList   bool
		toString *string
		plain    any
	)
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, err
		}
		if _, end := tok.(xml.EndElement); end {
			break
		}
		c, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch c.Name.Local {
		case "TN", "TNRef":
			err = r.dec.Skip()
		case "ToString":
			var t string
			t, err = r.text()
			toString = &t
		case "Props", "MS":
			if props == nil {
				props = Object{}
			}
			err = r.members(props)
		case "LST", "IE", "STK", "QUE":
			isList = true
			list, err = r.items()
		case "DCT":
			props, err = r.dict()
		default:
			_, plain, err = r.value(c)
		}
		if err != nil {
			return nil, err
		}
	}
	var result any
	switch {
	case isList:
		result = list
	case props != nil:
		if toString != nil {
			props[ToStringKey] = *toString
		}
		result = props
	case toString != nil:
		result = *toString // enums and simple types: the name, not the number
	default:
		result = plain
	}
	if id := attr(s, "RefId"); id != "" {
		r.refs[id] = result
	}
	return result, nil
}

func (r *clixmlReader) members(into Object) error {
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			name, v, err := r.value(t)
			if err != nil {
				return err
			}
			if name != "" {
				into[name] = v
			}
		}
	}
}

func (r *clixmlReader) items() ([]any, error) {
	out := []any{}
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.StartElement:
			_, v, err := r.value(t)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
}

// dict reads <DCT><En><S N="Key">k</S><… N="Value">v</…></En>…</DCT>.
func (r *clixmlReader) dict() (Object, error) {
	out := Object{}
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.StartElement:
			entry := Object{}
			if err := r.members(entry); err != nil {
				return nil, err
			}
			if t.Name.Local == "En" {
				out[Text(entry["Key"])] = entry["Value"]
			}
		}
	}
}

// Decode reads either format: CliXml when the data starts with '<', JSON otherwise.
func Decode(data []byte) ([]Object, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && trimmed[0] == '<' {
		return DecodeCliXml(trimmed)
	}
	return DecodeObjects(trimmed)
}
