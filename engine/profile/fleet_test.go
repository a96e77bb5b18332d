package profile

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateFleet(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *Profile)
		keys []string // keys of the problems, in order; nil = valid
	}{
		{"servers and ports", func(p *Profile) {
			p.Exchange.Servers = []string{"exch01.contoso.com", "exch02.contoso.com:8443"}
			p.SfB.Servers = []string{"fe01.contoso.com"}
			p.Exchange.Connections = 4
		}, nil},
		{"bad names", func(p *Profile) {
			p.Exchange.Servers = []string{"exch 01", "exch02.contoso.com:0", "https://exch03.contoso.com"}
			p.SfB.Servers = []string{"fe01.contoso.com;Remove-Item"}
		}, []string{"exchange.servers[0]", "exchange.servers[1]", "exchange.servers[2]", "sfb.servers[0]"}},
		{"duplicate", func(p *Profile) { p.SfB.Servers = []string{"fe01.contoso.com", "FE01.contoso.com"} }, []string{"sfb.servers[1]"}},
		{"connections", func(p *Profile) { p.Exchange.Connections = -1; p.SfB.Connections = 1000 }, []string{"exchange.connections", "sfb.connections"}},
		{"thresholds swapped", func(p *Profile) { p.Monitoring = Monitoring{WarnDays: 20, CriticalDays: 45} }, []string{"monitoring.critical_days"}},
		// The identifier checker runs over server names as over every
		// other name: a documented misprint is named with its correction.
		{"misprint", func(p *Profile) {
			p.Exchange.Servers = []string{"https://autodiscover.contoso.com/autodiscover/metadata/jason/1"}
		}, []string{"exchange.servers[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validOnPrem()
			tt.edit(p)
			err := p.Validate()
			var ps Problems
			if err != nil && !errors.As(err, &ps) {
				t.Fatalf("Validate: %v", err)
			}
			var got []string
			for _, pr := range ps {
				got = append(got, pr.Key)
			}
			if strings.Join(got, ",") != strings.Join(tt.keys, ",") {
				t.Fatalf("problem keys = %v, want %v (%v)", got, tt.keys, err)
			}
			if tt.name == "misprint" && !strings.Contains(ps[0].Expected, "misprint") {
				t.Errorf("misprint not named: %v", ps[0])
			}
		})
	}
}

func TestParseFleetKeys(t *testing.T) {
	p, err := Parse([]byte(`topology: onprem
domain: contoso.com
exchange:
  fqdn: exch01.contoso.com
  servers: [exch01.contoso.com, exch02.contoso.com]
  connections: 4
sfb:
  pool: pool01.contoso.com
  servers: [fe01.contoso.com]
monitoring:
  warn_days: 45
  critical_days: 14
`), "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(p.Exchange.Servers) != 2 || p.SfB.Servers[0] != "fe01.contoso.com" || p.Exchange.Connections != 4 {
		t.Errorf("parsed %+v %+v", p.Exchange, p.SfB)
	}
	if w, c := p.Monitoring.Thresholds(); w != 45 || c != 14 {
		t.Errorf("thresholds %d/%d", w, c)
	}
	if w, c := (Monitoring{}).Thresholds(); w != DefaultWarnDays || c != DefaultCriticalDays {
		t.Errorf("default thresholds %d/%d", w, c)
	}
}
