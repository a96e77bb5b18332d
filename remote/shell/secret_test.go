package shell

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

type login struct {
	User     string
	Password Secret
}

func TestSecretNeverPrints(t *testing.T) {
	const pw = "Pa55-w0rd!"
	s := NewSecret(pw)
	l := login{User: "admin", Password: s}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, l), fmt.Sprintf(verb, &l))
	}
	outs = append(outs, fmt.Sprint(s), fmt.Sprintln(l), s.String(), s.GoString())
	j, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(j))
	txt, _ := s.MarshalText()
	outs = append(outs, string(txt))
	var buf bytes.Buffer
	lg := slog.New(slog.NewJSONHandler(&buf, nil))
	lg.Info("login", "secret", s, "login", l)
	lg2 := slog.New(slog.NewTextHandler(&buf, nil))
	lg2.Info("login", "secret", s)
	outs = append(outs, buf.String())
	for _, o := range outs {
		if strings.Contains(o, pw) || strings.Contains(o, fmt.Sprintf("%x", pw)) {
			t.Errorf("secret leaked: %s", o)
		}
	}
	if !strings.Contains(string(j), Redacted) || !strings.Contains(buf.String(), Redacted) {
		t.Errorf("expected redaction marker in %s / %s", j, buf.String())
	}
	if s.Reveal() != pw {
		t.Errorf("Reveal = %q", s.Reveal())
	}
}

func TestSecretWipeAndZero(t *testing.T) {
	var zero Secret
	if !zero.IsZero() {
		t.Error("zero Secret should be IsZero")
	}
	s := NewSecret("abc")
	if s.IsZero() {
		t.Error("non-empty Secret reported IsZero")
	}
	s.Wipe()
	if s.Reveal() != "\x00\x00\x00" {
		t.Errorf("after Wipe Reveal = %q", s.Reveal())
	}
}
