package profile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const exampleYAML = `topology: onprem
domain: contoso.com
tenant_id: ""
exchange:
  fqdn: exch01.contoso.com
  autodiscover: autodiscover.contoso.com
  metadata_url: ""
  ews_url: ""
sfb:
  pool: pool01.contoso.com
  web_external: ""
  metadata_url: ""
tls:
  ca_file: ""
  insecure: false
dns:
  server: ""
`

func TestParseExample(t *testing.T) {
	p, err := Parse([]byte(exampleYAML), "example")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Exchange.FQDN != "exch01.contoso.com" || p.SfB.Pool != "pool01.contoso.com" || p.Topology != "onprem" {
		t.Fatalf("parsed %+v", p)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"unknown key", exampleYAML + "extra: 1\n", "unknown key extra"},
		{"misspelt nested key", "topology: onprem\nexchange:\n  fdqn: x\n", "unknown key exchange.fdqn (the keys there are: autodiscover, connections, ews_url, fqdn"},
		{"secret in shell", "topology: onprem\nsfb:\n  shell: {transport: ssh, password: x}\n", "secrets never go in the profile"},
		{"empty", "", "is empty"},
		{"two documents", "topology: onprem\n---\ntopology: hybrid\n", "more than one YAML document"},
		{"wrong type", "tls:\n  insecure: [1]\n", "tls.insecure takes true or false, not a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data), "p.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "p.yaml") {
				t.Fatalf("err = %v, want it to name p.yaml and contain %q", err, tt.want)
			}
		})
	}
}

func TestEffectiveDefaults(t *testing.T) {
	p := &Profile{Topology: "onprem", Domain: "contoso.com", Exchange: Exchange{FQDN: "exch01.contoso.com"}, SfB: SfB{Pool: "pool01.contoso.com"}}
	e := p.Effective()
	want := map[string]string{
		"autodiscover": "autodiscover.contoso.com",
		"exmeta":       "https://autodiscover.contoso.com/autodiscover/metadata/json/1",
		"ews":          "https://autodiscover.contoso.com/EWS/Exchange.asmx",
		"svc":          "https://autodiscover.contoso.com/autodiscover/autodiscover.svc",
		"sfbmeta":      "https://pool01.contoso.com/metadata/json/1",
	}
	got := map[string]string{
		"autodiscover": e.Exchange.Autodiscover, "exmeta": e.Exchange.MetadataURL, "ews": e.Exchange.EWSURL,
		"svc": e.AutodiscoverSvcURL, "sfbmeta": e.SfB.MetadataURL,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("effective = %v\nwant %v", got, want)
	}
	if p.Exchange.Autodiscover != "" {
		t.Fatal("Effective changed its receiver")
	}
	// explicit values win over derived ones
	p.Exchange.EWSURL = "https://mail.contoso.com:8443/EWS/Exchange.asmx"
	if got := p.Effective().Exchange.EWSURL; got != p.Exchange.EWSURL {
		t.Fatalf("explicit ews_url replaced by %q", got)
	}
}

func TestVars(t *testing.T) {
	p := &Profile{Topology: "onprem", Domain: "contoso.com", Exchange: Exchange{FQDN: "exch01.contoso.com"}, SfB: SfB{Pool: "pool01.contoso.com"}}
	v := p.Vars()
	if v.ExchangeServer != "exch01" || v.SfBMetadataURL != "https://pool01.contoso.com/metadata/json/1" || v.Domain != "contoso.com" {
		t.Fatalf("vars %+v", v)
	}
	if v.TenantID != "<tenant id>" || v.SfBWebExternal != "<sfb external web fqdn>" {
		t.Fatalf("empty values need a visible placeholder: %q %q", v.TenantID, v.SfBWebExternal)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	p := validOnPrem()
	p.Name = "lab"
	p.TenantID = "5de110f8-2e0f-4d45-891d-bcf2218e253d"
	p.TLS.Insecure = true
	p.DNS.Server = "127.0.0.1:5353"
	path := filepath.Join(t.TempDir(), "sub", "profile.yaml")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got.dir, p.dir = "", ""
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, p)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("Save left temp files behind: %v", entries)
	}
}

func TestLocate(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv(EnvVar, "")
	existing := filepath.Join(dir, "p.yaml")
	os.WriteFile(existing, []byte(exampleYAML), 0o600)

	path, found, err := Locate("")
	if err != nil || found || !strings.HasPrefix(path, dir) || filepath.Base(path) != "profile.yaml" {
		t.Fatalf("default missing: %q %v %v", path, found, err)
	}
	if path, found, err = Locate(existing); err != nil || !found || path != existing {
		t.Fatalf("flag: %q %v %v", path, found, err)
	}
	if _, _, err = Locate(filepath.Join(dir, "typo.yaml")); err == nil || !strings.Contains(err.Error(), "--profile") {
		t.Fatalf("a missing --profile file must be an error naming the flag: %v", err)
	}
	t.Setenv(EnvVar, existing)
	if path, found, err = Locate(""); err != nil || !found || path != existing {
		t.Fatalf("env: %q %v %v", path, found, err)
	}
	t.Setenv(EnvVar, filepath.Join(dir, "gone.yaml"))
	if _, _, err = Locate(""); err == nil || !strings.Contains(err.Error(), EnvVar) {
		t.Fatalf("a missing $%s file must be an error naming it: %v", EnvVar, err)
	}
}

func TestEffectiveFollowsExplicitMetadataOrigin(t *testing.T) {
	p := &Profile{Topology: "onprem", Domain: "contoso.lab",
		Exchange: Exchange{FQDN: "exch01.contoso.lab", MetadataURL: "https://autodiscover.contoso.lab:41234/autodiscover/metadata/json/1"}}
	e := p.Effective()
	if e.Exchange.EWSURL != "https://autodiscover.contoso.lab:41234/EWS/Exchange.asmx" ||
		e.AutodiscoverSvcURL != "https://autodiscover.contoso.lab:41234/autodiscover/autodiscover.svc" {
		t.Fatalf("lab port lost: ews %q svc %q", e.Exchange.EWSURL, e.AutodiscoverSvcURL)
	}
}

// A value of the wrong kind, or a key given twice, is reported with the key
// as written and what it takes, never a Go type name; a huge value is not
// echoed whole.
func TestParseNamesKeysAndWhatTheyTake(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	tests := []struct {
		name, data string
		want       []string
	}{
		{"section given a list", "topology: onprem\ndns: [a, b]\n", []string{"line 2: dns takes a section with the keys server, not a list"}},
		{"bool given text", "tls:\n  insecure: maybe\n", []string{`line 2: tls.insecure takes true or false, not "maybe"`}},
		{"number given text", "exchange:\n  shell:\n    transport: ssh\n    port: twenty-two\n", []string{`line 4: exchange.shell.port takes a whole number, not "twenty-two"`}},
		{"text given a list", "domain: [a]\n", []string{"line 1: domain takes one value (text), not a list"}},
		{"duplicate key", "tls:\n  insecure: true\n  insecure: false\n", []string{"line 3: tls.insecure is given twice (first at line 2): keep one"}},
		{"huge value", "tls:\n  insecure: " + huge + "\n", []string{"tls.insecure takes true or false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data), "p.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			for _, bad := range []string{"unmarshal", "profile.", "!!", "a typo?"} {
				if strings.Contains(msg, bad) {
					t.Errorf("error says %q:\n%s", bad, msg)
				}
			}
			if len(msg) > 2000 {
				t.Errorf("error of %d bytes", len(msg))
			}
		})
	}
}

// Validate quotes a bad value cut, not whole.
func TestProblemCutsLongValues(t *testing.T) {
	p := Problem{Key: "domain", Value: strings.Repeat("y", 1<<20), Expected: "is not a DNS name"}
	if msg := p.Error(); len(msg) > 300 || !strings.Contains(msg, "more bytes") {
		t.Errorf("%d bytes: %.200s", len(msg), msg)
	}
}
