package profile

import (
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse: Parse never panics, and whatever Parse and Validate accept
// survives Save and Load unchanged.
func FuzzParse(f *testing.F) {
	f.Add([]byte(exampleYAML))
	f.Add([]byte("topology: hybrid\ndomain: contoso.com\nsfb: {pool: pool01.contoso.com}\ntenant_id: 5de110f8-2e0f-4d45-891d-bcf2218e253d\n"))
	f.Add([]byte("topology: sfbonline\ndomain: a.b\nexchange: {fqdn: e.a.b, ews_url: 'https://e.a.b:1/x'}\n"))
	f.Add([]byte("name: \"lab: x\"\ntopology: onprem\ndomain: contoso.lab\nexchange: {fqdn: x.contoso.lab}\nsfb: {pool: p.contoso.lab}\ndns: {server: '[::1]:53'}\n"))
	f.Add([]byte("{}"))
	f.Add([]byte("- a\n- b\n"))
	f.Add([]byte("topology: &a onprem\ndomain: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz")
		if err != nil {
			return
		}
		_ = p.Effective()
		_ = p.Vars()
		if p.TLS.CAFile != "" || p.Validate() != nil {
			return
		}
		path := filepath.Join(t.TempDir(), "p.yaml")
		if err := p.Save(path); err != nil {
			t.Fatalf("Save of a valid profile: %v", err)
		}
		got, err := Load(path)
		if err != nil {
			t.Fatalf("Load of a saved valid profile: %v", err)
		}
		got.dir = ""
		if !reflect.DeepEqual(got, p) {
			t.Fatalf("round trip changed the profile:\n got %+v\nwant %+v", got, p)
		}
	})
}
