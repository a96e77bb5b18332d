package lab

import "strings"

// Skype for Business settings the procedures set beside the OAuth trust:
// Exchange archiving, federation on the Edge, the Exchange Online hosting
// provider for OWA IM.
func init() {
	register(
		&cmdletDef{name: "Get-CsArchivingConfiguration", shells: "sfbms", params: "Identity", pos: "Identity", fn: getArchiving},
		&cmdletDef{name: "Set-CsArchivingConfiguration", shells: "sfbms", params: "Identity EnableArchiving EnableExchangeArchiving", pos: "Identity", fn: setArchiving},
		&cmdletDef{name: "Set-CsArchivingPolicy", shells: "sfbms", params: "Identity ArchiveInternal ArchiveExternal", pos: "Identity", fn: setArchivingPolicy},
		&cmdletDef{name: "Set-CsAccessEdgeConfiguration", shells: "sfbms", params: "Identity AllowFederatedUsers", pos: "Identity", fn: func(c *call) ([]Value, error) {
			if c.has("AllowFederatedUsers") {
				c.ip.st.SfB.AllowFederatedUsers = truthy(c.val("AllowFederatedUsers"))
			}
			return nil, nil
		}},
		&cmdletDef{name: "New-CsHostingProvider", shells: "sfbms", params: "Identity Enabled EnabledSharedAddressSpace HostsOCSUsers ProxyFqdn IsLocal VerificationLevel", pos: "Identity", fn: newHostingProvider},
		&cmdletDef{name: "Get-CsHostingProvider", shells: "sfbms", params: "Identity", switches: "LocalStore", pos: "Identity", fn: getHostingProvider},
	)
}

func getArchiving(c *call) ([]Value, error) {
	f := c.ip.st.SfB
	return []Value{newObj("Microsoft.Rtc.Management.WritableConfig.Policy.Archiving.ArchivingConfiguration",
		"Identity", "Global", "EnableArchiving", f.EnableArchiving, "EnableExchangeArchiving", f.EnableExchangeArchiving,
		"BlockOnArchiveFailure", false, "CachePurgingInterval", int64(24))}, nil
}

func setArchiving(c *call) ([]Value, error) {
	f := &c.ip.st.SfB
	if c.has("EnableArchiving") {
		v := c.str("EnableArchiving")
		ok := false
		for _, want := range []string{"None", "ImOnly", "ImAndWebConf"} {
			if strings.EqualFold(v, want) {
				f.EnableArchiving, ok = want, true
			}
		}
		if !ok {
			return nil, c.fail("InvalidArgument", "ParameterArgumentTransformationError",
				"Cannot bind parameter 'EnableArchiving'. Cannot convert value \"%s\": specify one of None, ImOnly, ImAndWebConf.", v)
		}
	}
	if c.has("EnableExchangeArchiving") {
		f.EnableExchangeArchiving = truthy(c.val("EnableExchangeArchiving"))
	}
	return nil, nil
}

func setArchivingPolicy(c *call) ([]Value, error) {
	f := &c.ip.st.SfB
	if c.has("ArchiveInternal") {
		f.ArchiveInternal = truthy(c.val("ArchiveInternal"))
	}
	if c.has("ArchiveExternal") {
		f.ArchiveExternal = truthy(c.val("ArchiveExternal"))
	}
	return nil, nil
}

func newHostingProvider(c *call) ([]Value, error) {
	f := &c.ip.st.SfB
	for _, h := range f.HostingProviders {
		if strings.EqualFold(h.Identity, c.str("Identity")) {
			return nil, c.fail("ResourceExists", "ItemAlreadyExists", "Cannot create item \"%s\": an item with this Identity already exists.", h.Identity)
		}
	}
	f.HostingProviders = append(f.HostingProviders, HostingProvider{Identity: c.str("Identity"), ProxyFqdn: c.str("ProxyFqdn"),
		Enabled: !c.has("Enabled") || truthy(c.val("Enabled"))})
	return nil, nil
}

func getHostingProvider(c *call) ([]Value, error) {
	var out []Value
	for _, h := range c.ip.st.SfB.HostingProviders {
		if c.has("Identity") && !strings.EqualFold(h.Identity, c.str("Identity")) {
			continue
		}
		out = append(out, newObj("Microsoft.Rtc.Management.WritableConfig.Policy.Edge.HostingProvider",
			"Identity", h.Identity, "Name", h.Identity, "ProxyFqdn", h.ProxyFqdn, "Enabled", h.Enabled))
	}
	return out, nil
}
