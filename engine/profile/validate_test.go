package profile

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func validOnPrem() *Profile {
	return &Profile{
		Topology: TopologyOnPrem,
		Domain:   "contoso.com",
		Exchange: Exchange{FQDN: "exch01.contoso.com", Autodiscover: "autodiscover.contoso.com"},
		SfB:      SfB{Pool: "pool01.contoso.com"},
	}
}

// writePEM writes a self-signed certificate as PEM and returns its path.
func writePEM(t *testing.T, dir string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Lab CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	caPath := writePEM(t, dir)
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("hello"), 0o600)

	tests := []struct {
		name   string
		edit   func(p *Profile)
		keys   []string // keys expected in the problems, in order; nil = valid
		substr string   // a phrase the first problem must contain
	}{
		{"valid onprem", func(p *Profile) {}, nil, ""},
		{"valid with lab port URLs", func(p *Profile) {
			p.Exchange.MetadataURL = "https://autodiscover.contoso.lab:41234/autodiscover/metadata/json/1"
			p.SfB.MetadataURL = "https://127.0.0.1:41235/metadata/json/1"
			p.DNS.Server = "127.0.0.1:5353"
			p.TLS.CAFile = caPath
			p.TenantID = "5de110f8-2e0f-4d45-891d-bcf2218e253d"
			p.TestSipURI = "sip:user@contoso.com"
		}, nil, ""},
		{"valid ipv6 dns", func(p *Profile) { p.DNS.Server = "[::1]:53" }, nil, ""},
		{"valid hybrid without exchange", func(p *Profile) { p.Topology = TopologyHybrid; p.Exchange = Exchange{} }, nil, ""},
		{"valid sfbonline without pool", func(p *Profile) { p.Topology = TopologySfBOnline; p.SfB = SfB{} }, nil, ""},
		{"hostname with space", func(p *Profile) { p.Exchange.FQDN = "exch 01" }, []string{"exchange.fqdn"},
			`exchange.fqdn: "exch 01" is not a valid hostname (letters, digits, hyphens and dots; e.g. exch01.contoso.com)`},
		{"hostname with port", func(p *Profile) { p.SfB.Pool = "pool01.contoso.com:443" }, []string{"sfb.pool"}, "not a valid hostname"},
		{"label with leading hyphen", func(p *Profile) { p.Exchange.Autodiscover = "-ad.contoso.com" }, []string{"exchange.autodiscover"}, "hostname"},
		{"topology unknown", func(p *Profile) { p.Topology = "cloud" }, []string{"topology"}, "onprem, hybrid or sfbonline"},
		{"domain missing", func(p *Profile) { p.Domain = "" }, []string{"domain"}, "is empty"},
		{"domain single label", func(p *Profile) { p.Domain = "contoso" }, []string{"domain"}, "at least two labels"},
		{"onprem needs pool and fqdn", func(p *Profile) { p.SfB.Pool = ""; p.Exchange.FQDN = "" },
			[]string{"exchange.fqdn", "sfb.pool"}, "needs one Exchange server"},
		{"http url", func(p *Profile) {
			p.Exchange.MetadataURL = "http://autodiscover.contoso.com/autodiscover/metadata/json/1"
		},
			[]string{"exchange.metadata_url"}, "misprint of the Exchange metadata document: use https://autodiscover.contoso.com/autodiscover/metadata/json/1"},
		{"http ews url", func(p *Profile) { p.Exchange.EWSURL = "http://autodiscover.contoso.com/EWS/Exchange.asmx" },
			[]string{"exchange.ews_url"}, "does not start with https://"},
		{"jason metadata url", func(p *Profile) {
			p.Exchange.MetadataURL = "https://autodiscover.contoso.com/autodiscover/metadata/jason/1"
		}, []string{"exchange.metadata_url"},
			`exchange.metadata_url: "https://autodiscover.contoso.com/autodiscover/metadata/jason/1" is a misprint of the Exchange metadata document: use https://autodiscover.contoso.com/autodiscover/metadata/json/1`},
		{"jason pool url", func(p *Profile) { p.SfB.MetadataURL = "https://pool01.contoso.com/metadata/jason/1" },
			[]string{"sfb.metadata_url"}, "use https://pool01.contoso.com/metadata/json/1"},
		{"trailing slash is fine", func(p *Profile) {
			p.Exchange.MetadataURL = "https://autodiscover.contoso.com/autodiscover/metadata/json/1/"
		}, nil, ""},
		{"misprint after other problems", func(p *Profile) {
			p.Topology = "x"
			p.SfB.MetadataURL = "https://pool01.contoso.com/metadata/json/l"
		}, []string{"topology", "sfb.metadata_url"}, "not a topology"},
		{"url bad port", func(p *Profile) { p.Exchange.EWSURL = "https://autodiscover.contoso.com:99999/EWS/Exchange.asmx" },
			[]string{"exchange.ews_url"}, "invalid port"},
		{"url user info", func(p *Profile) { p.SfB.MetadataURL = "https://a:b@pool01.contoso.com/metadata/json/1" },
			[]string{"sfb.metadata_url"}, "user name"},
		{"tenant not guid", func(p *Profile) { p.TenantID = "5de110f8-2e0f-4d45-891d-bcf2218e253" },
			[]string{"tenant_id"}, "not a GUID"},
		{"dns without port", func(p *Profile) { p.DNS.Server = "10.0.0.1" }, []string{"dns.server"}, "host:port"},
		{"dns port zero", func(p *Profile) { p.DNS.Server = "10.0.0.1:0" }, []string{"dns.server"}, "invalid port"},
		{"ca missing", func(p *Profile) { p.TLS.CAFile = filepath.Join(dir, "nope.pem") }, []string{"tls.ca_file"}, "does not exist"},
		{"ca not pem", func(p *Profile) { p.TLS.CAFile = notPEM }, []string{"tls.ca_file"}, "no PEM certificate"},
		{"sip uri without scheme", func(p *Profile) { p.TestSipURI = "user@contoso.com" }, []string{"test_sip_uri"}, "sip:user@"},
		{"all problems at once", func(p *Profile) {
			p.Topology = "x"
			p.Domain = "bad domain"
			p.Exchange.FQDN = "exch_01"
			p.DNS.Server = "nope"
		}, []string{"topology", "domain", "exchange.fqdn", "dns.server"}, "not a topology"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validOnPrem()
			tt.edit(p)
			err := p.Validate()
			if tt.keys == nil {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want Problems, got %v", err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.Key)
			}
			if strings.Join(got, ",") != strings.Join(tt.keys, ",") {
				t.Fatalf("problem keys = %v, want %v (%v)", got, tt.keys, err)
			}
			if !strings.Contains(ps[0].Error(), tt.substr) {
				t.Errorf("first problem %q does not contain %q", ps[0].Error(), tt.substr)
			}
		})
	}
}

func TestRelativeCAFileResolvesAgainstProfileDir(t *testing.T) {
	dir := t.TempDir()
	writePEM(t, dir)
	path := filepath.Join(dir, "profile.yaml")
	data := "topology: onprem\ndomain: contoso.com\nexchange: {fqdn: exch01.contoso.com}\nsfb: {pool: pool01.contoso.com}\ntls: {ca_file: ca.pem}\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("relative ca_file beside the profile should validate: %v", err)
	}
	pool, err := p.RootCAs()
	if err != nil || pool == nil {
		t.Fatalf("RootCAs = %v, %v", pool, err)
	}
}
