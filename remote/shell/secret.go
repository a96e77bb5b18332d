package shell

import (
	"fmt"
	"log/slog"
)

// Redacted is what a Secret prints as, whatever verb or encoder is used.
const Redacted = "[REDACTED]"

// Secret holds a password or passphrase. Every way Go has of printing or encoding a
// value (fmt verbs, %#v, encoding/json, encoding/text, log/slog) yields "[REDACTED]", so
// a Secret that ends up in a log line, an error or a transcript by mistake leaks nothing.
// Only Reveal returns the value; call it at the last moment, where the transport needs it.
type Secret struct {
	b []byte
}

// NewSecret wraps s. The zero Secret is an empty secret.
func NewSecret(s string) Secret { return Secret{b: []byte(s)} }

// Reveal returns the secret value. Never log or format its result.
func (s Secret) Reveal() string { return string(s.b) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return len(s.b) == 0 }

// Wipe overwrites the secret's bytes (best effort: copies made by Reveal survive).
func (s Secret) Wipe() {
	for i := range s.b {
		s.b[i] = 0
	}
}

// String implements fmt.Stringer.
func (s Secret) String() string { return Redacted }

// GoString implements fmt.GoStringer (%#v).
func (s Secret) GoString() string { return Redacted }

// Format implements fmt.Formatter so that every verb (%x, %q, %d …) redacts too.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		_, _ = fmt.Fprintf(f, "%q", Redacted)
		return
	}
	_, _ = f.Write([]byte(Redacted))
}

// MarshalJSON implements json.Marshaler.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText implements encoding.TextMarshaler (YAML, XML, map keys).
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }
