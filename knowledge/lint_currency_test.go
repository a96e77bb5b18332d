package knowledge

import (
	"strings"
	"testing"
)

// fxSfBOnline is a one-step Exchange Server + Teams topology; its upload
// command is replaced by each case below.
const fxSfBOnline = `id: sfbonline
title: Exchange on premises with Teams
summary: The cloud calls Exchange.
sources: [seed:002_50dd63c61fa9b9e0.txt]
steps:
  - id: sfbonline-upload
    title: Upload the auth certificate
    side: tenant
    shell: graph
    what: Upload it.
    why: The cloud needs the key.
    commands:
      - text: "UPLOAD"
        changes: true
    verify:
      text: The keys are there.
      manual: true
    sources: [seed:002_50dd63c61fa9b9e0.txt]
`

func lintFindings(t *testing.T, over map[string]string, want string) []string {
	t.Helper()
	var hits []string
	for _, e := range fixtureBase(t, over).Lint() {
		if strings.Contains(e.Error(), want) {
			hits = append(hits, e.Error())
		}
	}
	return hits
}

func TestLintSharedPrincipalKey(t *testing.T) {
	const want = "shared Exchange Online principal"
	bad := []string{
		`New-MsolServicePrincipalCredential -AppPrincipalId 00000002-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $v`,
		`foreach ($appId in @('db7de2b5-2149-435e-8043-e080dd50afae', '00000002-0000-0ff1-ce00-000000000000')) { $sp = Get-MgServicePrincipal -Filter \"appId eq '$appId'\"; Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $keys }`,
		`$sp = Get-MgServicePrincipal -Filter \"appId eq '00000002-0000-0FF1-CE00-000000000000'\"; Add-MgServicePrincipalKey -ServicePrincipalId $sp.Id -KeyCredential $k -Proof $p`,
	}
	good := []string{
		`foreach ($appId in @('db7de2b5-2149-435e-8043-e080dd50afae', '00000004-0000-0ff1-ce00-000000000000')) { Update-MgServicePrincipal -ServicePrincipalId $id -KeyCredentials $keys }`,
		`(Get-MgServicePrincipal -Filter \"appId eq '00000002-0000-0ff1-ce00-000000000000'\" -Property keyCredentials).KeyCredentials`,
	}
	for _, cmd := range bad {
		over := map[string]string{"topologies/sfbonline.yaml": strings.Replace(fxSfBOnline, "UPLOAD", cmd, 1)}
		if len(lintFindings(t, over, want)) == 0 {
			t.Errorf("no finding for %q", cmd)
		}
	}
	for _, cmd := range good {
		over := map[string]string{"topologies/sfbonline.yaml": strings.Replace(fxSfBOnline, "UPLOAD", cmd, 1)}
		if hits := lintFindings(t, over, want); len(hits) > 0 {
			t.Errorf("false finding for %q: %v", cmd, hits)
		}
	}
	// The same command in the hybrid topology (Skype for Business Server with
	// Exchange Online) is Microsoft's procedure for the pool key: no finding.
	hybrid := strings.Replace(strings.Replace(fxSfBOnline, "UPLOAD", bad[0], 1), "id: sfbonline\n", "id: hybrid\n", 1)
	hybrid = strings.ReplaceAll(hybrid, "sfbonline-upload", "hybrid-upload")
	if hits := lintFindings(t, map[string]string{"topologies/hybrid.yaml": hybrid}, want); len(hits) > 0 {
		t.Errorf("hybrid topology flagged: %v", hits)
	}
	// A pitfall that applies to every topology is checked too.
	p := fxPitfallB + "commands:\n  - text: \"" + bad[0] + "\"\n    changes: true\n    shell: msonline\n"
	if len(lintFindings(t, map[string]string{"pitfalls/iisreset-missing.yaml": p}, want)) == 0 {
		t.Errorf("pitfall command not flagged")
	}
}

func TestLintKeysReadForWriteBack(t *testing.T) {
	const want = "writes existing key credentials back"
	filter := `$sp = Get-MgServicePrincipal -Filter \"appId eq 'db7de2b5-2149-435e-8043-e080dd50afae'\" -Property 'id,keyCredentials'; $keys = @($sp.KeyCredentials | ForEach-Object { @{ Key = $_.Key } }); Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $keys`
	single := `$id = (Get-MgServicePrincipal -Filter \"appId eq 'db7de2b5-2149-435e-8043-e080dd50afae'\" -Property id).Id; $sp = Get-MgServicePrincipal -ServicePrincipalId $id -Property keyCredentials; $keys = @($sp.KeyCredentials | ForEach-Object { @{ Key = $_.Key } }); Update-MgServicePrincipal -ServicePrincipalId $id -KeyCredentials $keys`
	if len(lintFindings(t, map[string]string{"topologies/sfbonline.yaml": strings.Replace(fxSfBOnline, "UPLOAD", filter, 1)}, want)) == 0 {
		t.Error("a write-back of filter-read keys is not reported")
	}
	if hits := lintFindings(t, map[string]string{"topologies/sfbonline.yaml": strings.Replace(fxSfBOnline, "UPLOAD", single, 1)}, want); len(hits) > 0 {
		t.Errorf("a write-back of keys read by id is reported: %v", hits)
	}
}

func TestLintMSOnlineRetired(t *testing.T) {
	const graphCmd = `      - text: "Get-MgServicePrincipal -Filter \"appId eq '00000004-0000-0ff1-ce00-000000000000'\""
        changes: false
`
	msol := func(note string) string {
		s := "      - text: \"Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000\"\n        changes: false\n        shell: msonline\n"
		if note != "" {
			s += "        note: " + note + "\n"
		}
		return s
	}
	topo := func(cmds string) map[string]string {
		return map[string]string{"topologies/sfbonline.yaml": strings.Replace(fxSfBOnline, "      - text: \"UPLOAD\"\n        changes: true\n", cmds, 1)}
	}
	cases := []struct {
		name, cmds, want string
	}{
		{"msonline alone", msol("Retired, history only."), "no Microsoft Graph form before it"},
		{"msonline before graph", msol("Retired, history only.") + graphCmd, "no Microsoft Graph form before it"},
		{"not marked retired", graphCmd + msol("The older way."), "its note must say the module is retired"},
	}
	for _, c := range cases {
		if len(lintFindings(t, topo(c.cmds), c.want)) == 0 {
			t.Errorf("%s: no finding %q", c.name, c.want)
		}
	}
	if hits := lintFindings(t, topo(graphCmd+msol("Retired, history only.")), "MSOnline"); len(hits) > 0 {
		t.Errorf("Graph first and marked retired is fine, got %v", hits)
	}
	cm := strings.Replace(fxCmdlets, "  - name: Get-PartnerApplication", "  - name: Get-MsolServicePrincipal\n    shell: msonline\n    changes: false\n    does: Shows a service principal.\n    sources: [seed:000_7d07d0ef459fd3ae.txt]\n  - name: Get-PartnerApplication", 1)
	if len(lintFindings(t, map[string]string{"cmdlets.yaml": cm}, "cmdlet Get-MsolServicePrincipal is MSOnline")) == 0 {
		t.Error("an MSOnline cmdlet entry without retired / Graph replacement is not reported")
	}
}
