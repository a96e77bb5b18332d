package knowledge

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// loadCmdletParamTable reads assets/cmdlet-params.yaml strictly: an unknown
// key is an error, so a misspelt field cannot silently switch a row off.
func loadCmdletParamTable(t *testing.T) CmdletParamTable {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "assets", "cmdlet-params.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var table CmdletParamTable
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&table); err != nil {
		t.Fatalf("assets/cmdlet-params.yaml: %v", err)
	}
	return table
}

func TestCmdletCalls(t *testing.T) {
	cases := []struct {
		text string
		want []cmdletCall
	}{
		{`Get-PartnerApplication | Format-List Name,Enabled`, []cmdletCall{{"Get-PartnerApplication", nil}, {"Format-List", nil}}},
		{`Set-CsOAuthConfiguration -Identity global -ServiceName 00000004-0000-0ff1-ce00-000000000000`,
			[]cmdletCall{{"Set-CsOAuthConfiguration", []string{"Identity", "ServiceName"}}}},
		// a value that starts with a dash inside quotes is not a parameter
		{`Test-Thing -Name '-NotAParam' -Other "x -y"`, []cmdletCall{{"Test-Thing", []string{"Name", "Other"}}}},
		// an assignment, then the call; a nested call keeps its own parameters
		{`$sp = Get-MgServicePrincipal -Filter "appId eq 'x'" -Property keyCredentials; Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames (@($sp.ServicePrincipalNames) + (Get-Spn -Host 'h')) -AccountEnabled`,
			[]cmdletCall{
				{"Get-MgServicePrincipal", []string{"Filter", "Property"}},
				{"Update-MgServicePrincipal", []string{"ServicePrincipalId", "ServicePrincipalNames", "AccountEnabled"}},
				{"Get-Spn", []string{"Host"}},
			}},
		// operators inside script blocks and conditions belong to no cmdlet
		{`Get-PartnerApplication | Where-Object { $_.ApplicationIdentifier -eq 'x' -and $_.Enabled } | Remove-PartnerApplication -Confirm:$false`,
			[]cmdletCall{{"Get-PartnerApplication", nil}, {"Where-Object", nil}, {"Remove-PartnerApplication", []string{"Confirm"}}}},
		{`if ($a -notcontains $b) { Set-Thing -X 1 }`, []cmdletCall{{"Set-Thing", []string{"X"}}}},
		// scripts, called with & or by path, are named by their file name
		{`& $exscripts\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl '{{.SfBMetadataURL}}' -ApplicationType Lync`,
			[]cmdletCall{{"Configure-EnterprisePartnerApplication.ps1", []string{"AuthMetadataUrl", "ApplicationType"}}}},
		{`& "C:\Scripts\ConfigureExchangeHybridApplication.ps1" -FullyConfigureExchangeHybridApplication`,
			[]cmdletCall{{"ConfigureExchangeHybridApplication.ps1", []string{"FullyConfigureExchangeHybridApplication"}}}},
		{`.\HealthChecker.ps1 -Server EX01`, []cmdletCall{{"HealthChecker.ps1", []string{"Server"}}}},
		// templates, type literals, comments and a backtick continuation
		{"New-CsOAuthServer microsoft.sts -MetadataUrl https://x/{{.TenantID}}/metadata/json/1 # -NotThis\n" +
			"$v = [System.Convert]::ToBase64String($b); New-Thing `\n  -Value $v",
			[]cmdletCall{{"New-CsOAuthServer", []string{"MetadataUrl"}}, {"New-Thing", []string{"Value"}}}},
		// a line end ends the statement: the next line's dash word is not the previous cmdlet's
		{"Get-A -B 1\n-C", []cmdletCall{{"Get-A", []string{"B"}}}},
	}
	for _, c := range cases {
		got := cmdletCalls(c.text)
		if !slices.EqualFunc(got, c.want, func(a, b cmdletCall) bool {
			return a.Name == b.Name && slices.Equal(a.Params, b.Params)
		}) {
			t.Errorf("cmdletCalls(%q)\n got %v\nwant %v", c.text, got, c.want)
		}
	}
}

func TestCmdletParamTable(t *testing.T) {
	table := loadCmdletParamTable(t)
	if len(table.Cmdlets) < 50 {
		t.Fatalf("the table has %d rows; it should cover every cmdlet the base uses", len(table.Cmdlets))
	}
	seen := map[string]bool{}
	for _, r := range table.Cmdlets {
		key := strings.ToLower(r.Name)
		if seen[key] {
			t.Errorf("%s is listed twice", r.Name)
		}
		seen[key] = true
		if !strings.HasPrefix(r.Source, "https://") {
			t.Errorf("%s: source %q is not a reference page", r.Name, r.Source)
		}
		if len(r.Extra) > 0 && (!strings.HasPrefix(r.ExtraSource, "https://") || r.Note == "") {
			t.Errorf("%s: extra parameters %v need the procedure that uses them (extra_source) and a note", r.Name, r.Extra)
		}
		for _, p := range slices.Concat(r.Params, r.Aliases, r.Extra) {
			if !reParamToken.MatchString("-" + p) {
				t.Errorf("%s: %q is not a parameter name", r.Name, p)
			}
		}
	}
}

// TestCmdletParamsBase is the lint: every command the base shows gives the
// cmdlets of the table only parameters their reference lists.
func TestCmdletParamsBase(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cmdletParams(b, loadCmdletParamTable(t)) {
		t.Error(e)
	}
}

// TestCmdletParamsBaseCovered fails when a command uses an Exchange, Skype for
// Business, Teams, Graph or MSOnline cmdlet the table has no row for, so the
// lint cannot quietly skip a new one.
func TestCmdletParamsBaseCovered(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	table := loadCmdletParamTable(t)
	known := map[string]bool{}
	for _, r := range table.Cmdlets {
		known[strings.ToLower(r.Name)] = true
	}
	var domainNames = []string{"-Cs", "-Mg", "-Msol", "PartnerApplication", "AuthServer", "AuthConfig", "ExchangeCertificate", "VirtualDirectory", "IntraOrganization", "OrganizationRelationship", "SettingOverride", "MailUser"}
	missing := map[string]string{}
	check := func(where, text string) {
		for _, c := range cmdletCalls(text) {
			if known[strings.ToLower(c.Name)] || strings.HasSuffix(strings.ToLower(c.Name), ".ps1") {
				continue
			}
			if slices.ContainsFunc(domainNames, func(d string) bool { return strings.Contains(c.Name, d) }) {
				missing[c.Name] = where
			}
		}
	}
	l := &linter{b: b}
	l.eachCommand(func(where string, c Command) { check(where, c.Text) })
	for _, c := range b.Cmdlets {
		check("cmdlet "+c.Name+" example", c.Example)
	}
	for name, where := range missing {
		t.Errorf("%s (first seen in %s) has no row in assets/cmdlet-params.yaml", name, where)
	}
}

func TestCmdletParamsCatches(t *testing.T) {
	table := CmdletParamTable{Cmdlets: []CmdletParams{{
		Name:   "Set-CsPartnerApplication",
		Source: "https://example.org/Set-CsPartnerApplication",
		Params: []string{"Identity", "ApplicationTrustLevel", "UseOAuthServer", "MetadataUrl", "Enabled"},
	}}}
	bad := `Set-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier 00000002-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full`
	good := `Set-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full -UseOAuthServer -Verbose`
	short := `set-cspartnerapplication -identity microsoft.exchange -ApplicationTrust Full`

	run := func(cmd string) []error {
		return cmdletParams(fixtureBase(t, map[string]string{"topologies/sfbonline.yaml": strings.Replace(fxSfBOnline, "UPLOAD", cmd, 1)}), table)
	}
	if errs := run(bad); len(errs) != 1 || !strings.Contains(errs[0].Error(), "-ApplicationIdentifier") {
		t.Errorf("a parameter the reference does not list: got %v, want one finding naming -ApplicationIdentifier", errs)
	}
	if errs := run(good); len(errs) != 0 {
		t.Errorf("listed and common parameters: got %v, want none", errs)
	}
	// an abbreviation works until the module adds a parameter with the same start
	if errs := run(short); len(errs) != 1 || !strings.Contains(errs[0].Error(), "-ApplicationTrust,") {
		t.Errorf("an abbreviated parameter: got %v, want one finding", errs)
	}
}
