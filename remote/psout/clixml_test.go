package psout

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCliXmlPartnerApplicationsE19(t *testing.T) {
	apps, err := ParsePartnerApplications(fixture(t, "css-exchange-GetPartnerApplication.E19.clixml.xml"))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]PartnerApplication{}
	for _, a := range apps {
		byName[a.Name] = a
	}
	want := map[string]struct {
		id      string
		enabled bool
	}{
		"Exchange Online": {"00000002-0000-0ff1-ce00-000000000000", true},
		"Microsoft Graph": {"00000003-0000-0000-c000-000000000000", true},
		"TeamsScheduler":  {"7557eb47-c689-4224-abcf-aef9bd7573df", false},
		"CloudVoicemail":  {"db7de2b5-2149-435e-8043-e080dd50afae", false},
		"SfBLegacy":       {"00000004-0000-0ff1-ce00-000000000000", true},
	}
	if len(apps) != len(want) {
		t.Errorf("got %d apps, want %d: %+v", len(apps), len(want), apps)
	}
	for name, w := range want {
		a, ok := byName[name]
		if !ok {
			t.Errorf("missing %s", name)
			continue
		}
		if a.ApplicationIdentifier != w.id || a.Enabled != w.enabled || !a.UseAuthServer {
			t.Errorf("%s = %+v", name, a)
		}
	}
	if got := byName["Exchange Online"].LinkedAccount; got != "contoso.lab/Users/Exchange Online-ApplicationAccount" {
		t.Errorf("LinkedAccount = %q", got)
	}
	if got := byName["SfBLegacy"].LinkedAccount; got != "" {
		t.Errorf("SfBLegacy LinkedAccount (Nil) = %q", got)
	}
}

func TestCliXmlAuthConfigs(t *testing.T) {
	mon, err := ParseAuthConfigs(fixture(t, "css-exchange-GetAuthConfig.MonitorAuthCert.clixml.xml"))
	if err != nil || len(mon) != 1 {
		t.Fatalf("%v %+v", err, mon)
	}
	a := mon[0]
	if a.CurrentCertificateThumbprint != "E1BDF9AE58C93C75E76C9DD882138FB8FF0FA786" ||
		a.NextCertificateThumbprint != "BC6BF924D6EF046E64F8D1987DC1D7D2F4C0042A" ||
		a.ServiceName != "00000002-0000-0ff1-ce00-000000000000" || a.Realm != "" {
		t.Errorf("%+v", a)
	}
	want := time.Date(2023, 2, 3, 14, 16, 2, 0, time.UTC)
	if !a.NextCertificateEffectiveDate.Equal(want) {
		t.Errorf("NextCertificateEffectiveDate = %v, want %v", a.NextCertificateEffectiveDate, want)
	}
	e19, err := ParseAuthConfigs(fixture(t, "css-exchange-GetAuthConfig.E19.clixml.xml"))
	if err != nil || len(e19) != 1 {
		t.Fatalf("%v %+v", err, e19)
	}
	if e19[0].CurrentCertificateThumbprint != "C3EDCF181EF4F9B53D01768ECA99564014BCA6E7" ||
		!e19[0].NextCertificateEffectiveDate.IsZero() || e19[0].NextCertificateThumbprint != "" {
		t.Errorf("%+v", e19[0])
	}
}

func TestCliXmlShapes(t *testing.T) {
	doc := `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
<Obj RefId="0"><TN RefId="0"><T>X</T></TN><ToString>first</ToString><Props>
 <S N="Name">a&amp;b</S><I32 N="Count">3</I32><B N="On">true</B>
 <Obj N="Kind" RefId="1"><TN RefId="1"><T>System.Enum</T></TN><ToString>Full</ToString><I32>2</I32></Obj>
 <Obj N="List" RefId="2"><LST><S>x</S><S>y</S></LST></Obj>
 <Obj N="Map" RefId="3"><DCT><En><S N="Key">k</S><S N="Value">v</S></En></DCT></Obj>
</Props></Obj>
<Obj RefId="4"><TNRef RefId="0"/><Props><Ref N="Same" RefId="2"/></Props></Obj>
<S>top-level string</S>
</Objs>`
	objs, err := DecodeCliXml([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("got %d objects", len(objs))
	}
	o := objs[0]
	if o.Str("name") != "a&b" || o.Str("Count") != "3" || !o.Bool("On") || o.Str("Kind") != "Full" ||
		strings.Join(o.Strings("List"), ",") != "x,y" || o.Sub("Map").Str("k") != "v" || o.Str(ToStringKey) != "first" {
		t.Errorf("shapes: %#v", o)
	}
	if strings.Join(objs[1].Strings("Same"), ",") != "x,y" {
		t.Errorf("Ref not resolved: %#v", objs[1])
	}
	if objs[2].Str(ToStringKey) != "top-level string" {
		t.Errorf("top-level primitive: %#v", objs[2])
	}
	for _, bad := range []string{"", "<Nope/>", "<Objs><Obj>", `<Objs><Obj><Props><Ref N="x" RefId="9"/></Props></Obj></Objs>`} {
		if _, err := DecodeCliXml([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestCliXmlDepthLimit(t *testing.T) {
	doc := "<Objs>" + strings.Repeat("<Obj><Props><Obj N=\"x\">", 100) + strings.Repeat("</Obj></Props></Obj>", 100) + "</Objs>"
	if _, err := DecodeCliXml([]byte(doc)); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("want depth error, got %v", err)
	}
}

func FuzzDecodeCliXml(f *testing.F) {
	for _, n := range []string{"css-exchange-GetAuthConfig.E19.clixml.xml", "css-exchange-GetAuthConfig.MonitorAuthCert.clixml.xml"} {
		f.Add(fixture(f, n))
	}
	f.Add([]byte(`<Objs><Obj RefId="0"><Props><S N="a">b</S><Ref N="r" RefId="0"/></Props></Obj></Objs>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := DecodeCliXml(data)
		if err != nil {
			return
		}
		for _, o := range objs {
			_ = PartnerApplicationFrom(o)
			_ = AuthConfigFrom(o)
			_ = Truncations([]Object{o})
		}
	})
}

func BenchmarkDecodeCliXmlPartnerApplications(b *testing.B) {
	data := fixture(b, "css-exchange-GetPartnerApplication.E19.clixml.xml")
	for b.Loop() {
		if _, err := ParsePartnerApplications(data); err != nil {
			b.Fatal(err)
		}
	}
}
