package pastesearch

import (
	"testing"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/knowledge/paste"
)

func TestDropCode(t *testing.T) {
	cases := []struct {
		signal string
		code   paste.Code
		want   string
	}{
		{"event 32054", paste.Code{Kind: paste.KindEvent, Value: "32054"}, ""},
		{"Event ID: 32054 storage failed", paste.Code{Kind: paste.KindEvent, Value: "32054"}, "storage failed"},
		{"HCW9999 the wizard failed", paste.Code{Kind: paste.KindHCW, Value: "HCW9999"}, "the wizard failed"},
		{"(AADSTS1234): x", paste.Code{Kind: paste.KindAADSTS, Value: "AADSTS1234"}, "x"},
	}
	for _, c := range cases {
		if got := dropCode(c.signal, c.code); got != c.want {
			t.Errorf("dropCode(%q) = %q, want %q", c.signal, got, c.want)
		}
	}
}

func TestAskUnknownAndKnownCodes(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	a := Ask(kb, "event 99999", 5)
	if len(a.Hits) != 0 || len(a.Unknown) != 1 || a.Unknown[0] != "event 99999" {
		t.Errorf("unknown event: %+v", a)
	}
	a = Ask(kb, "event 32054", 5)
	if len(a.Unknown) != 0 || len(a.Hits) == 0 {
		t.Errorf("known event: unknown %v, %d hits", a.Unknown, len(a.Hits))
	}
}
