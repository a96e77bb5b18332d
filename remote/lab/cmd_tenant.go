package lab

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Microsoft 365 tenant cmdlets: MSOnline, Microsoft Graph, Teams.
func tenantCmdlets() []*cmdletDef {
	return []*cmdletDef{
		&cmdletDef{name: "Get-MsolServicePrincipalCredential", shells: "msonline", params: "AppPrincipalId ObjectId ReturnKeyValues", fn: getMsolCredential},
		&cmdletDef{name: "New-MsolServicePrincipalCredential", shells: "msonline", params: "AppPrincipalId ObjectId Type Usage Value StartDate EndDate", fn: newMsolCredential},
		&cmdletDef{name: "Get-MsolServicePrincipal", shells: "msonline", params: "AppPrincipalId ObjectId ServicePrincipalName", fn: getMsolSP},
		&cmdletDef{name: "Set-MsolServicePrincipal", shells: "msonline", params: "AppPrincipalId ObjectId ServicePrincipalNames AccountEnabled DisplayName", fn: setMsolSP},
		&cmdletDef{name: "Get-MgServicePrincipal", shells: "graph", params: "Filter Select Property ServicePrincipalId", pos: "ServicePrincipalId", fn: getMgSP},
		&cmdletDef{name: "Update-MgServicePrincipal", shells: "graph", params: "ServicePrincipalId AccountEnabled ServicePrincipalNames KeyCredentials", fn: updateMgSP},
		&cmdletDef{name: "Get-CsTenant", shells: "sfbonline", fn: getCsTenant},
	}
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// msolSP binds -AppPrincipalId as MSOnline does: the parameter is a Guid,
// so a mistyped id fails before anything is looked up.
func msolSP(c *call) (*ServicePrincipal, error) {
	id := c.Str("AppPrincipalId")
	if !guidRE.MatchString(id) {
		return nil, c.Fail("InvalidArgument", "ParameterArgumentTransformationError,Microsoft.Online.Administration.Automation."+strings.ReplaceAll(c.Cmdlet.Name, "-", ""),
			"Cannot bind parameter 'AppPrincipalId'. Cannot convert value \"%s\" to type \"System.Guid\". Error: \"Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).\"", id)
	}
	sp := c.ip.st.sp(id)
	if sp == nil {
		return nil, c.Fail("ObjectNotFound", "Microsoft.Online.Administration.Automation.ServicePrincipalNotFoundException",
			"Service principal was not found.")
	}
	return sp, nil
}

func keyType(k KeyCredential) string { return "Asymmetric" }

func getMsolCredential(c *call) ([]ps.Value, error) {
	sp, err := msolSP(c)
	if err != nil {
		return nil, err
	}
	var out []ps.Value
	for _, k := range sp.KeyCredentials {
		value := "" // shown only with -ReturnKeyValues $true
		if ps.Truthy(c.Val("ReturnKeyValues")) {
			value = k.Value
		}
		out = append(out, ps.NewObject("Microsoft.Online.Administration.ServicePrincipalCredential",
			"Type", keyType(k), "Value", value, "KeyId", k.KeyID, "StartDate", k.Start, "EndDate", k.End, "Usage", "Verify"))
	}
	return out, nil
}

func newKeyID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// keyFromValue turns an uploaded Base64 value into a key credential. Like
// the real service, it accepts Base64 that is no certificate (a DER file
// read as text) and stores a key nothing can be verified with.
func keyFromValue(c *call, value string) (KeyCredential, error) {
	if strings.TrimSpace(value) == "" {
		return KeyCredential{}, c.Fail("InvalidData", "ParameterArgumentValidationError",
			"Cannot validate argument on parameter 'Value'. The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(value), ""))
	if err != nil {
		return KeyCredential{}, c.Fail("InvalidArgument", "Microsoft.Online.Administration.Automation.InvalidParameterException",
			"Invalid value for parameter. Parameter Name: Value.")
	}
	now := c.ip.st.Now().UTC().Truncate(time.Second)
	k := KeyCredential{KeyID: newKeyID(), Start: now, End: now.AddDate(1, 0, 0), Value: strings.Join(strings.Fields(value), "")}
	if cert, err := x509.ParseCertificate(raw); err == nil {
		k.Thumbprint, k.Start, k.End = thumbprint(raw), cert.NotBefore, cert.NotAfter
	} else {
		k.Broken = true
	}
	return k, nil
}

func newMsolCredential(c *call) ([]ps.Value, error) {
	sp, err := msolSP(c)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(c.Str("Type"), "Asymmetric") || !strings.EqualFold(c.Str("Usage"), "Verify") {
		return nil, ps.NotSimulated("New-MsolServicePrincipalCredential other than -Type Asymmetric -Usage Verify")
	}
	k, err := keyFromValue(c, c.Str("Value"))
	if err != nil {
		return nil, err
	}
	sp.KeyCredentials = append(sp.KeyCredentials, k)
	return nil, nil
}

func getMsolSP(c *call) ([]ps.Value, error) {
	if c.Has("ServicePrincipalName") { // by name: the appId, or appId/host
		want := c.Str("ServicePrincipalName")
		for _, sp := range c.ip.st.Tenant.ServicePrincipals {
			for _, n := range sp.ServicePrincipalNames {
				if strings.EqualFold(n, want) {
					c.SetParam("AppPrincipalId", sp.AppID)
				}
			}
		}
		if !c.Has("AppPrincipalId") {
			return nil, c.Fail("ObjectNotFound", "Microsoft.Online.Administration.Automation.ServicePrincipalNotFoundException", "Service principal was not found.")
		}
	}
	sp, err := msolSP(c)
	if err != nil {
		return nil, err
	}
	return []ps.Value{ps.NewObject("Microsoft.Online.Administration.ServicePrincipal", "ExtensionData", "System.Runtime.Serialization.ExtensionDataObject",
		"AccountEnabled", sp.AccountEnabled, "Addresses", []ps.Value{}, "AppPrincipalId", sp.AppID, "DisplayName", sp.DisplayName,
		"ObjectId", sp.ObjectID, "ServicePrincipalNames", ps.StrList(sp.ServicePrincipalNames), "TrustedForDelegation", false)}, nil
}

// setMsolSP: -ServicePrincipalNames replaces the whole list (KB3090197).
func setMsolSP(c *call) ([]ps.Value, error) {
	sp, err := msolSP(c)
	if err != nil {
		return nil, err
	}
	if err := c.Bind(ps.Fields{"ServicePrincipalNames": &sp.ServicePrincipalNames, "AccountEnabled": &sp.AccountEnabled}); err != nil {
		return nil, err
	}
	return nil, nil
}

var filterRE = regexp.MustCompile(`(?i)^\s*appid\s+eq\s+'([^']*)'\s*$`)

// mgObj renders a service principal as Graph returns it. withKeys says
// whether each key credential carries its key: Graph returns the key only
// when one object is read by id with keyCredentials selected; on list and
// filter queries it is always null (Microsoft Graph keyCredential resource).
func mgObj(sp ServicePrincipal, withKeys bool) *ps.Object {
	var keys []ps.Value
	for _, k := range sp.KeyCredentials {
		var custom, key ps.Value
		if !k.Broken {
			custom = k.Thumbprint
		}
		if withKeys {
			key = k.Value
		}
		keys = append(keys, ps.NewObject("Microsoft.Graph.PowerShell.Models.MicrosoftGraphKeyCredential",
			"CustomKeyIdentifier", custom, "DisplayName", "", "EndDateTime", k.End, "Key", key, "KeyId", k.KeyID,
			"StartDateTime", k.Start, "Type", "AsymmetricX509Cert", "Usage", "Verify"))
	}
	if keys == nil {
		keys = []ps.Value{}
	}
	return ps.NewObject("Microsoft.Graph.PowerShell.Models.MicrosoftGraphServicePrincipal",
		"Id", sp.ObjectID, "AppId", sp.AppID, "DisplayName", sp.DisplayName, "AccountEnabled", sp.AccountEnabled,
		"ServicePrincipalNames", ps.StrList(sp.ServicePrincipalNames), "KeyCredentials", keys)
}

func getMgSP(c *call) ([]ps.Value, error) {
	s := c.ip.st
	if c.Has("ServicePrincipalId") {
		for _, sp := range s.Tenant.ServicePrincipals {
			if strings.EqualFold(sp.ObjectID, c.Str("ServicePrincipalId")) {
				return []ps.Value{mgObj(sp, selectsKeys(c))}, nil
			}
		}
		return nil, c.Fail("ObjectNotFound", "Request_ResourceNotFound,Microsoft.Graph.PowerShell.Cmdlets.GetMgServicePrincipal_Get",
			"Resource '%s' does not exist or one of its queried reference-property objects are not present.", c.Str("ServicePrincipalId"))
	}
	m := filterRE.FindStringSubmatch(c.Str("Filter"))
	if m == nil {
		return nil, ps.NotSimulated("Get-MgServicePrincipal -Filter " + c.Str("Filter") + " (the lab knows only \"appId eq '<id>'\")")
	}
	var out []ps.Value
	for _, sp := range s.Tenant.ServicePrincipals {
		if strings.EqualFold(sp.AppID, m[1]) {
			out = append(out, mgObj(sp, false)) // a filter query: keys are null
		}
	}
	return out, nil // an unknown or mistyped appId simply matches nothing, as in Graph
}

func updateMgSP(c *call) ([]ps.Value, error) {
	s := c.ip.st
	var sp *ServicePrincipal
	for i := range s.Tenant.ServicePrincipals {
		if strings.EqualFold(s.Tenant.ServicePrincipals[i].ObjectID, c.Str("ServicePrincipalId")) {
			sp = &s.Tenant.ServicePrincipals[i]
		}
	}
	if sp == nil {
		return nil, c.Fail("ObjectNotFound", "Request_ResourceNotFound,Microsoft.Graph.PowerShell.Cmdlets.UpdateMgServicePrincipal_UpdateExpanded",
			"Resource '%s' does not exist or one of its queried reference-property objects are not present.", c.Str("ServicePrincipalId"))
	}
	if c.Has("KeyCredentials") {
		keys, err := keysToWrite(c, sp)
		if err != nil {
			return nil, err
		}
		sp.KeyCredentials = keys
	}
	if err := c.Bind(ps.Fields{"ServicePrincipalNames": &sp.ServicePrincipalNames, "AccountEnabled": &sp.AccountEnabled}); err != nil {
		return nil, err
	}
	return nil, nil
}

func getCsTenant(c *call) ([]ps.Value, error) {
	s := c.ip.st
	return []ps.Value{ps.NewObject("Microsoft.Teams.ConfigAPI.Cmdlets.Generated.Models.Tenant", "TenantId", s.TenantID,
		"DisplayName", "Contoso Lab", "VerifiedDomains", []ps.Value{s.TenantDomain, s.Domain})}, nil
}

// selectsKeys reports whether -Property / -Select names keyCredentials.
func selectsKeys(c *call) bool {
	for _, p := range []string{"Property", "Select"} {
		for _, f := range ps.Strings(c.Val(p)) {
			for _, part := range strings.Split(f, ",") {
				if strings.EqualFold(strings.TrimSpace(part), "keyCredentials") {
					return true
				}
			}
		}
	}
	return false
}

// keysToWrite turns -KeyCredentials (key credential objects as Get-MgServicePrincipal
// returns them) into the complete new key list, as a PATCH of keyCredentials
// replaces the whole list. A key credential without its key (what a list or
// filter query returns) is refused, and nothing changes: the lab will not let a
// write-back silently drop a valid key.
func keysToWrite(c *call, sp *ServicePrincipal) ([]KeyCredential, error) {
	var out []KeyCredential
	for _, v := range ps.Flatten(c.Val("KeyCredentials")) {
		o, ok := v.(*ps.Object)
		if !ok {
			return nil, ps.NotSimulated("Update-MgServicePrincipal -KeyCredentials with values other than key credential objects")
		}
		kv, _ := o.Get("Key")
		key := ps.ToString(kv)
		if b, ok := kv.([]byte); ok { // ASCII bytes of the Base64 text, as the procedures build them
			key = string(b)
		}
		if kv == nil || key == "" {
			id, _ := o.Get("KeyId")
			return nil, c.Fail("InvalidArgument", "Request_BadRequest,Microsoft.Graph.PowerShell.Cmdlets.UpdateMgServicePrincipal_UpdateExpanded",
				"The key credential %s has no key value, so writing the list back would drop it. Graph returns keyCredentials.key as null on list and filter queries; read each key with Get-MgServicePrincipal -ServicePrincipalId <id> -Property keyCredentials. Nothing was changed.", ps.ToString(id))
		}
		kept := false
		for _, old := range sp.KeyCredentials {
			if old.Value == key {
				out, kept = append(out, old), true
				break
			}
		}
		if !kept {
			k, err := keyFromValue(c, key)
			if err != nil {
				return nil, err
			}
			out = append(out, k)
		}
	}
	return out, nil
}
