package engine

// Builtins is every check this package implements, by the id the
// knowledge base gives it (assets/checks). It is the one place to read
// which ids have code and which function runs each; a check in the
// knowledge base missing here is planned as not implemented.
func Builtins() map[string]CheckFunc {
	return map[string]CheckFunc{
		// DNS (checks_dns.go)
		"dns.autodiscover": checkDNSAutodiscover,
		"dns.pool":         checkDNSPool,
		"dns.lyncdiscover": checkDNSLyncdiscover,

		// TLS (checks_tls.go)
		"tls.autodiscover": checkTLS,
		"tls.pool":         checkTLS,

		// Auth metadata documents (checks_metadata.go)
		"metadata.exchange": metadataCheck(metadataSide{product: "Exchange", appID: AppIDExchange, expiredPitfall: "exchange-auth-cert-expired"}),
		"metadata.sfb":      metadataCheck(metadataSide{product: "Skype for Business", appID: AppIDSfB, expiredPitfall: "sfb-oauth-cert-expired"}),
		"metadata.realm":    checkMetadataRealm,

		// Bearer challenges (checks_bearer.go)
		"bearer.ews":          bearerCheck(true),
		"bearer.autodiscover": bearerCheck(false),

		// Skype for Business PowerShell (checks_ps_sfb.go, checks_ps_sfbcert.go)
		"ps.sfb.oauthconfig": checkSfBOAuthConfig,
		"ps.sfb.partnerapp":  checkSfBPartnerApp,
		"ps.sfb.oauthserver": checkSfBOAuthServer,
		"ps.sfb.oauthcert":   checkSfBOAuthCert,

		// Exchange PowerShell (checks_ps_exchange.go, checks_ps_exauth.go)
		"ps.exchange.partnerapp":       checkExPartnerApp,
		"ps.exchange.teamsapps":        checkExTeamsApps,
		"ps.exchange.authserver":       checkExAuthServer,
		"ps.exchange.vdir-oauth":       checkExVdirOAuth,
		"ps.exchange.autodiscover-uri": checkExAutodiscoverURI,
		"ps.exchange.authconfig":       checkExAuthConfig,

		// The dedicated Exchange hybrid application (checks_ps_hybridapp.go)
		"ps.exchange.hybridapp":     checkExHybridApp,
		"ps.exchange.exopartnerapp": checkExEXOPartnerApp,
		"ps.exchange.audience":      checkExAudienceValidation,
		"ps.exchange.ioc":           checkExIOC,
		"ps.tenant.hybridapp":       checkTenantHybridApp,

		// Both sides together (checks_ps_cross.go)
		"ps.cross.trust":   checkCrossTrust,
		"ps.sfb.exstorage": checkExStorage,

		// The Microsoft 365 tenant (checks_ps_tenant.go)
		"ps.tenant.keycredentials": checkTenantKeyCredentials,

		// Every server one by one (fleet.go, checks_fleet_exchange.go, checks_fleet_sfb.go)
		"fleet.exchange": checkExchangeFleet,
		"fleet.sfb":      checkSfBFleet,
	}
}
