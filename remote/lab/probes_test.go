package lab_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/bearer"
	"github.com/ucpilot/ucpilot/remote/dnsprobe"
	"github.com/ucpilot/ucpilot/remote/lab"
	"github.com/ucpilot/ucpilot/remote/metadata"
	"github.com/ucpilot/ucpilot/remote/netx"
)

const (
	appExchange = "00000002-0000-0ff1-ce00-000000000000"
	appSkype    = "00000004-0000-0ff1-ce00-000000000000"
)

// probeWorld is what the engine's zero-credential probes see of a lab.
type probeWorld struct {
	exDoc, poolDoc *metadata.Document
	exErr, poolErr error
	ews            *bearer.ProbeResult
	autodiscover   *bearer.ProbeResult
	ewsErr         error
	dnsAuto        error
	dnsPool        error
}

func probe(t *testing.T, l *lab.Lab) probeWorld {
	t.Helper()
	e := l.Env()
	cfg := netx.Config{DNSServer: e.DNSServer, RootCAs: e.RootCAs, Timeout: 5 * time.Second, DNSTimeout: 2 * time.Second}
	client, err := netx.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var w probeWorld
	var fr *metadata.FetchResult
	if fr, w.exErr = metadata.Fetch(ctx, client, e.ExchangeMetadataURL); fr != nil {
		w.exDoc = fr.Document
	}
	if e.SfBMetadataURL != "" {
		if fr, w.poolErr = metadata.Fetch(ctx, client, e.SfBMetadataURL); fr != nil {
			w.poolDoc = fr.Document
		}
	}
	w.ews, w.ewsErr = bearer.Probe(ctx, client, e.EWSURL)
	w.autodiscover, _ = bearer.Probe(ctx, client, e.AutodiscoverSvcURL)
	_, w.dnsAuto = dnsprobe.Lookup(ctx, cfg, e.Autodiscover)
	if e.SfBPool != "" {
		_, w.dnsPool = dnsprobe.Lookup(ctx, cfg, e.SfBPool)
	}
	return w
}

func startLab(t *testing.T, name string) *lab.Lab {
	t.Helper()
	l, err := lab.Start(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// TestProbesSeeEachScenario checks, with the real probes over loopback
// HTTPS and DNS, that each scenario shows its fault from the outside (or,
// for faults only PowerShell can see, that the outside still looks fine).
func TestProbesSeeEachScenario(t *testing.T) {
	domain := "contoso.lab"
	for _, info := range lab.List() {
		t.Run(info.Name, func(t *testing.T) {
			l := startLab(t, info.Name)
			w := probe(t, l)
			if w.exErr != nil || w.exDoc == nil {
				t.Fatalf("Exchange metadata at %s: %v", l.Env().ExchangeMetadataURL, w.exErr)
			}
			if w.exDoc.ServiceName != appExchange || w.exDoc.IssuerRealm != domain || len(w.exDoc.Certs()) == 0 {
				t.Errorf("Exchange document: serviceName %q issuer %q certs %d", w.exDoc.ServiceName, w.exDoc.Issuer, len(w.exDoc.Certs()))
			}
			if w.ewsErr != nil || w.ews.StatusCode != 401 || !w.ews.Offers("Negotiate") {
				t.Fatalf("EWS probe: %v %+v", w.ewsErr, w.ews)
			}
			if info.Topology == "sfbonline" {
				return
			}
			if w.poolErr != nil || w.poolDoc == nil {
				t.Fatalf("pool metadata: %v", w.poolErr)
			}
			trusts := w.ews.Bearer != nil && w.ews.Bearer.TrustsIssuer(appSkype, domain)
			if info.Topology == "hybrid" { // Exchange Online trusts ACS, not the pool directly
				trusts = w.ews.Bearer != nil && w.ews.Bearer.TrustsIssuer("00000001-0000-0000-c000-000000000000", domain)
			}
			switch info.Name {
			case "ews-oauth-off":
				if w.ews.Bearer != nil || w.ews.Offers("Bearer") {
					t.Errorf("EWS with OAuth off still offers Bearer: %v", w.ews.Schemes)
				}
				if w.autodiscover == nil || w.autodiscover.Bearer == nil {
					t.Errorf("Autodiscover (OAuth still on) lost its Bearer challenge")
				}
			case "jason-url", "no-iisreset", "onprem-fresh":
				if trusts {
					t.Errorf("EWS trusts 00000004@%s although the partner app is not effective: %v", domain, w.ews.Bearer.TrustedIssuers)
				}
			case "appid-short":
				if w.poolDoc.ServiceName == appSkype || w.poolDoc.IssuerAppID != "00000004-0000-0ff1-ce00-00000000000" {
					t.Errorf("pool serviceName %q, issuer %q: want the short id", w.poolDoc.ServiceName, w.poolDoc.Issuer)
				}
			case "realm-mismatch":
				if w.poolDoc.IssuerRealm == domain || trusts || !w.ews.Bearer.TrustsIssuer(appSkype, "corp."+domain) {
					t.Errorf("realm mismatch not visible: pool issuer %q, trusted %v", w.poolDoc.Issuer, w.ews.Bearer.TrustedIssuers)
				}
			case "auth-cert-expired":
				if c := w.exDoc.Certs()[0]; !c.NotAfter.Before(time.Now()) {
					t.Errorf("Exchange publishes a certificate valid until %s; want an expired one", c.NotAfter)
				}
			case "autodiscover-missing":
				if netx.KindOf(w.dnsAuto) != netx.KindDNSNotFound {
					t.Errorf("autodiscover lookup: %v, want not found", w.dnsAuto)
				}
			default:
				if !trusts || w.poolDoc.ServiceName != appSkype || w.poolDoc.IssuerRealm != domain {
					t.Errorf("%s: EWS trusts %v, pool issuer %q", info.Name, w.ews.Bearer, w.poolDoc.Issuer)
				}
			}
			if info.Name != "autodiscover-missing" && w.dnsAuto != nil {
				t.Errorf("autodiscover lookup: %v", w.dnsAuto)
			}
			if w.dnsPool != nil {
				t.Errorf("pool lookup: %v", w.dnsPool)
			}
		})
	}
}

// TestFixVisibleToProbes: after the jason fix and iisreset, the probes see
// Exchange trust the pool.
func TestFixVisibleToProbes(t *testing.T) {
	l := startLab(t, "jason-url")
	ctx := context.Background()
	cmd := "& $exscripts\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl '" + l.Env().SfBMetadataURL + "' -ApplicationType Lync"
	if r, _ := l.Shell("ems").Run(ctx, cmd); r.ExitCode != 0 {
		t.Fatalf("configure: %s", r.Stderr)
	}
	if w := probe(t, l); w.ews.Bearer.TrustsIssuer(appSkype, "contoso.lab") {
		t.Fatalf("trusted before iisreset: %v", w.ews.Bearer.TrustedIssuers)
	}
	if r, _ := l.Shell("cmd").Run(ctx, "iisreset /noforce"); r.ExitCode != 0 || !strings.Contains(r.Stdout, "restarted") {
		t.Fatalf("iisreset: %+v", r)
	}
	if w := probe(t, l); !w.ews.Bearer.TrustsIssuer(appSkype, "contoso.lab") {
		t.Fatalf("not trusted after iisreset: %v", w.ews.Bearer.TrustedIssuers)
	}
}

func netxClient(e lab.Env) (*netx.Client, error) {
	return netx.NewClient(netx.Config{DNSServer: e.DNSServer, RootCAs: e.RootCAs, Timeout: 2 * time.Second, DNSTimeout: time.Second})
}
