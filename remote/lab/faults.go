package lab

import (
	"sort"
	"strings"
)

// faultRules say, for each pitfall the lab can simulate, whether the state
// shows it. They read the state only; the caller holds s.mu.
var faultRules = []struct {
	id string
	fn func(s *State) bool
}{
	{"metadata-url-jason", func(s *State) bool {
		for _, a := range s.Exchange.PartnerApps {
			if strings.Contains(strings.ToLower(a.AuthMetadataURL), "/metadata/jason/") {
				return true
			}
		}
		return false
	}},
	{"appid-missing-zero", func(s *State) bool {
		ids := []string{s.SfB.OAuth.ServiceName}
		for _, a := range s.SfB.PartnerApps {
			ids = append(ids, a.ApplicationIdentifier)
		}
		for _, a := range s.Exchange.PartnerApps {
			ids = append(ids, a.ApplicationIdentifier)
		}
		for _, id := range ids {
			if shortID(id) != "" {
				return true
			}
		}
		return false
	}},
	{"exchange-auth-cert-expired", func(s *State) bool {
		c := s.exchangeCert(s.Exchange.AuthConfig.Current)
		return c != nil && c.NotAfter.Before(s.Now())
	}},
	{"exchange-next-auth-cert-expiring", func(s *State) bool {
		// MonitorExchangeAuthCertificate.ps1: the current certificate ends
		// within 60 days and the staged next one within 120.
		c, n := s.exchangeCert(s.Exchange.AuthConfig.Current), s.exchangeCert(s.Exchange.AuthConfig.Next)
		return c != nil && n != nil && !c.NotAfter.Before(s.Now()) && c.NotAfter.Before(s.Now().AddDate(0, 0, 61)) &&
			n.NotAfter.Before(s.Now().AddDate(0, 0, 121))
	}},
	{"exchange-auth-cert-missing-on-server", func(s *State) bool {
		for i := range s.Exchange.Servers {
			if s.Exchange.Servers[i].lacks(s.Exchange.AuthConfig.Current) {
				return true
			}
		}
		return false
	}},
	{"sfb-oauth-cert-mismatch-frontends", func(s *State) bool {
		for _, fe := range s.SfB.FrontEnds {
			if fe.OAuthThumb != s.SfB.FrontEnds[0].OAuthThumb {
				return true
			}
		}
		return false
	}},
	{"iisreset-missing", func(s *State) bool {
		for _, a := range s.Exchange.PartnerApps {
			if a.PendingIISReset {
				return true
			}
		}
		for _, sv := range s.Exchange.Servers {
			if sv.EWS.OAuth != sv.EWS.EffectiveOAuth || sv.Autodiscover.OAuth != sv.Autodiscover.EffectiveOAuth {
				return true
			}
		}
		return false
	}},
	{"oauth-disabled-on-vdir", func(s *State) bool {
		for _, sv := range s.Exchange.Servers {
			if !sv.EWS.OAuth || !sv.Autodiscover.OAuth {
				return true
			}
		}
		return false
	}},
	{"realm-mismatch", func(s *State) bool {
		if s.Topology == "sfbonline" {
			return false
		}
		if !strings.EqualFold(s.SfB.OAuth.Realm, s.Domain) {
			return true
		}
		for _, a := range s.Exchange.PartnerApps {
			if a.ApplicationIdentifier == AppSkype && a.Realm != "" && !strings.EqualFold(a.Realm, s.SfB.OAuth.Realm) {
				return true
			}
		}
		return false
	}},
	{"sfb2015-rtm-autodiscover-hardcoded", func(s *State) bool {
		return strings.Contains(s.SfB.Version, "RTM") && !s.resolves(hostOf(s.sfbAutodiscoverURL()))
	}},
	{"autodiscover-internal-uri-blank", func(s *State) bool {
		for _, sv := range s.Exchange.Servers {
			if s.Topology == "onprem" && strings.TrimSpace(sv.AutoDiscoverServiceInternalURI) == "" {
				return true
			}
		}
		return false
	}},
	{"spn-credential-exchange-missing", func(s *State) bool {
		return s.Topology == "hybrid" && s.spTrustsPool(AppSkype) && !s.spTrustsPool(AppExchange)
	}},
	{"exchange-hybrid-app-missing", func(s *State) bool {
		return s.Topology == "sfbonline" && len(s.hybridAppOverrides()) == 0
	}},
	{"exchange-hybrid-app-override-no-authserver", func(s *State) bool {
		if len(s.hybridAppOverrides()) == 0 {
			return false
		}
		for _, a := range s.hybridAuthServers() {
			if guidRE.MatchString(a.ApplicationIdentifier) && a.ApplicationIdentifier != AppExchange {
				return false
			}
		}
		return true
	}},
	{"exo-partnerapp-disabled", func(s *State) bool {
		for _, a := range s.Exchange.PartnerApps {
			if a.ApplicationIdentifier == AppExchange && !a.Enabled {
				return true
			}
		}
		return false
	}},
	{"ioc-disabled", func(s *State) bool {
		if s.Topology != "sfbonline" || len(s.Exchange.Connectors) == 0 {
			return false
		}
		for _, x := range s.Exchange.Connectors {
			if x.Enabled {
				return false
			}
		}
		return true
	}},
	{"audience-validation-off", func(s *State) bool {
		for _, o := range s.Exchange.SettingOverrides {
			if strings.EqualFold(o.Component, "OAuth") && strings.EqualFold(o.Section, "AppIdBasedAudienceValidation") && overrideEnabledText(o) == "false" {
				return true
			}
		}
		return false
	}},
	{"evosts-auth-server-duplicate", func(s *State) bool {
		n := 0
		for _, a := range s.Exchange.AuthServers {
			if a.Type == "AzureAD" && a.Enabled && strings.EqualFold(a.Realm, s.TenantID) {
				n++
			}
		}
		return n > 1
	}},
	{"exchange-hybrid-app-half-configured", func(s *State) bool {
		o := s.hybridAppOverrides()
		return len(o) > 1 || len(o) == 1 && overrideEnabledText(o[0]) != "true"
	}},
	{"cert-der-not-base64", func(s *State) bool {
		if s.Topology != "hybrid" {
			return false
		}
		for _, app := range []string{AppSkype, AppExchange} {
			if sp := s.sp(app); sp != nil && !s.spTrustsPool(app) && hasBrokenKey(sp) {
				return true
			}
		}
		return false
	}},
}

// Faults lists the pitfall ids the current state shows, sorted. An empty
// list means the environment is healthy.
func (l *Lab) Faults() []string {
	s := l.state
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults()
}

func (s *State) faults() []string {
	var out []string
	for _, r := range faultRules {
		if r.fn(s) {
			out = append(out, r.id)
		}
	}
	sort.Strings(out)
	return out
}

// TrustVerdict says whether the server-to-server trust works end to end,
// as Test-CsExStorageConnectivity would report it from the first Front
// End: "" when it does, else the failure. Faults names known pitfalls; this
// also catches a trust that is simply not configured yet.
func (l *Lab) TrustVerdict() string {
	s := l.state
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Topology == "sfbonline" {
		return ""
	}
	return s.exStorageVerdict(s.SfB.FrontEnds[0].FQDN)
}

// knownIDs are the ids a one-zero-short typo is checked against.
var knownIDs = []string{AppExchange, AppSkype}

// shortID returns the well-known id that id is one character short of, or "".
func shortID(id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	for _, k := range knownIDs {
		if len(id) != len(k)-1 {
			continue
		}
		for i := 0; i < len(k); i++ {
			if k[:i]+k[i+1:] == id {
				return k
			}
		}
	}
	return ""
}

// sfbAutodiscoverURL is where the Storage Service looks for Exchange: the
// configured URL, or the name SfB 2015 RTM hard-codes.
func (s *State) sfbAutodiscoverURL() string {
	if u := s.SfB.OAuth.ExchangeAutodiscoverURL; u != "" {
		return u
	}
	return "https://autodiscover." + s.Domain + "/autodiscover/autodiscover.svc"
}

func hostOf(u string) string {
	rest := u
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndex(rest, ":"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// spTrustsPool: the principal holds a valid key for the certificate every
// Front End signs with.
func (s *State) spTrustsPool(appID string) bool {
	sp := s.sp(appID)
	if sp == nil || len(s.SfB.FrontEnds) == 0 {
		return false
	}
	want := s.SfB.FrontEnds[0].OAuthThumb
	now := s.Now()
	for _, k := range sp.KeyCredentials {
		if !k.Broken && strings.EqualFold(k.Thumbprint, want) && k.End.After(now) {
			return true
		}
	}
	return false
}

func hasBrokenKey(sp *ServicePrincipal) bool {
	for _, k := range sp.KeyCredentials {
		if k.Broken {
			return true
		}
	}
	return false
}
