package psout

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDecodeObjectsQuirks(t *testing.T) {
	single := "\xef\xbb\xbf{\r\n    \"Name\":  \"SfB\",\r\n    \"Enabled\":  true,\r\n    \"ApplicationIdentifier\":  \"00000004-0000-0ff1-ce00-000000000000\",\r\n    \"AuthMetadataUrl\":  \"https://pool.contoso.com/metadata/json/1\",\r\n    \"UseAuthServer\":  false,\r\n    \"LinkedAccount\":  {\"Name\":\"LyncEnterprise-ApplicationAccount\",\"DistinguishedName\":\"CN=LyncEnterprise-ApplicationAccount,CN=Users,DC=contoso,DC=com\"}\r\n}\r\n"
	apps, err := ParsePartnerApplications([]byte(single))
	if err != nil || len(apps) != 1 {
		t.Fatalf("single object: %v %+v", err, apps)
	}
	a := apps[0]
	if a.Name != "SfB" || !a.Enabled || a.UseAuthServer || a.LinkedAccount != "LyncEnterprise-ApplicationAccount" ||
		a.AuthMetadataUrl != "https://pool.contoso.com/metadata/json/1" {
		t.Errorf("%+v", a)
	}
	for _, empty := range []string{"", "  \r\n", "null", "\xef\xbb\xbf"} {
		objs, err := DecodeObjects([]byte(empty))
		if err != nil || len(objs) != 0 {
			t.Errorf("%q: %v %v", empty, objs, err)
		}
	}
	two, err := ParsePartnerApplications([]byte(`[{"Name":"a","Enabled":"True"},{"Name":"b","Enabled":0},3]`))
	if err != nil || len(two) != 2 || !two[0].Enabled || two[1].Enabled {
		t.Errorf("array: %v %+v", err, two)
	}
}

func TestDates(t *testing.T) {
	cases := map[string]time.Time{
		`"\/Date(1700000000000)\/"`:      time.UnixMilli(1700000000000),
		`"\/Date(1700000000000+0100)\/"`: time.UnixMilli(1700000000000),
		`"\/Date(-1000)\/"`:              time.UnixMilli(-1000),
		`"2024-07-14T01:13:02.928Z"`:     time.Date(2024, 7, 14, 1, 13, 2, 928e6, time.UTC),
		`{"value":"\/Date(1720919582928)\/","DisplayHint":2,"DateTime":"Sunday, July 14, 2024 1:13:02 AM"}`: time.UnixMilli(1720919582928),
	}
	for in, want := range cases {
		objs, err := DecodeObjects([]byte(`{"NotAfter":` + in + `}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := objs[0].Time("NotAfter"); !got.Equal(want) {
			t.Errorf("%s: got %v want %v", in, got, want)
		}
	}
	objs, _ := DecodeObjects([]byte(`{"D":"\/Date(1700000000000+0130)\/"}`))
	if _, off := objs[0].Time("D").Zone(); off != 90*60 {
		t.Errorf("offset not kept: %d", off)
	}
	if _, err := ParseTime("yesterday"); err == nil {
		t.Error("accepted a non-date")
	}
}

func TestEnumsAsNumbersAndRecords(t *testing.T) {
	objs, _ := DecodeObjects([]byte(`{"Identity":"microsoft.exchange","AuthToken":"Value=https://autodiscover.contoso.com/autodiscover/metadata/json/1","ApplicationIdentifier":"00000002-0000-0ff1-ce00-000000000000","ApplicationTrustLevel":2,"Enabled":true}`))
	p := CsPartnerApplicationFrom(objs[0])
	if p.ApplicationTrustLevel != "2" || p.MetadataUrl != "https://autodiscover.contoso.com/autodiscover/metadata/json/1" || !p.Enabled {
		t.Errorf("%+v", p)
	}
	certs, err := ParseExchangeCertificates([]byte(`{"Thumbprint":"AB","Subject":"CN=Microsoft Exchange Server Auth Certificate","NotAfter":"\/Date(1700000000000)\/","HasPrivateKey":true,"Services":0,"DnsNameList":["a","b"]}`))
	if err != nil || len(certs) != 1 || !certs[0].HasPrivateKey || certs[0].Services != "0" || len(certs[0].DnsNameList) != 2 || certs[0].NotAfter.IsZero() {
		t.Errorf("%v %+v", err, certs)
	}
	vd, _ := ParseVirtualDirectories([]byte(`{"Name":"EWS (Default Web Site)","OAuthAuthentication":false,"InternalUrl":{"AbsoluteUri":"https://mail.contoso.com/EWS/Exchange.asmx"}}`))
	if vd[0].OAuthAuthentication || vd[0].InternalUrl != "https://mail.contoso.com/EWS/Exchange.asmx" {
		t.Errorf("%+v", vd[0])
	}
	cfg, _ := ParseCsOAuthConfigurations([]byte(`{"Identity":"Global","ServiceName":"00000004-0000-0ff1-ce00-000000000000","ExchangeAutodiscoverUrl":"https://autodiscover.contoso.com/autodiscover/autodiscover.svc","Realm":"contoso.com"}`))
	if cfg[0].ExchangeAutodiscoverUrl == "" || cfg[0].Realm != "contoso.com" {
		t.Errorf("%+v", cfg[0])
	}
	cc, _ := ParseCsCertificates([]byte(`[{"Use":"OAuthTokenIssuer","Thumbprint":"CD","NotAfter":"2027-01-01T00:00:00Z","AlternativeNames":"sip.contoso.com"}]`))
	if cc[0].Use != "OAuthTokenIssuer" || cc[0].AlternativeNames[0] != "sip.contoso.com" || cc[0].NotAfter.Year() != 2027 {
		t.Errorf("%+v", cc[0])
	}
	srv, _ := ParseAuthServers([]byte(`{"Name":"EvoSts - x","Type":2,"IsDefaultAuthorizationEndpoint":"True","Enabled":true}`))
	if !srv[0].IsDefaultAuthorizationEndpoint || srv[0].Type != "2" {
		t.Errorf("%+v", srv[0])
	}
	os, _ := ParseCsOAuthServers([]byte(`{"Identity":"microsoft.sts","MetadataUrl":"https://accounts.accesscontrol.windows.net/x/metadata/json/1"}`))
	if os[0].MetadataUrl == "" {
		t.Errorf("%+v", os[0])
	}
}

func TestTruncation(t *testing.T) {
	objs, _ := DecodeObjects([]byte(`{"A":"System.Collections.Hashtable","B":{"C":"@{Name=x; Enabled=True}"},"D":["ok","System.Object[]"]}`))
	got := strings.Join(Truncations(objs), " ")
	if got != "[0].A [0].B.C [0].D[1]" {
		t.Errorf("Truncations = %q", got)
	}
	f := objs[0].Sub("B").Sub("C")
	if f.Str("Name") != "x" || !f.Bool("Enabled") {
		t.Errorf("flattened: %#v", f)
	}
	if o, ok := ParseFlattened("@{Url=https://a/b?x=1; y=2; Name=n}"); !ok || o.Str("Name") != "n" {
		t.Errorf("flattened with '=' in values: %#v %v", o, ok)
	}
	if _, ok := ParseFlattened("plain"); ok {
		t.Error("plain text parsed as flattened")
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, bad := range []string{"WARNING: banner\r\n{\"a\":1}", `{"a":1} trailing`, `{"a":`, `"just a string"`} {
		_, err := DecodeObjects([]byte(bad))
		if err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	_, err := DecodeObjects([]byte("Welcome {"))
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "Welcome") {
		t.Errorf("syntax error lacks context: %v", err)
	}
}

func TestDecodeList(t *testing.T) {
	type thumb struct{ Thumbprint string }
	one, err := DecodeList[thumb]([]byte("\xef\xbb\xbf{\"Thumbprint\":\"AB\"}\r\n"))
	if err != nil || len(one) != 1 || one[0].Thumbprint != "AB" {
		t.Errorf("%v %+v", err, one)
	}
	many, err := DecodeList[thumb]([]byte(`[{"Thumbprint":"A"},{"Thumbprint":"B"}]`))
	if err != nil || len(many) != 2 {
		t.Errorf("%v %+v", err, many)
	}
	none, err := DecodeList[thumb]([]byte(" "))
	if err != nil || none != nil {
		t.Errorf("%v %+v", err, none)
	}
	if _, err := DecodeList[thumb]([]byte("{")); err == nil {
		t.Error("accepted broken JSON")
	}
}

func FuzzDecodeObjects(f *testing.F) {
	f.Add([]byte(`{"Name":"x","NotAfter":"\/Date(1700000000000+0100)\/","L":{"Name":"a"}}`))
	f.Add([]byte("\xef\xbb\xbf[{\"A\":\"@{B=1; C=2}\"}]\r\n"))
	f.Add([]byte(`[1,"x",null,{"value":"\/Date(0)\/"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := Decode(data)
		if err != nil {
			return
		}
		_ = Truncations(objs)
		for _, o := range objs {
			_ = PartnerApplicationFrom(o)
			_ = ExchangeCertificateFrom(o)
			_ = CsPartnerApplicationFrom(o)
			for k := range o {
				_ = o.Time(k)
				_ = o.Sub(k)
			}
		}
	})
}
