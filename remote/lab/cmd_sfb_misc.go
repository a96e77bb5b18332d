package lab

import (
	"strings"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Skype for Business settings the procedures set beside the OAuth trust:
// Exchange archiving, federation on the Edge, the Exchange Online hosting
// provider for OWA IM.
func sfbMiscCmdlets() []*cmdletDef {
	return []*cmdletDef{
		&cmdletDef{name: "Get-CsArchivingConfiguration", shells: "sfbms", params: "Identity", pos: "Identity", fn: getArchiving},
		&cmdletDef{name: "Set-CsArchivingConfiguration", shells: "sfbms", params: "Identity EnableArchiving EnableExchangeArchiving", pos: "Identity", fn: setArchiving},
		&cmdletDef{name: "Set-CsArchivingPolicy", shells: "sfbms", params: "Identity ArchiveInternal ArchiveExternal", pos: "Identity", fn: setArchivingPolicy},
		&cmdletDef{name: "Set-CsAccessEdgeConfiguration", shells: "sfbms", params: "Identity AllowFederatedUsers", pos: "Identity", fn: func(c *call) ([]ps.Value, error) {
			if err := c.Bind(ps.Fields{"AllowFederatedUsers": &c.ip.st.SfB.AllowFederatedUsers}); err != nil {
				return nil, err
			}
			return nil, nil
		}},
		&cmdletDef{name: "New-CsHostingProvider", shells: "sfbms", params: "Identity Enabled EnabledSharedAddressSpace HostsOCSUsers ProxyFqdn IsLocal VerificationLevel", pos: "Identity", fn: newHostingProvider},
		&cmdletDef{name: "Get-CsHostingProvider", shells: "sfbms", params: "Identity", switches: "LocalStore", pos: "Identity", fn: getHostingProvider},
	}
}

func getArchiving(c *call) ([]ps.Value, error) {
	f := c.ip.st.SfB
	return []ps.Value{ps.NewObject("Microsoft.Rtc.Management.WritableConfig.Policy.Archiving.ArchivingConfiguration",
		"Identity", "Global", "EnableArchiving", f.EnableArchiving, "EnableExchangeArchiving", f.EnableExchangeArchiving,
		"BlockOnArchiveFailure", false, "CachePurgingInterval", int64(24))}, nil
}

func setArchiving(c *call) ([]ps.Value, error) {
	f := &c.ip.st.SfB
	if c.Has("EnableArchiving") {
		v := c.Str("EnableArchiving")
		ok := false
		for _, want := range []string{"None", "ImOnly", "ImAndWebConf"} {
			if strings.EqualFold(v, want) {
				f.EnableArchiving, ok = want, true
			}
		}
		if !ok {
			return nil, c.Fail("InvalidArgument", "ParameterArgumentTransformationError",
				"Cannot bind parameter 'EnableArchiving'. Cannot convert value \"%s\": specify one of None, ImOnly, ImAndWebConf.", v)
		}
	}
	if err := c.Bind(ps.Fields{"EnableExchangeArchiving": &f.EnableExchangeArchiving}); err != nil {
		return nil, err
	}
	return nil, nil
}

func setArchivingPolicy(c *call) ([]ps.Value, error) {
	f := &c.ip.st.SfB
	if err := c.Bind(ps.Fields{"ArchiveInternal": &f.ArchiveInternal, "ArchiveExternal": &f.ArchiveExternal}); err != nil {
		return nil, err
	}
	return nil, nil
}

func newHostingProvider(c *call) ([]ps.Value, error) {
	f := &c.ip.st.SfB
	for _, h := range f.HostingProviders {
		if strings.EqualFold(h.Identity, c.Str("Identity")) {
			return nil, c.Fail("ResourceExists", "ItemAlreadyExists", "Cannot create item \"%s\": an item with this Identity already exists.", h.Identity)
		}
	}
	f.HostingProviders = append(f.HostingProviders, HostingProvider{Identity: c.Str("Identity"), ProxyFqdn: c.Str("ProxyFqdn"),
		Enabled: !c.Has("Enabled") || ps.Truthy(c.Val("Enabled"))})
	return nil, nil
}

func getHostingProvider(c *call) ([]ps.Value, error) {
	var out []ps.Value
	for _, h := range c.ip.st.SfB.HostingProviders {
		if c.Has("Identity") && !strings.EqualFold(h.Identity, c.Str("Identity")) {
			continue
		}
		out = append(out, ps.NewObject("Microsoft.Rtc.Management.WritableConfig.Policy.Edge.HostingProvider",
			"Identity", h.Identity, "Name", h.Identity, "ProxyFqdn", h.ProxyFqdn, "Enabled", h.Enabled))
	}
	return out, nil
}
