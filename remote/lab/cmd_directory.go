package lab

import (
	"strings"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Exchange directory objects the SfB Online / Teams procedure creates:
// mail users, management roles and assignments, auth servers and the
// IntraOrganizationConnector.
func directoryCmdlets() []*cmdletDef {
	return []*cmdletDef{
		&cmdletDef{name: "New-MailUser", shells: "ems", params: "Name ExternalEmailAddress", switches: "ApplicationAccount", fn: newMailUser},
		&cmdletDef{name: "Set-MailUser", shells: "ems", params: "Identity HiddenFromAddressListsEnabled", pos: "Identity", fn: setMailUser},
		&cmdletDef{name: "Get-MailUser", shells: "ems", params: "Identity", pos: "Identity", fn: getMailUser},
		&cmdletDef{name: "New-ManagementRole", shells: "ems", params: "Name Parent", fn: newRole},
		&cmdletDef{name: "Get-ManagementRoleEntry", shells: "ems", params: "Identity", pos: "Identity", fn: getRoleEntry},
		&cmdletDef{name: "Remove-ManagementRoleEntry", shells: "ems", params: "Identity", pos: "Identity", fn: removeRoleEntry},
		&cmdletDef{name: "New-ManagementRoleAssignment", shells: "ems", params: "Role User Name", fn: newRoleAssignment},
		&cmdletDef{name: "Get-ManagementRoleAssignment", shells: "ems", params: "Role Identity", pos: "Identity", fn: getRoleAssignment},
		&cmdletDef{name: "New-AuthServer", shells: "ems", params: "Name AuthMetadataUrl Type", switches: "TrustAnySSLCertificate", fn: newAuthServer},
		&cmdletDef{name: "Get-IntraOrganizationConnector", shells: "ems", params: "Identity", pos: "Identity", fn: getIOC},
		&cmdletDef{name: "New-IntraOrganizationConnector", shells: "ems", params: "Name DiscoveryEndpoint TargetAddressDomains Enabled", fn: newIOC},
		&cmdletDef{name: "Set-IntraOrganizationConnector", shells: "ems", params: "Identity DiscoveryEndpoint TargetAddressDomains Enabled", pos: "Identity", fn: setIOC},
		&cmdletDef{name: "Get-IntraOrganizationConfiguration", shells: "ems", fn: getIOConfig},
	}
}

func notFound(c *call, what string) error {
	return c.Fail("ObjectNotFound", "ManagementObjectNotFoundException",
		"The operation couldn't be performed because object '%s' couldn't be found on '%s'.", what, host("dc01"))
}

func (s *State) mailUser(name string) *MailUser {
	for i := range s.Exchange.MailUsers {
		if strings.EqualFold(s.Exchange.MailUsers[i].Name, name) {
			return &s.Exchange.MailUsers[i]
		}
	}
	return nil
}

func mailUserObj(u MailUser) *ps.Object {
	return ps.NewObject("Microsoft.Exchange.Data.Directory.Management.MailUser", "Name", u.Name, "Alias", u.Name,
		"ExternalEmailAddress", "SMTP:"+u.ExternalEmailAddress, "HiddenFromAddressListsEnabled", u.Hidden,
		"Identity", labDomain+"/Users/"+u.Name)
}

func newMailUser(c *call) ([]ps.Value, error) {
	s := c.ip.st
	if s.mailUser(c.Str("Name")) != nil {
		return nil, c.Fail("ResourceExists", "ADObjectAlreadyExistsException", "The name \"%s\" is already being used. Please try another name.", c.Str("Name"))
	}
	u := MailUser{Name: c.Str("Name"), ExternalEmailAddress: c.Str("ExternalEmailAddress")}
	s.Exchange.MailUsers = append(s.Exchange.MailUsers, u)
	return []ps.Value{mailUserObj(u)}, nil
}

// identityName reduces "contoso.lab/Users/X" (or a piped object) to X.
func identityName(v ps.Value) string {
	if o, ok := v.(*ps.Object); ok {
		if n, ok := o.Get("Name"); ok {
			return ps.ToString(n)
		}
	}
	id := ps.ToString(v)
	if i := strings.LastIndexAny(id, `/\`); i >= 0 {
		id = id[i+1:]
	}
	return id
}

func setMailUser(c *call) ([]ps.Value, error) {
	u := c.ip.st.mailUser(identityName(c.Val("Identity")))
	if u == nil {
		return nil, notFound(c, c.Str("Identity"))
	}
	if err := c.Bind(ps.Fields{"HiddenFromAddressListsEnabled": &u.Hidden}); err != nil {
		return nil, err
	}
	return nil, nil
}

func getMailUser(c *call) ([]ps.Value, error) {
	s := c.ip.st
	if !c.Has("Identity") {
		var out []ps.Value
		for _, u := range s.Exchange.MailUsers {
			out = append(out, mailUserObj(u))
		}
		return out, nil
	}
	u := s.mailUser(identityName(c.Val("Identity")))
	if u == nil {
		return nil, notFound(c, c.Str("Identity"))
	}
	return []ps.Value{mailUserObj(*u)}, nil
}

// userApplicationEntries is a short stand-in for the UserApplication role.
var userApplicationEntries = []string{"GetDelegate", "GetUserAvailability", "UpdateDelegate", "GetUserConfiguration", "CreateItem"}

func (s *State) role(name string) *Role {
	for i := range s.Exchange.Roles {
		if strings.EqualFold(s.Exchange.Roles[i].Name, name) {
			return &s.Exchange.Roles[i]
		}
	}
	return nil
}

func newRole(c *call) ([]ps.Value, error) {
	s := c.ip.st
	if !strings.EqualFold(c.Str("Parent"), "UserApplication") {
		return nil, ps.NotSimulated("New-ManagementRole -Parent " + c.Str("Parent"))
	}
	if s.role(c.Str("Name")) != nil {
		return nil, c.Fail("ResourceExists", "ADObjectAlreadyExistsException", "The management role \"%s\" already exists.", c.Str("Name"))
	}
	r := Role{Name: c.Str("Name"), Parent: "UserApplication", Entries: append([]string(nil), userApplicationEntries...)}
	s.Exchange.Roles = append(s.Exchange.Roles, r)
	return []ps.Value{ps.NewObject("Microsoft.Exchange.Data.Directory.SystemConfiguration.ExchangeRole", "Name", r.Name, "RoleType", "UserApplication")}, nil
}

func getRoleEntry(c *call) ([]ps.Value, error) {
	roleName, pattern, _ := strings.Cut(c.Str("Identity"), `\`)
	r := c.ip.st.role(roleName)
	if r == nil {
		return nil, notFound(c, c.Str("Identity"))
	}
	var out []ps.Value
	for _, e := range r.Entries {
		if pattern == "" || ps.MatchWild(pattern, e) {
			out = append(out, ps.NewObject("Microsoft.Exchange.Management.RbacTasks.RoleEntryInfo", "Name", e, "Role", r.Name,
				"Parameters", []ps.Value{}, "Identity", r.Name+`\`+e))
		}
	}
	return out, nil
}

func removeRoleEntry(c *call) ([]ps.Value, error) {
	targets := ps.Strings(c.Val("Identity"))
	for _, v := range c.Input {
		if o, ok := v.(*ps.Object); ok {
			if id, ok := o.Get("Identity"); ok {
				targets = append(targets, ps.ToString(id))
			}
		}
	}
	for _, t := range targets {
		roleName, entry, _ := strings.Cut(t, `\`)
		r := c.ip.st.role(roleName)
		if r == nil {
			return nil, notFound(c, t)
		}
		var keep []string
		for _, e := range r.Entries {
			if !strings.EqualFold(e, entry) {
				keep = append(keep, e)
			}
		}
		r.Entries = keep
	}
	return nil, nil
}

func newRoleAssignment(c *call) ([]ps.Value, error) {
	r := c.ip.st.role(c.Str("Role"))
	user := identityName(c.Val("User"))
	if r == nil || c.ip.st.mailUser(user) == nil {
		return nil, notFound(c, c.Str("Role")+" / "+user)
	}
	r.Assignees = append(r.Assignees, user)
	return []ps.Value{ps.NewObject("Microsoft.Exchange.Data.Directory.SystemConfiguration.ExchangeRoleAssignment",
		"Name", r.Name+"-"+user, "Role", r.Name, "RoleAssigneeName", user, "RoleAssigneeType", "User")}, nil
}

func getRoleAssignment(c *call) ([]ps.Value, error) {
	var out []ps.Value
	for _, r := range c.ip.st.Exchange.Roles {
		if c.Has("Role") && !strings.EqualFold(r.Name, c.Str("Role")) {
			continue
		}
		for _, u := range r.Assignees {
			out = append(out, ps.NewObject("Microsoft.Exchange.Data.Directory.SystemConfiguration.ExchangeRoleAssignment",
				"Name", r.Name+"-"+u, "Role", r.Name, "RoleAssigneeName", u, "RoleAssigneeType", "User"))
		}
	}
	return out, nil
}

func newAuthServer(c *call) ([]ps.Value, error) {
	s := c.ip.st
	for _, a := range s.Exchange.AuthServers {
		if strings.EqualFold(a.Name, c.Str("Name")) {
			return nil, c.Fail("ResourceExists", "ADObjectAlreadyExistsException", "An auth server named \"%s\" already exists.", a.Name)
		}
	}
	a := AuthServer{Name: c.Str("Name"), Type: "MicrosoftACS", IssuerIdentifier: AppACS, AuthMetadataURL: c.Str("AuthMetadataUrl"), Enabled: true}
	s.Exchange.AuthServers = append(s.Exchange.AuthServers, a)
	return nil, nil
}

func iocObj(x IntraOrgConnector) *ps.Object {
	return ps.NewObject("Microsoft.Exchange.Data.Directory.SystemConfiguration.IntraOrganizationConnector", "Name", x.Name,
		"TargetAddressDomains", ps.StrList(x.TargetAddressDomains), "DiscoveryEndpoint", x.DiscoveryEndpoint, "Enabled", x.Enabled)
}

func getIOC(c *call) ([]ps.Value, error) {
	var out []ps.Value
	for _, x := range c.ip.st.Exchange.Connectors {
		out = append(out, iocObj(x))
	}
	return out, nil
}

func newIOC(c *call) ([]ps.Value, error) {
	x := IntraOrgConnector{Name: c.Str("Name"), DiscoveryEndpoint: c.Str("DiscoveryEndpoint"),
		TargetAddressDomains: ps.Strings(c.Val("TargetAddressDomains")), Enabled: !c.Has("Enabled") || ps.Truthy(c.Val("Enabled"))}
	c.ip.st.Exchange.Connectors = append(c.ip.st.Exchange.Connectors, x)
	return []ps.Value{iocObj(x)}, nil
}

func getIOConfig(c *call) ([]ps.Value, error) {
	return []ps.Value{ps.NewObject("Microsoft.Exchange.Data.IntraOrganizationConfiguration",
		"OnPremisesDiscoveryEndpoint", "https://"+host("autodiscover")+"/autodiscover/autodiscover.svc",
		"OnPremisesWebServiceEndpoint", "https://"+host("mail")+"/EWS/Exchange.asmx")}, nil
}

func setIOC(c *call) ([]ps.Value, error) {
	s := c.ip.st
	names, err := targetsByName(c, func() []string {
		var out []string
		for _, x := range s.Exchange.Connectors {
			out = append(out, x.Name)
		}
		return out
	})
	if err != nil {
		return nil, err
	}
	for i := range s.Exchange.Connectors {
		x := &s.Exchange.Connectors[i]
		for _, n := range names {
			if strings.EqualFold(n, x.Name) {
				if err := c.Bind(ps.Fields{"DiscoveryEndpoint": &x.DiscoveryEndpoint, "TargetAddressDomains": &x.TargetAddressDomains,
					"Enabled": &x.Enabled}); err != nil {
					return nil, err
				}
			}
		}
	}
	return nil, nil
}
