package shell

import (
	"errors"
	"strings"
	"testing"
)

func TestValidators(t *testing.T) {
	type tc struct {
		fn      func(string) error
		in      string
		wantErr string // substring; "" = valid
	}
	cases := []tc{
		{ValidateHostname, "exch01.contoso.com", ""},
		{ValidateHostname, "exch01", ""},
		{ValidateHostname, "10.0.0.5", ""},
		{ValidateHostname, "fe01.contoso.com.", ""},
		{ValidateHostname, "", "empty"},
		{ValidateHostname, "exch01..contoso.com", "empty label"},
		{ValidateHostname, "exch01.contoso.com\n; calc", "control character"},
		{ValidateHostname, "exch 01", "only letters"},
		{ValidateHostname, "-bad.contoso.com", "hyphen"},
		{ValidateHostname, "exch\x00.com", "control character"},
		{ValidateSIPURI, "sip:kenmyer@litwareinc.com", ""},
		{ValidateSIPURI, "SIP:ken@litwareinc.com", ""},
		{ValidateSIPURI, "kenmyer@litwareinc.com", `start with "sip:"`},
		{ValidateSIPURI, "sip:@litwareinc.com", "user part"},
		{ValidateSIPURI, "sip:ken'x@litwareinc.com", "quote"},
		{ValidateSIPURI, "sip:ken@litware inc.com", "domain part"},
		{ValidateURL, "https://exch01.contoso.com/autodiscover/metadata/json/1", ""},
		{ValidateURL, "ftp://x.contoso.com/", "scheme"},
		{ValidateURL, "https://exch01.contoso.com/a b", "space"},
		{ValidateURL, "https:///nohost", "host"},
		{ValidateURL, "https://exch01.contoso.com/\r\nX: y", "control character"},
		{ValidateGUID, "00000004-0000-0ff1-ce00-000000000000", ""},
		{ValidateGUID, "00000004-0000-0ff1-ce00-00000000000", "group 5 has 11"},
		{ValidateGUID, "00000002-000-0ff1-ce00-000000000000", "group 2 has 3"},
		{ValidateGUID, "00000004-0000-0ffl-ce00-000000000000", `'l'`},
		{ValidateGUID, "{00000004-0000-0ff1-ce00-000000000000}", "hex digit"},
		{ValidateGUID, "0000000400000ff1ce00000000000000", "1 groups"},
		{ValidateThumbprint, "E1BDF9AE58C93C75E76C9DD882138FB8FF0FA786", ""},
		{ValidateThumbprint, "e1bdf9ae58c93c75e76c9dd882138fb8ff0fa786", ""},
		{ValidateThumbprint, "\u200eE1BDF9AE58C93C75E76C9DD882138FB8FF0FA786", "invisible"},
		{ValidateThumbprint, "E1 BD F9", "spaces"},
		{ValidateThumbprint, "E1BDF9AE58C93C75E76C9DD882138FB8FF0FA78", "39 hex"},
		{ValidateThumbprint, "G1BDF9AE58C93C75E76C9DD882138FB8FF0FA786", "'G'"},
		{ValidateThumbprint, "\xff", "UTF-8"},
	}
	for _, c := range cases {
		err := c.fn(c.in)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%q: unexpected error %v", c.in, err)
		case c.wantErr != "" && err == nil:
			t.Errorf("%q: accepted, want error containing %q", c.in, c.wantErr)
		case c.wantErr != "" && !strings.Contains(err.Error(), c.wantErr):
			t.Errorf("%q: error %q lacks %q", c.in, err, c.wantErr)
		}
		var ve *ValueError
		if err != nil && !errors.As(err, &ve) {
			t.Errorf("%q: error is %T, want *ValueError", c.in, err)
		}
	}
}
