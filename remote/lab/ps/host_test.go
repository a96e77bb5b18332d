package ps

import (
	"strings"
	"testing"
)

// fakeHost is the smallest host: two cmdlets, one variable, no statics.
type fakeHost struct {
	out   strings.Builder
	thing struct {
		name  string
		on    bool
		tags  []string
		count int
	}
}

func (h *fakeHost) Cmdlet(name string) (*Cmdlet, error) {
	switch strings.ToLower(name) {
	case "set-thing":
		return &Cmdlet{Name: "Set-Thing", Params: Params{Named: "Name On Tags Count", Positional: "Name"},
			Run: func(c *Call) ([]Value, error) {
				t := &h.thing
				return nil, c.Bind(Fields{"Name": &t.name, "On": &t.on, "Tags": &t.tags, "Count": &t.count})
			}}, nil
	case "say":
		return &Cmdlet{Name: "Say", Params: Params{Named: "Text", Positional: "Text"},
			Run: func(c *Call) ([]Value, error) { h.Write(c.Str("Text") + "\n"); return nil, nil }}, nil
	}
	return nil, NotSimulated(name)
}
func (h *fakeHost) Write(s string) { h.out.WriteString(s) }
func (h *fakeHost) Variable(name string) (Value, bool) {
	if name == "env:computername" {
		return "BOX01", true
	}
	return nil, false
}
func (h *fakeHost) Static(typ, member string, args []Value) (Value, error) {
	return nil, NotSimulated("[" + typ + "]::" + member)
}

func run(t *testing.T, h Host, src string) ([]Value, error) {
	t.Helper()
	s, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return New(h, nil).Run(s)
}

func TestBindSetsOnlyGivenParameters(t *testing.T) {
	h := &fakeHost{}
	h.thing.name, h.thing.count = "keep", 7
	if _, err := run(t, h, "Set-Thing -On:$true -Tags a,b; Say \"on $env:COMPUTERNAME\""); err != nil {
		t.Fatal(err)
	}
	if h.thing.name != "keep" || !h.thing.on || strings.Join(h.thing.tags, "|") != "a|b" || h.thing.count != 7 {
		t.Errorf("bound %+v", h.thing)
	}
	if h.out.String() != "on BOX01\n" {
		t.Errorf("host output %q", h.out.String())
	}
	if _, err := run(t, h, "Set-Thing renamed -Cou 3"); err != nil || h.thing.name != "renamed" || h.thing.count != 3 {
		t.Errorf("positional and prefix binding: %v %+v", err, h.thing)
	}
}

func TestBindRefusesWhatDoesNotConvert(t *testing.T) {
	h := &fakeHost{}
	_, err := run(t, h, "Set-Thing -Count many")
	if err == nil || !strings.Contains(err.Error(), "Cannot convert value \"many\" to type \"System.Int32\"") {
		t.Fatalf("err = %v", err)
	}
	_, err = run(t, h, "Set-Thing -Colour red")
	if e, ok := err.(*Error); !ok || e.ID != "NamedParameterNotFound" {
		t.Fatalf("unknown parameter: %v", err)
	}
	_, err = run(t, h, "Get-Nothing")
	if e, ok := err.(*Error); !ok || e.ID != NotSimulatedID {
		t.Fatalf("unknown cmdlet: %v", err)
	}
}

func TestBindPanicsOnUndeclaredField(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a Fields name the cmdlet does not declare was accepted")
		}
	}()
	c := &Call{Cmdlet: &Cmdlet{Name: "X", Params: Params{Named: "A"}}, params: map[string]Value{}}
	var s string
	_ = c.Bind(Fields{"B": &s})
}
