package knowledge

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestLintShipped guards the embedded knowledge base: any finding fails.
func TestLintShipped(t *testing.T) {
	b := loadBase(t)
	for _, err := range b.Lint() {
		t.Error(err)
	}
}

// The clean fixture: every rule passes on it, so each mutation below proves
// its own rule fires.
const (
	fxPitfallA = `id: metadata-url-jason
title: Metadata URL typed as jason
symptoms:
  - "Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl https://pool01.contoso.com/metadata/jason/1"
cause: An article printed jason for json.
fix: Use /metadata/json/1.
commands:
  - text: "& $exscripts\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl '{{.SfBMetadataURL}}' -ApplicationType Lync"
    changes: true
    shell: ems
related: [iisreset-missing]
sources: [seed:000_7d07d0ef459fd3ae.txt]
`
	fxPitfallB = `id: iisreset-missing
title: IIS not reset after the partner application script
symptoms: ["Storage test fails right after the script ran"]
cause: IIS still holds the old configuration.
fix: Run iisreset /noforce.
sources: [https://learn.microsoft.com/en-us/exchange/]
`
	fxTopology = `id: onprem
title: Both on premises
summary: Each side trusts the other.
sources: [seed:001_b0c6884bb744772e.txt]
steps:
  - id: onprem-exchange-partnerapp
    title: Make Skype for Business a partner application of Exchange
    side: exchange
    shell: ems
    what: Run the script.
    why: Exchange trusts only partner applications.
    commands:
      - text: "& $exscripts\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl '{{.SfBMetadataURL}}' -ApplicationType Lync"
        changes: true
    verify:
      text: Get-PartnerApplication lists it.
      checks: [metadata.sfb]
    pitfalls: [metadata-url-jason]
    sources: [seed:001_b0c6884bb744772e.txt]
`
	fxIdentifiers = `identifiers:
  - id: appid-lync
    kind: appid
    name: Lync / Skype for Business Server
    value: 00000004-0000-0ff1-ce00-000000000000
    product: Lync and Skype for Business Server
    where: Set-CsOAuthConfiguration -ServiceName
    typos:
      - value: 00000004-0000-0ff1-ce00-00000000000
        note: last group one zero short
        source: seed:004_464766249911c0b9.txt
    sources: [seed:004_464766249911c0b9.txt]
`
	fxCmdlets = `cmdlets:
  - name: Get-PartnerApplication
    shell: ems
    changes: false
    does: Lists partner applications.
    example: Get-PartnerApplication Lync*
    sources: [seed:000_7d07d0ef459fd3ae.txt]
`
	fxChecks = `checks:
  - id: dns.pool
    group: dns
    title: Pool resolves
    what: The pool name resolves.
    sources: [seed:001_b0c6884bb744772e.txt]
  - id: metadata.sfb
    group: metadata
    title: Pool metadata
    what: The pool metadata document is valid.
    depends_on: [dns.pool]
    pitfalls: [metadata-url-jason]
    sources: [seed:001_b0c6884bb744772e.txt]
`
)

// fxSources lists every source the fixture cites.
const fxSources = `- ref: seed:000_7d07d0ef459fd3ae.txt
  title: Integrating Exchange Server 2013 and Skype for Business Server 2015 (Part 2)
  url: https://techgenix.com/integrating-exchange-server-2013-and-skype-business-server-2015-part2/
- ref: seed:001_b0c6884bb744772e.txt
  title: Configure partner applications in Skype for Business Server and Exchange Server
  url: https://learn.microsoft.com/skypeforbusiness/deploy/integrate-with-exchange-server/configure-partner-applications
- ref: seed:002_50dd63c61fa9b9e0.txt
  title: Configure integration between Exchange Server and Skype for Business Online
  url: https://learn.microsoft.com/skypeforbusiness/deploy/integrate-with-exchange-server/oauth-with-online-and-on-premises
- ref: seed:004_464766249911c0b9.txt
  title: Provisioning Exchange Online for Lync Hybrid Part II
  url: http://www.ucprimer.com
- ref: https://learn.microsoft.com/en-us/exchange/
  title: Exchange Server documentation
  url: https://learn.microsoft.com/en-us/exchange/
`

// fixtureFS returns the clean fixture with some files replaced (an empty
// string removes the file).
func fixtureFS(over map[string]string) fstest.MapFS {
	files := map[string]string{
		"pitfalls/metadata-url-jason.yaml": fxPitfallA,
		"pitfalls/iisreset-missing.yaml":   fxPitfallB,
		"topologies/onprem.yaml":           fxTopology,
		"identifiers.yaml":                 fxIdentifiers,
		"cmdlets.yaml":                     fxCmdlets,
		"checks.yaml":                      fxChecks,
		"sources/seeds.yaml":               fxSources,
	}
	for k, v := range over {
		files[k] = v
	}
	fsys := fstest.MapFS{}
	for k, v := range files {
		if v != "" {
			fsys[k] = &fstest.MapFile{Data: []byte(v)}
		}
	}
	return fsys
}

func fixtureBase(t *testing.T, over map[string]string) *Base {
	t.Helper()
	b, err := LoadFS(fixtureFS(over))
	if err != nil {
		t.Fatalf("LoadFS fixture: %v", err)
	}
	return b
}

func TestLintCleanFixture(t *testing.T) {
	if errs := fixtureBase(t, nil).Lint(); len(errs) > 0 {
		t.Fatalf("the clean fixture has findings: %v", errs)
	}
}

func TestLintRules(t *testing.T) {
	const (
		pa = "pitfalls/metadata-url-jason.yaml"
		pb = "pitfalls/iisreset-missing.yaml"
		tp = "topologies/onprem.yaml"
	)
	rep := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("fixture has no %q to replace", old)
		}
		return strings.Replace(s, old, new, 1)
	}
	cases := []struct {
		name string
		over map[string]string
		want string
	}{
		{"step names missing pitfall", map[string]string{tp: rep(fxTopology, "pitfalls: [metadata-url-jason]", "pitfalls: [no-such-pitfall]")}, `names pitfall "no-such-pitfall"`},
		{"related names missing pitfall", map[string]string{pa: rep(fxPitfallA, "related: [iisreset-missing]", "related: [gone]")}, `related names pitfall "gone"`},
		{"check names missing pitfall", map[string]string{"checks.yaml": rep(fxChecks, "pitfalls: [metadata-url-jason]", "pitfalls: [nope]")}, `check metadata.sfb names pitfall "nope"`},
		{"depends_on missing check", map[string]string{"checks.yaml": rep(fxChecks, "depends_on: [dns.pool]", "depends_on: [dns.nothing]")}, `depends_on names check "dns.nothing"`},
		{"verify names missing check", map[string]string{tp: rep(fxTopology, "checks: [metadata.sfb]", "checks: [metadata.nothing]")}, `verify.checks names check "metadata.nothing"`},
		{"duplicate step id", map[string]string{"topologies/hybrid.yaml": rep(fxTopology, "id: onprem\n", "id: hybrid\n")}, `step id "onprem-exchange-partnerapp" is used twice`},
		{"duplicate identifier id", map[string]string{"identifiers.yaml": fxIdentifiers + strings.TrimPrefix(fxIdentifiers, "identifiers:\n")}, `identifier id "appid-lync" is used twice`},
		{"duplicate check id", map[string]string{"checks.yaml": fxChecks + "  - id: dns.pool\n    group: dns\n    title: again\n    what: again\n    sources: [seed:001_b0c6884bb744772e.txt]\n"}, `check id "dns.pool" is used twice`},
		{"duplicate cmdlet", map[string]string{"cmdlets.yaml": fxCmdlets + strings.TrimPrefix(fxCmdlets, "cmdlets:\n")}, `cmdlet id "Get-PartnerApplication" is used twice`},
		{"malformed guid in fix", map[string]string{pb: rep(fxPitfallB, "fix: Run iisreset /noforce.", "fix: Set 00000004-0000-0ff1-ce00-0000000000 then run iisreset.")}, `malformed GUID "00000004-0000-0ff1-ce00-0000000000"`},
		{"malformed guid in command", map[string]string{tp: rep(fxTopology, "-ApplicationType Lync\"\n        changes: true", "-ApplicationType Lync 00000004-000-0ff1-ce00-000000000001\"\n        changes: true")}, `malformed GUID "00000004-000-0ff1-ce00-000000000001"`},
		{"letter-for-digit guid in identifier where", map[string]string{"identifiers.yaml": rep(fxIdentifiers, "where: Set-CsOAuthConfiguration -ServiceName", "where: Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ffl-ce00-000000000000")}, `malformed GUID "00000004-0000-0ffl-ce00-000000000000"`},
		{"unknown template variable", map[string]string{tp: rep(fxTopology, "{{.SfBMetadataURL}}", "{{.PoolName}}")}, "{{.PoolName}}, which knowledge.Vars does not define"},
		{"template does not parse", map[string]string{pa: rep(fxPitfallA, "{{.SfBMetadataURL}}", "{{.SfBMetadataURL")}, "the template does not parse"},
		{"step without command", map[string]string{tp: rep(fxTopology, "    commands:\n      - text: \"& $exscripts\\\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl '{{.SfBMetadataURL}}' -ApplicationType Lync\"\n        changes: true\n", "")}, "has no command"},
		{"step without verify text", map[string]string{tp: rep(fxTopology, "text: Get-PartnerApplication lists it.", "text: \"\"")}, "has no verify text"},
		{"verify without checks or manual", map[string]string{tp: rep(fxTopology, "      checks: [metadata.sfb]\n", "")}, "neither checks nor manual"},
		{"pitfall without symptom", map[string]string{pb: rep(fxPitfallB, `symptoms: ["Storage test fails right after the script ran"]`, "symptoms: []")}, "has no symptoms"},
		{"pitfall without cause", map[string]string{pb: rep(fxPitfallB, "cause: IIS still holds the old configuration.", "cause: \"\"")}, "has no cause"},
		{"pitfall without fix", map[string]string{pb: rep(fxPitfallB, "fix: Run iisreset /noforce.", "fix: \"\"")}, "has no fix"},
		{"pitfall without source", map[string]string{pb: rep(fxPitfallB, "sources: [https://learn.microsoft.com/en-us/exchange/]", "sources: []")}, "pitfall iisreset-missing has no sources"},
		{"unknown seed", map[string]string{pb: rep(fxPitfallB, "https://learn.microsoft.com/en-us/exchange/", "seed:005_0123456789abcdef.txt")}, "which no sources table lists"},
		{"url missing from the table", map[string]string{pb: rep(fxPitfallB, "https://learn.microsoft.com/en-us/exchange/", "https://example.com/other")}, `cites "https://example.com/other", which no sources table lists`},
		{"source row without title", map[string]string{"sources/seeds.yaml": rep(fxSources, "title: Exchange Server documentation", "title: \"\"")}, "has no title"},
		{"source title shows a file name", map[string]string{"sources/seeds.yaml": rep(fxSources, "title: Exchange Server documentation", "title: seed:001_b0c6884bb744772e.txt")}, "shows an internal file name"},
		{"source row without url", map[string]string{"sources/seeds.yaml": rep(fxSources, "  url: https://learn.microsoft.com/en-us/exchange/\n", "  url: \"\"\n")}, "has no url"},
		{"malformed seed", map[string]string{pb: rep(fxPitfallB, "https://learn.microsoft.com/en-us/exchange/", "seed:one.txt")}, "is not seed:NNN_"},
		{"http source", map[string]string{pb: rep(fxPitfallB, "https://learn.microsoft.com/en-us/exchange/", "http://example.com/page")}, "neither seed:<file> nor an https:// URL"},
		{"invalid step shell", map[string]string{tp: rep(fxTopology, "shell: ems", "shell: bash")}, `has shell "bash"`},
		{"invalid command shell", map[string]string{pa: rep(fxPitfallA, "shell: ems", "shell: zsh")}, `has shell "zsh"`},
		{"invalid cmdlet shell", map[string]string{"cmdlets.yaml": rep(fxCmdlets, "shell: ems", "shell: posh")}, `has shell "posh"`},
		{"topology id", map[string]string{tp: rep(fxTopology, "id: onprem\n", "id: cloud\n")}, `topology id "cloud"`},
		{"pitfall topology", map[string]string{pb: fxPitfallB + "topologies: [onprem, azure]\n"}, `lists topology "azure"`},
		{"unreachable pitfall", map[string]string{pb: rep(fxPitfallB, "title: IIS not reset after the partner application script", "title: It is not what it was")}, "pitfall iisreset-missing is not reachable"},
		{"en dash in command", map[string]string{tp: rep(fxTopology, "-ApplicationType Lync\"\n        changes: true", "–ApplicationType Lync\"\n        changes: true")}, "contains a en dash"},
		{"curly quote in command", map[string]string{pa: rep(fxPitfallA, "-ApplicationType Lync\"\n    changes: true", "-ApplicationType “Lync”\"\n    changes: true")}, "curly double quote"},
		{"curly quote in cmdlet example", map[string]string{"cmdlets.yaml": rep(fxCmdlets, "example: Get-PartnerApplication Lync*", "example: Get-PartnerApplication ‘Lync*’")}, "curly single quote"},
		{"step side", map[string]string{tp: rep(fxTopology, "side: exchange", "side: teams")}, `has side "teams"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := fixtureBase(t, c.over).Lint()
			for _, e := range errs {
				if strings.Contains(e.Error(), c.want) {
					return
				}
			}
			t.Errorf("want a finding containing %q, got %v", c.want, errs)
		})
	}
}

// Two pitfall files cannot share an id through LoadFS (the file name is the
// id), so the duplicate rule is exercised on a Base built by hand.
func TestLintDuplicatePitfall(t *testing.T) {
	b := fixtureBase(t, nil)
	b.Pitfalls = append(b.Pitfalls, b.Pitfalls[0])
	b.Reindex()
	want := `pitfall id "` + b.Pitfalls[0].ID + `" is used twice`
	for _, e := range b.Lint() {
		if strings.Contains(e.Error(), want) {
			return
		}
	}
	t.Errorf("duplicate pitfall id not reported: %v", b.Lint())
}

// Symptoms and documented typos may quote a broken GUID; the same value
// elsewhere is fine too once it is a documented typo.
func TestLintGUIDAllowances(t *testing.T) {
	b := fixtureBase(t, map[string]string{
		"pitfalls/iisreset-missing.yaml": strings.Replace(fxPitfallB, "symptoms: [", "symptoms: [\"ServiceName 00000004-0000-0ff1-ce00-0000000000001\", ", 1) +
			"keywords: [00000004-0000-0ff1-ce00-00000000000]\n",
	})
	if errs := b.Lint(); len(errs) > 0 {
		t.Errorf("allowed malformed GUIDs reported: %v", errs)
	}
}

func TestGUIDAttempt(t *testing.T) {
	yes := []string{"00000004-0000-0ff1-ce00-00000000000", "00000002-000-0ff1-ce00-000000000000", "00000004-0000-0ffl-ce00-000000000000", "00000004-0000-0ff1-ce0O-000000000000", "00000004-0000-0ff1-ce000-00000000000"}
	no := []string{"00000004-0000-0ff1-ce00-000000000000", "7557eb47-c689-4224-abcf-aef9bd7573df", "Test-CsExStorageConnectivity", "a-b-c-d-e", "2025-11-03", "LyncEnterprise-ApplicationAccount"}
	for _, s := range yes {
		if !GUIDAttempt(s) {
			t.Errorf("GUIDAttempt(%q) = false, want true", s)
		}
	}
	for _, s := range no {
		if GUIDAttempt(s) {
			t.Errorf("GUIDAttempt(%q) = true, want false", s)
		}
	}
}
