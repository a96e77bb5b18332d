package psout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// normalize strips what Windows adds around JSON: a UTF-8 byte-order mark and
// surrounding whitespace (CRLF included; CRLF inside JSON is plain whitespace).
func normalize(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return bytes.TrimSpace(data)
}

// SyntaxError says the output is not the JSON a script should have produced.
type SyntaxError struct {
	Offset int64
	Err    error
	Near   string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("PowerShell output is not valid JSON at byte %d (%v) near %q; the script may have "+
		"printed text before the JSON (use the ucpilot envelope) or been cut off", e.Offset, e.Err, e.Near)
}

func (e *SyntaxError) Unwrap() error { return e.Err }

func syntaxError(data []byte, dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	lo, hi := max(off-20, 0), min(off+20, int64(len(data)))
	return &SyntaxError{Offset: off, Err: err, Near: string(data[lo:hi])}
}

// DecodeObjects decodes ConvertTo-Json output into objects. Windows PowerShell 5.1
// writes a single result as a bare object, not a one-item array, and nothing at all for
// no result; both come back as a slice. Scalars in the array are skipped.
func DecodeObjects(data []byte) ([]Object, error) {
	data = normalize(data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, syntaxError(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, syntaxError(data, dec, errors.New("more data after the JSON value"))
	}
	switch x := convert(v).(type) {
	case Object:
		return []Object{x}, nil
	case []any:
		out := make([]Object, 0, len(x))
		for _, e := range x {
			if o, ok := e.(Object); ok {
				out = append(out, o)
			}
		}
		return out, nil
	case nil:
		return nil, nil
	default:
		return nil, fmt.Errorf("PowerShell output is a single %T value, not an object or a list of objects", x)
	}
}

// convert turns encoding/json's map[string]any into Object, recursively.
func convert(v any) any {
	switch x := v.(type) {
	case map[string]any:
		o := make(Object, len(x))
		for k, e := range x {
			o[k] = convert(e)
		}
		return o
	case []any:
		for i, e := range x {
			x[i] = convert(e)
		}
		return x
	}
	return v
}

// DecodeList decodes ConvertTo-Json output into []T with encoding/json rules, accepting
// a bare object for a one-item list and empty output for none. Use it for shapes the
// script controls (strings, booleans, ISO dates); use DecodeObjects for raw cmdlet
// output with 5.1 quirks.
func DecodeList[T any](data []byte) ([]T, error) {
	data = normalize(data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if data[0] == '[' {
		var out []T
		if err := dec.Decode(&out); err != nil {
			return nil, syntaxError(data, dec, err)
		}
		return out, nil
	}
	var one T
	if err := dec.Decode(&one); err != nil {
		return nil, syntaxError(data, dec, err)
	}
	return []T{one}, nil
}
