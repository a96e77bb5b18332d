package lab

// How a scenario's mutations change the lab's state.

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

func (s *State) expand(v string) string {
	return strings.NewReplacer("${Domain}", s.Domain, "${Port}", s.Port, "${SfBPool}", s.SfB.Pool,
		"${Autodiscover}", host("autodiscover"), "${TenantID}", s.TenantID).Replace(v)
}

// parseAge reads "-10d", "365d", "-2h" relative to now.
func parseAge(v string, now time.Time) (time.Time, error) {
	if strings.HasSuffix(v, "d") {
		n, err := strconv.Atoi(strings.TrimSuffix(v, "d"))
		if err != nil {
			return time.Time{}, fmt.Errorf("bad day count %q", v)
		}
		return now.AddDate(0, 0, n), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad duration %q (use e.g. -10d or -2h)", v)
	}
	return now.Add(d), nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "$true", "yes":
		return true, nil
	case "false", "$false", "no":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", v)
}

// apply runs one mutation. The caller holds s.mu.
func (s *State) apply(m Mutation) error {
	if m.RemoveDNS != "" {
		name := strings.ToLower(s.expand(m.RemoveDNS))
		if _, ok := s.DNS[name]; !ok {
			return fmt.Errorf("remove_dns: the lab has no name %q", name)
		}
		delete(s.DNS, name)
		return nil
	}
	if m.File != "" {
		return s.putFile(m.File, m.Value)
	}
	if m.Remove != "" {
		return s.remove(m.Remove)
	}
	parts := strings.Split(m.Set, ".")
	v := s.expand(m.Value)
	var err error
	switch {
	case len(parts) == 4 && parts[0] == "exchange" && parts[1] == "partner_app":
		err = s.setExchangeApp(parts[2], parts[3], v)
	case len(parts) == 4 && parts[0] == "exchange" && parts[1] == "vdir":
		err = s.setVdir(parts[2], parts[3], v)
	case len(parts) == 4 && parts[0] == "exchange" && parts[1] == "server" && parts[3] == "auth_cert":
		err = s.setServerCert(parts[2], v)
	case len(parts) == 3 && parts[0] == "exchange" && parts[1] == "auth_cert":
		err = s.setAuthCert(parts[2], v)
	case len(parts) == 3 && parts[0] == "exchange" && parts[1] == "next_auth_cert" && parts[2] == "not_after":
		err = s.stageNextAuthCert(v)
	case len(parts) == 3 && parts[0] == "sfb" && parts[1] == "oauth":
		err = s.setOAuthConfig(parts[2], v)
	case len(parts) == 2 && parts[0] == "exchange" && parts[1] == "autodiscover_internal_uri":
		for i := range s.Exchange.Servers {
			s.Exchange.Servers[i].AutoDiscoverServiceInternalURI = v
		}
	case len(parts) == 2 && parts[0] == "sfb" && parts[1] == "version":
		s.SfB.Version = v
	case len(parts) == 4 && parts[0] == "sfb" && parts[1] == "frontend" && parts[3] == "oauth_cert":
		err = s.setFrontEndCert(parts[2], v)
	case len(parts) == 4 && parts[0] == "tenant" && parts[1] == "sp" && parts[3] == "keys":
		err = s.setKeys(parts[2], v)
	case len(parts) == 4 && parts[0] == "exchange" && parts[1] == "auth_server":
		err = s.setAuthServer(parts[2], parts[3], v)
	case len(parts) == 4 && parts[0] == "exchange" && parts[1] == "setting_override" && parts[3] == "parameters":
		err = s.setOverride(parts[2], v)
	case len(parts) == 3 && parts[0] == "exchange" && parts[1] == "ioc" && parts[2] == "enabled":
		var b bool
		if b, err = parseBool(v); err == nil {
			for i := range s.Exchange.Connectors {
				s.Exchange.Connectors[i].Enabled = b
			}
		}
	case len(parts) == 4 && parts[0] == "exchange" && parts[1] == "setting_override" && parts[3] == "new":
		f := strings.Fields(v)
		if len(f) < 3 {
			return fmt.Errorf("set %s: want <component> <section> <parameter>…", m.Set)
		}
		s.Exchange.SettingOverrides = append(s.Exchange.SettingOverrides, SettingOverride{Name: parts[2], Component: f[0], Section: f[1],
			Parameters: f[2:], Reason: "lab scenario"})
	default:
		err = fmt.Errorf("unknown path (see the Mutation docs in remote/lab/scenario.go)")
	}
	if err != nil {
		return fmt.Errorf("set %s: %w", m.Set, err)
	}
	return nil
}

func (s *State) setExchangeApp(prefix, field, v string) error {
	var app *PartnerApp
	for i := range s.Exchange.PartnerApps {
		if strings.HasPrefix(strings.ToLower(s.Exchange.PartnerApps[i].Name), strings.ToLower(prefix)) {
			app = &s.Exchange.PartnerApps[i]
		}
	}
	if app == nil {
		return fmt.Errorf("no Exchange partner application starts with %q", prefix)
	}
	var err error
	switch field {
	case "auth_metadata_url":
		app.AuthMetadataURL = v
	case "application_identifier":
		app.ApplicationIdentifier = v
	case "realm":
		app.Realm = v
	case "enabled":
		app.Enabled, err = parseBool(v)
	case "pending_iisreset":
		app.PendingIISReset, err = parseBool(v)
	default:
		err = fmt.Errorf("unknown partner application field %q", field)
	}
	return err
}

func (s *State) setVdir(which, field, v string) error {
	b, err := parseBool(v)
	if err != nil || field != "oauth" {
		return fmt.Errorf("want exchange.vdir.<ews|autodiscover>.oauth: true|false")
	}
	for i := range s.Exchange.Servers {
		sv := &s.Exchange.Servers[i]
		switch which {
		case "ews":
			sv.EWS = Vdir{b, b}
		case "autodiscover":
			sv.Autodiscover = Vdir{b, b}
		default:
			return fmt.Errorf("unknown virtual directory %q", which)
		}
	}
	return nil
}

// setAuthCert replaces the current auth certificate by one whose not_after
// (or not_before) is the given age; the other date keeps a 5-year span.
func (s *State) setAuthCert(field, v string) error {
	t, err := parseAge(v, s.Now())
	if err != nil {
		return err
	}
	nb, na := t.AddDate(-5, 0, 0), t
	if field == "not_before" {
		nb, na = t, t.AddDate(5, 0, 0)
	} else if field != "not_after" {
		return fmt.Errorf("want exchange.auth_cert.not_after or .not_before")
	}
	c, err := newCert(authCertSubject, "Microsoft Exchange Server Auth Certificate", nb, na, 2048)
	if err != nil {
		return err
	}
	old := s.Exchange.AuthConfig.Current
	var keep []*Cert
	for _, x := range s.Exchange.Certs {
		if x.Thumbprint != old {
			keep = append(keep, x)
		}
	}
	s.Exchange.Certs = append(keep, c)
	s.Exchange.AuthConfig.Current = c.Thumbprint
	s.Files[`c:\oauthconfig\oauthcert.cer`] = c.DER
	return nil
}

func (s *State) setOAuthConfig(field, v string) error {
	switch field {
	case "service_name":
		s.SfB.OAuth.ServiceName = v
	case "realm":
		s.SfB.OAuth.Realm = v
	case "exchange_autodiscover_url":
		s.SfB.OAuth.ExchangeAutodiscoverURL = v
	default:
		return fmt.Errorf("unknown OAuth configuration field %q", field)
	}
	return nil
}

// setFrontEndCert gives one Front End its own OAuthTokenIssuer certificate,
// as a hand import through the MMC does.
func (s *State) setFrontEndCert(fe, v string) error {
	f := s.frontEnd(fe)
	if f == nil {
		return errNoServer{fe}
	}
	if v != "new" {
		return fmt.Errorf("want sfb.frontend.<fe01|fe02>.oauth_cert: new")
	}
	now := s.Now()
	c, err := newCert("CN="+s.Domain, "OAuth imported by hand on "+fe, now.Add(-2*time.Hour), now.AddDate(1, 0, 0), 2048)
	if err != nil {
		return err
	}
	s.SfB.Certs = append(s.SfB.Certs, c)
	f.OAuthThumb = c.Thumbprint
	return nil
}

// setKeys: "clear" removes every key credential of the principal; "broken"
// replaces them by one uploaded from a DER file read as text.
func (s *State) setKeys(appID, v string) error {
	sp := s.sp(appID)
	if sp == nil {
		return fmt.Errorf("no service principal with appId %s", appID)
	}
	switch v {
	case "clear":
		sp.KeyCredentials = nil
	case "broken":
		now := s.Now()
		sp.KeyCredentials = []KeyCredential{{KeyID: "9e8d7c6b-0000-4000-8000-00000000bad0", Start: now.Add(-time.Hour),
			End: now.AddDate(1, 0, 0), Broken: true, Value: s.derReadAsText()}}
	default:
		return fmt.Errorf("want clear or broken, not %q", v)
	}
	return nil
}

func (s *State) putFile(name, what string) error {
	if len(s.SfB.FrontEnds) == 0 {
		return fmt.Errorf("file %s: this topology has no Skype for Business pool", name)
	}
	c := s.sfbCert(s.SfB.FrontEnds[0].OAuthThumb)
	switch what {
	case "sfb-oauth-der":
		s.Files[strings.ToLower(name)] = c.DER
	case "sfb-oauth-base64":
		s.Files[strings.ToLower(name)] = pemCert(c.DER)
	default:
		return fmt.Errorf("file %s: want value sfb-oauth-der or sfb-oauth-base64, not %q", name, what)
	}
	return nil
}

func (s *State) remove(what string) error {
	switch {
	case strings.HasPrefix(what, "exchange.partner_app."):
		prefix := strings.ToLower(strings.TrimPrefix(what, "exchange.partner_app."))
		var keep []PartnerApp
		for _, a := range s.Exchange.PartnerApps {
			if !strings.HasPrefix(strings.ToLower(a.Name), prefix) {
				keep = append(keep, a)
			}
		}
		if len(keep) == len(s.Exchange.PartnerApps) {
			return fmt.Errorf("remove %s: no Exchange partner application starts with %q", what, prefix)
		}
		s.Exchange.PartnerApps = keep
	case strings.HasPrefix(what, "sfb.partner_app."):
		id := strings.TrimPrefix(what, "sfb.partner_app.")
		var keep []CsPartnerApp
		for _, a := range s.SfB.PartnerApps {
			if !strings.EqualFold(a.Identity, id) {
				keep = append(keep, a)
			}
		}
		if len(keep) == len(s.SfB.PartnerApps) {
			return fmt.Errorf("remove %s: no Skype for Business partner application %q", what, id)
		}
		s.SfB.PartnerApps = keep
	case strings.HasPrefix(what, "exchange.setting_override."):
		name := strings.TrimPrefix(what, "exchange.setting_override.")
		var keep []SettingOverride
		for _, o := range s.Exchange.SettingOverrides {
			if !strings.EqualFold(o.Name, name) {
				keep = append(keep, o)
			}
		}
		if len(keep) == len(s.Exchange.SettingOverrides) {
			return fmt.Errorf("remove %s: no setting override %q", what, name)
		}
		s.Exchange.SettingOverrides = keep
	default:
		return fmt.Errorf("remove %s: want exchange.partner_app.<name prefix>, sfb.partner_app.<identity> or exchange.setting_override.<name>", what)
	}
	return nil
}

// derReadAsText is what uploading a DER file read as text produces: the
// binary bytes go through a text decoder, every invalid sequence becomes
// U+FFFD, and the result is Base64-encoded. It is valid Base64 of no
// certificate.
func (s *State) derReadAsText() string {
	if len(s.SfB.FrontEnds) == 0 {
		return ""
	}
	c := s.sfbCert(s.SfB.FrontEnds[0].OAuthThumb)
	return base64.StdEncoding.EncodeToString([]byte(strings.ToValidUTF8(string(c.DER), "\uFFFD")))
}

// setAuthServer changes the first auth server whose name starts with prefix
// (the name may hold spaces: "EvoSts - <tenant id>" is matched by "evosts").
func (s *State) setAuthServer(prefix, field, v string) error {
	var a *AuthServer
	for i := range s.Exchange.AuthServers {
		if strings.HasPrefix(strings.ToLower(s.Exchange.AuthServers[i].Name), strings.ToLower(prefix)) {
			a = &s.Exchange.AuthServers[i]
			break
		}
	}
	if a == nil {
		return fmt.Errorf("no auth server starts with %q", prefix)
	}
	var err error
	switch field {
	case "application_identifier":
		a.ApplicationIdentifier = v
	case "realm":
		a.Realm = v
	case "enabled":
		a.Enabled, err = parseBool(v)
	case "duplicate":
		if v == "" || s.authServer(v) != nil {
			return fmt.Errorf("duplicate: want a new auth server name, not %q", v)
		}
		// An older wizard run's copy: same type and realm, no app id.
		dup := *a
		dup.Name, dup.DomainName, dup.ApplicationIdentifier = v, append([]string(nil), a.DomainName...), ""
		s.Exchange.AuthServers = append(s.Exchange.AuthServers, dup)
	default:
		err = fmt.Errorf("unknown auth server field %q", field)
	}
	return err
}

func (s *State) setOverride(name, v string) error {
	for i := range s.Exchange.SettingOverrides {
		if strings.EqualFold(s.Exchange.SettingOverrides[i].Name, name) {
			s.Exchange.SettingOverrides[i].Parameters = strings.Fields(v)
			return nil
		}
	}
	return fmt.Errorf("no setting override %q", name)
}

// stageNextAuthCert creates a next auth certificate ending at the given age
// and stages it, effective in seven days.
func (s *State) stageNextAuthCert(v string) error {
	na, err := parseAge(v, s.Now())
	if err != nil {
		return err
	}
	c, err := newCert(authCertSubject, "Microsoft Exchange Server Auth Certificate", s.Now().Add(-time.Hour), na, 2048)
	if err != nil {
		return err
	}
	s.Exchange.Certs = append(s.Exchange.Certs, c)
	s.Exchange.AuthConfig.Next = c.Thumbprint
	s.Exchange.AuthConfig.NextEffectiveDate = s.Now().AddDate(0, 0, 7).UTC().Truncate(time.Second)
	return nil
}
