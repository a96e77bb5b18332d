package lab

import (
	"strings"
)

// Exchange directory objects the SfB Online / Teams procedure creates:
// mail users, management roles and assignments, auth servers and the
// IntraOrganizationConnector.
func init() {
	register(
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
		&cmdletDef{name: "Get-IntraOrganizationConfiguration", shells: "ems", fn: getIOConfig},
	)
}

func notFound(c *call, what string) error {
	return c.fail("ObjectNotFound", "ManagementObjectNotFoundException",
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

func mailUserObj(u MailUser) *psObj {
	return newObj("Microsoft.Exchange.Data.Directory.Management.MailUser", "Name", u.Name, "Alias", u.Name,
		"ExternalEmailAddress", "SMTP:"+u.ExternalEmailAddress, "HiddenFromAddressListsEnabled", u.Hidden,
		"Identity", labDomain+"/Users/"+u.Name)
}

func newMailUser(c *call) ([]Value, error) {
	s := c.ip.st
	if s.mailUser(c.str("Name")) != nil {
		return nil, c.fail("ResourceExists", "ADObjectAlreadyExistsException", "The name \"%s\" is already being used. Please try another name.", c.str("Name"))
	}
	u := MailUser{Name: c.str("Name"), ExternalEmailAddress: c.str("ExternalEmailAddress")}
	s.Exchange.MailUsers = append(s.Exchange.MailUsers, u)
	return []Value{mailUserObj(u)}, nil
}

// identityName reduces "contoso.lab/Users/X" (or a piped object) to X.
func identityName(v Value) string {
	if o, ok := v.(*psObj); ok {
		if n, ok := o.get("Name"); ok {
			return toString(n)
		}
	}
	id := toString(v)
	if i := strings.LastIndexAny(id, `/\`); i >= 0 {
		id = id[i+1:]
	}
	return id
}

func setMailUser(c *call) ([]Value, error) {
	u := c.ip.st.mailUser(identityName(c.val("Identity")))
	if u == nil {
		return nil, notFound(c, c.str("Identity"))
	}
	if c.has("HiddenFromAddressListsEnabled") {
		u.Hidden = truthy(c.val("HiddenFromAddressListsEnabled"))
	}
	return nil, nil
}

func getMailUser(c *call) ([]Value, error) {
	s := c.ip.st
	if !c.has("Identity") {
		var out []Value
		for _, u := range s.Exchange.MailUsers {
			out = append(out, mailUserObj(u))
		}
		return out, nil
	}
	u := s.mailUser(identityName(c.val("Identity")))
	if u == nil {
		return nil, notFound(c, c.str("Identity"))
	}
	return []Value{mailUserObj(*u)}, nil
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

func newRole(c *call) ([]Value, error) {
	s := c.ip.st
	if !strings.EqualFold(c.str("Parent"), "UserApplication") {
		return nil, notSimulated("New-ManagementRole -Parent " + c.str("Parent"))
	}
	if s.role(c.str("Name")) != nil {
		return nil, c.fail("ResourceExists", "ADObjectAlreadyExistsException", "The management role \"%s\" already exists.", c.str("Name"))
	}
	r := Role{Name: c.str("Name"), Parent: "UserApplication", Entries: append([]string(nil), userApplicationEntries...)}
	s.Exchange.Roles = append(s.Exchange.Roles, r)
	return []Value{newObj("Microsoft.Exchange.Data.Directory.SystemConfiguration.ExchangeRole", "Name", r.Name, "RoleType", "UserApplication")}, nil
}

func getRoleEntry(c *call) ([]Value, error) {
	roleName, pattern, _ := strings.Cut(c.str("Identity"), `\`)
	r := c.ip.st.role(roleName)
	if r == nil {
		return nil, notFound(c, c.str("Identity"))
	}
	var out []Value
	for _, e := range r.Entries {
		if pattern == "" || matchWild(pattern, e) {
			out = append(out, newObj("Microsoft.Exchange.Management.RbacTasks.RoleEntryInfo", "Name", e, "Role", r.Name,
				"Parameters", []Value{}, "Identity", r.Name+`\`+e))
		}
	}
	return out, nil
}

func removeRoleEntry(c *call) ([]Value, error) {
	targets := stringsOf(c.val("Identity"))
	for _, v := range c.input {
		if o, ok := v.(*psObj); ok {
			if id, ok := o.get("Identity"); ok {
				targets = append(targets, toString(id))
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

func newRoleAssignment(c *call) ([]Value, error) {
	r := c.ip.st.role(c.str("Role"))
	user := identityName(c.val("User"))
	if r == nil || c.ip.st.mailUser(user) == nil {
		return nil, notFound(c, c.str("Role")+" / "+user)
	}
	r.Assignees = append(r.Assignees, user)
	return []Value{newObj("Microsoft.Exchange.Data.Directory.SystemConfiguration.ExchangeRoleAssignment",
		"Name", r.Name+"-"+user, "Role", r.Name, "RoleAssigneeName", user, "RoleAssigneeType", "User")}, nil
}

func getRoleAssignment(c *call) ([]Value, error) {
	var out []Value
	for _, r := range c.ip.st.Exchange.Roles {
		if c.has("Role") && !strings.EqualFold(r.Name, c.str("Role")) {
			continue
		}
		for _, u := range r.Assignees {
			out = append(out, newObj("Microsoft.Exchange.Data.Directory.SystemConfiguration.ExchangeRoleAssignment",
				"Name", r.Name+"-"+u, "Role", r.Name, "RoleAssigneeName", u, "RoleAssigneeType", "User"))
		}
	}
	return out, nil
}

func newAuthServer(c *call) ([]Value, error) {
	s := c.ip.st
	for _, a := range s.Exchange.AuthServers {
		if strings.EqualFold(a.Name, c.str("Name")) {
			return nil, c.fail("ResourceExists", "ADObjectAlreadyExistsException", "An auth server named \"%s\" already exists.", a.Name)
		}
	}
	a := AuthServer{Name: c.str("Name"), Type: "MicrosoftACS", IssuerIdentifier: AppACS, AuthMetadataURL: c.str("AuthMetadataUrl"), Enabled: true}
	s.Exchange.AuthServers = append(s.Exchange.AuthServers, a)
	return nil, nil
}

func iocObj(x IntraOrgConnector) *psObj {
	return newObj("Microsoft.Exchange.Data.Directory.SystemConfiguration.IntraOrganizationConnector", "Name", x.Name,
		"TargetAddressDomains", strList(x.TargetAddressDomains), "DiscoveryEndpoint", x.DiscoveryEndpoint, "Enabled", x.Enabled)
}

func getIOC(c *call) ([]Value, error) {
	var out []Value
	for _, x := range c.ip.st.Exchange.Connectors {
		out = append(out, iocObj(x))
	}
	return out, nil
}

func newIOC(c *call) ([]Value, error) {
	x := IntraOrgConnector{Name: c.str("Name"), DiscoveryEndpoint: c.str("DiscoveryEndpoint"),
		TargetAddressDomains: stringsOf(c.val("TargetAddressDomains")), Enabled: !c.has("Enabled") || truthy(c.val("Enabled"))}
	c.ip.st.Exchange.Connectors = append(c.ip.st.Exchange.Connectors, x)
	return []Value{iocObj(x)}, nil
}

func getIOConfig(c *call) ([]Value, error) {
	return []Value{newObj("Microsoft.Exchange.Data.IntraOrganizationConfiguration",
		"OnPremisesDiscoveryEndpoint", "https://"+host("autodiscover")+"/autodiscover/autodiscover.svc",
		"OnPremisesWebServiceEndpoint", "https://"+host("mail")+"/EWS/Exchange.asmx")}, nil
}
