package lab_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/lab"
	"github.com/ucpilot/ucpilot/remote/psout"
	"github.com/ucpilot/ucpilot/remote/shell"
)

var _ shell.Shell = (*lab.Shell)(nil)

func run(t *testing.T, sh shell.Shell, script string) shell.Result {
	t.Helper()
	r, err := sh.Run(context.Background(), script)
	if err != nil {
		t.Fatalf("Run(%q): %v", script, err)
	}
	return r
}

func TestShellTable(t *testing.T) {
	l := startLab(t, "healthy")
	tests := []struct {
		kind, script string
		exit         int
		out, errOut  string // substrings expected in stdout / stderr
	}{
		{"ems", "Get-PartnerApplication Lync* | Format-List Name,Enabled,AuthMetadataUrl", 0, "Enabled         : True", ""},
		{"ems", "Get-PartnerApplication -Identity:'Lync*' | fl Name", 0, "Name : LyncEnterprise-", ""},
		{"ems", "# a comment\nGet-AuthConfig | Select-Object ServiceName ; Get-AuthConfig | ft Realm,ServiceName", 0, "00000002-0000-0ff1-ce00-000000000000", ""},
		{"ems", "$a = Get-AuthConfig\n$a.ServiceName", 0, "00000002-0000-0ff1-ce00-000000000000\n", ""},
		{"ems", "Get-PartnerApplication | Where-Object { $_.ApplicationIdentifier -eq '00000004-0000-0ff1-ce00-000000000000' -and $_.Enabled } | Select-Object -ExpandProperty Realm", 0, "contoso.lab", ""},
		{"ems", "Write-Host 'it''s \"quoted\"'", 0, "it's \"quoted\"", ""},
		{"ems", "$x = 'pool'; Write-Host \"name: $x`tend\"", 0, "name: pool\tend", ""},
		{"ems", "Get-Nothing-Here", 1, "", "Get-Nothing-Here is not simulated in the lab"},
		{"ems", "Get-CsOAuthConfiguration", 1, "", "not recognized"},
		{"ems", "Get-PartnerApplication -Bogus 1", 1, "", "A parameter cannot be found that matches parameter name 'Bogus'"},
		{"ems", "Write-Host 'unbalanced", 1, "", "missing the terminator"},
		{"ems", "Get-PartnerApplication {{.Domain}}", 1, "", "template placeholder"},
		{"ems", "Set-AuthConfig -NewCertificateThumbprint <new thumbprint>", 1, "", "placeholder"},
		{"ems", "foreach ($a in 1) { $a }", 1, "", "'foreach' statements are not simulated"},
		{"ems", "& $exscripts\\Configure-EnterpriseApplication.ps1 -AuthMetadataUrl x", 1, "", "is not recognized as the name of a cmdlet"},
		{"ems", "Get-PartnerApplication | Format-List Name |", 1, "", "empty pipe element"},
		{"ems", "(Get-PartnerApplication", 1, "", "Missing closing ')'"},
		{"sfbms", "Get-CsOAuthConfiguration | Format-List ServiceName,Realm,ExchangeAutodiscoverUrl", 0, "Realm                   : contoso.lab", ""},
		{"sfbms", "New-CsPartnerApplication -Identity other -ApplicationTrustLevel Full -MetadataUrl 'https://pool01.contoso.lab:1/metadata/jason/1'", 1, "",
			"The metadata document could not be downloaded from the URL in the MetadataUrl parameter or downloaded data is not a valid metadata document."},
		{"msonline", "Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000", 1, "", "does not apply to this lab scenario"},
		{"nope", "Get-Date", 1, "", "the lab has no \"nope\" shell"},
		{"dns", "Resolve-DnsName nothere.contoso.lab", 1, "", "DNS name does not exist"},
		{"dns", "nslookup pool01.contoso.lab", 0, "Address:  127.0.0.1", ""},
		{"ems", "Get-PartnerApplication -Identity nothere -ErrorAction SilentlyContinue; Write-Host after", 0, "after", ""},
		{"ems", "Get-PartnerApplication -Identity nothere; Write-Host after", 1, "", "couldn't be found"},
		{"ems", "Get-NotThere -ErrorAction SilentlyContinue", 1, "", "not simulated in the lab"},
		{"sfbms", "[guid]'00000004-0000-0ff1-ce00-000000000000'", 0, "00000004-0000-0ff1-ce00-000000000000", ""},
		{"sfbms", "[guid]'00000004-0000-0ffl-ce00-000000000000'", 1, "", "Guid should contain 32 digits"},
		{"ems", "([Uri]'https://mail.contoso.lab:444/EWS/Exchange.asmx').Host", 0, "mail.contoso.lab\n", ""},
		{"dns", "nslookup -type=CNAME pool01.contoso.lab 8.8.8.8", 0, "Name:    pool01.contoso.lab", ""},
		{"ems", ".\\MonitorExchangeAuthCertificate.ps1", 0, "Auth Certificate", ""},
		{"ems", "Get-ExchangeServer | Format-Table Name,ServerRole", 0, "EXCH01 Mailbox", ""},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			r := run(t, l.Shell(tt.kind), tt.script)
			if r.ExitCode != tt.exit || !strings.Contains(r.Stdout, tt.out) || !strings.Contains(r.Stderr, tt.errOut) {
				t.Fatalf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", r.ExitCode, tt.exit, r.Stdout, r.Stderr)
			}
		})
	}
}

func TestSessionKeepsVariables(t *testing.T) {
	l := startLab(t, "auth-cert-expired")
	ems := l.Shell("ems")
	r := run(t, ems, `$newAuthCertificate = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName "cn=Microsoft Exchange Server Auth Certificate" -FriendlyName "Microsoft Exchange Server Auth Certificate" -DomainName @()`)
	if r.ExitCode != 0 || r.Stdout != "" {
		t.Fatalf("assignment printed or failed: %+v", r)
	}
	r = run(t, ems, "$newAuthCertificate.Thumbprint")
	tp := strings.TrimSpace(r.Stdout)
	if len(tp) != 40 {
		t.Fatalf("thumbprint %q", tp)
	}
	run(t, ems, "Set-AuthConfig -NewCertificateThumbprint $newAuthCertificate.Thumbprint -NewCertificateEffectiveDate (Get-Date)")
	r = run(t, ems, "(Get-AuthConfig).NextCertificateThumbprint")
	if strings.TrimSpace(r.Stdout) != tp {
		t.Fatalf("next thumbprint %q, want %q", r.Stdout, tp)
	}
	// another session does not see the variable
	if r := run(t, l.Shell("ems"), "$newAuthCertificate.Thumbprint"); strings.TrimSpace(r.Stdout) != "" {
		t.Fatalf("variable leaked into a new session: %q", r.Stdout)
	}
}

// TestConvertToJSONParsesWithPsout checks the 5.1 shapes: one object not
// wrapped in an array, booleans, \/Date(ms)\/ dates.
func TestConvertToJSONParsesWithPsout(t *testing.T) {
	l := startLab(t, "healthy")
	ems := l.Shell("ems")
	r := run(t, ems, "Get-PartnerApplication | ConvertTo-Json")
	if !strings.HasPrefix(strings.TrimSpace(r.Stdout), "{") {
		t.Fatalf("one object must not be wrapped in an array:\n%s", r.Stdout)
	}
	objs, err := psout.DecodeObjects([]byte(r.Stdout))
	if err != nil || len(objs) != 1 || !objs[0].Bool("Enabled") || objs[0].Str("ApplicationIdentifier") != appSkype {
		t.Fatalf("psout: %v %v", objs, err)
	}
	r = run(t, ems, "(Get-AuthConfig).CurrentCertificateThumbprint | Get-ExchangeCertificate | ConvertTo-Json -Compress")
	if !strings.Contains(r.Stdout, `"NotAfter":"\/Date(`) {
		t.Fatalf("dates must be \\/Date(ms)\\/: %s", r.Stdout)
	}
	objs, err = psout.DecodeObjects([]byte(r.Stdout))
	if err != nil || len(objs) != 1 {
		t.Fatalf("psout: %v %v", objs, err)
	}
	if na := objs[0].Time("NotAfter"); na.Before(time.Now().AddDate(4, 0, 0)) {
		t.Fatalf("NotAfter %v, want about five years ahead", na)
	}
}

// TestEnvelope runs a rendered shell.Script as the engine sends it.
func TestEnvelope(t *testing.T) {
	l := startLab(t, "healthy")
	script, err := shell.Script{Prelude: shell.ExchangePrelude(), Body: "Get-PartnerApplication -Identity $name",
		Args: map[string]string{"name": "Lync*'; Remove-PartnerApplication x #"}, JSON: true}.Render()
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, l.Shell("ems"), script)
	if _, err := shell.Outcome(r); err == nil || !strings.Contains(err.Error(), "couldn't be found") {
		t.Fatalf("a hostile value must stay data and find nothing: %v / %+v", err, r)
	}
	script, _ = shell.Script{Body: "Get-PartnerApplication -Identity $name", Args: map[string]string{"name": "Lync*"}, JSON: true}.Render()
	r = run(t, l.Shell("ems"), script)
	payload, err := shell.Outcome(r)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := psout.DecodeObjects([]byte(payload))
	if err != nil || len(objs) != 1 || !strings.HasPrefix(objs[0].Str("Name"), "LyncEnterprise-") || !strings.HasPrefix(payload, "[") {
		t.Fatalf("payload %s: %v %v", payload, objs, err)
	}
	r = run(t, l.Shell("ems"), strings.Replace(script, "Get-PartnerApplication", "Get-Unknown", 1))
	if _, err := shell.Outcome(r); err == nil || !strings.Contains(err.Error(), "not simulated in the lab") {
		t.Fatalf("unknown cmdlet in the envelope: %v", err)
	}
	enc := "powershell.exe -NoProfile -NonInteractive -EncodedCommand " + shell.EncodeCommand("(Get-AuthConfig).ServiceName")
	if r := run(t, l.Shell("ems"), enc); strings.TrimSpace(r.Stdout) != appExchange {
		t.Fatalf("-EncodedCommand: %+v", r)
	}
}

func TestExStorageParsesWithPsout(t *testing.T) {
	for name, want := range map[string]psout.ExStorageOutcome{"healthy": psout.Passed, "ews-oauth-off": psout.Failed, "autodiscover-missing": psout.Failed} {
		l := startLab(t, name)
		r := run(t, l.Shell("sfbms"), "Test-CsExStorageConnectivity -SipUri '"+l.Env().TestSipURI+"' -Verbose")
		got := psout.ParseExStorage(r.Stdout + r.Stderr)
		if got.Outcome != want {
			t.Errorf("%s: outcome %s, want %s\n%s%s", name, got.Outcome, want, r.Stdout, r.Stderr)
		}
		if name == "ews-oauth-off" && (len(got.Markers) == 0 || got.Markers[0].Code != psout.ExStorage401) {
			t.Errorf("%s: markers %v, want the 401 one", name, got.Markers)
		}
	}
}

func TestCompareFrontEnds(t *testing.T) {
	l := startLab(t, "oauth-cert-mismatch")
	a := run(t, l.Shell("sfbms"), "(Get-CsCertificate -Type OAuthTokenIssuer).Thumbprint")
	b := run(t, l.Shell("sfbms"), "Invoke-Command -ComputerName fe02.contoso.lab -ScriptBlock { (Get-CsCertificate -Type OAuthTokenIssuer).Thumbprint }")
	if a.Stdout == "" || a.Stdout == b.Stdout {
		t.Fatalf("fe01 %q and fe02 %q should differ", a.Stdout, b.Stdout)
	}
	run(t, l.Shell("sfbms"), "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint (Get-CsCertificate -Type OAuthTokenIssuer).Thumbprint")
	if f := l.Faults(); len(f) != 0 {
		t.Fatalf("faults after the global assignment: %v", f)
	}
}

func TestListAndUnknownScenario(t *testing.T) {
	list := lab.List()
	if len(list) < 11 || len(list[0].Pitfalls) != 0 {
		t.Fatalf("List: %d scenarios, first %+v", len(list), list[0])
	}
	_, err := lab.Start(context.Background(), "no-such")
	if err == nil || !strings.Contains(err.Error(), "jason-url") {
		t.Fatalf("unknown scenario error should list the names: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := lab.Start(ctx, "healthy"); err == nil {
		t.Fatal("Start with a cancelled context should fail")
	}
}

func TestCloseStopsServers(t *testing.T) {
	l, err := lab.Start(context.Background(), "healthy")
	if err != nil {
		t.Fatal(err)
	}
	e := l.Env()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	client, _ := netxClient(e)
	if _, err := client.Get(context.Background(), e.ExchangeMetadataURL, nil); err == nil {
		t.Fatal("HTTPS still answers after Close")
	}
}

// TestRecordsFromPsout reads the lab's SfB output through psout's typed
// records, as the credentialed checks will.
func TestRecordsFromPsout(t *testing.T) {
	l := startLab(t, "healthy")
	r := run(t, l.Shell("sfbms"), "Get-CsPartnerApplication | ConvertTo-Json")
	objs, err := psout.DecodeObjects([]byte(r.Stdout))
	if err != nil || len(objs) != 1 {
		t.Fatalf("%v %v", objs, err)
	}
	pa := psout.CsPartnerApplicationFrom(objs[0])
	if pa.ApplicationIdentifier != appExchange || pa.ApplicationTrustLevel != "Full" || pa.MetadataUrl != l.Env().ExchangeMetadataURL {
		t.Fatalf("record %+v", pa)
	}
	r = run(t, l.Shell("sfbms"), "Get-CsCertificate -Type OAuthTokenIssuer | ConvertTo-Json")
	objs, _ = psout.DecodeObjects([]byte(r.Stdout))
	if c := psout.CsCertificateFrom(objs[0]); len(c.Thumbprint) != 40 || c.NotAfter.Before(time.Now()) || c.Use != "OAuthTokenIssuer" {
		t.Fatalf("certificate %+v", c)
	}
}

// TestKeyValuesShowTheDERMistake: with -ReturnKeyValues the broken upload is
// valid Base64 that decodes to no certificate.
func TestKeyValuesShowTheDERMistake(t *testing.T) {
	l := startLab(t, "der-upload")
	r := run(t, l.Shell("msonline"), "Get-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ReturnKeyValues $true | ConvertTo-Json")
	objs, err := psout.DecodeObjects([]byte(r.Stdout))
	if err != nil || len(objs) != 1 {
		t.Fatalf("%v %v\n%s", objs, err, r.Stdout)
	}
	raw, err := base64.StdEncoding.DecodeString(objs[0].Str("Value"))
	if err != nil || len(raw) == 0 {
		t.Fatalf("value is not Base64: %v", err)
	}
	if _, err := x509.ParseCertificate(raw); err == nil {
		t.Fatal("the broken upload decodes to a certificate")
	}
	r = run(t, l.Shell("msonline"), "Get-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-00000000000")
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "Guid should contain 32 digits with 4 dashes") {
		t.Fatalf("a short id must fail Guid binding: %+v", r)
	}
}

// TestListAddAndSPNs: $sp.ServicePrincipalNames.Add(...) then Set-Msol
// writes the grown list back, the KB3090197 way.
func TestListAddAndSPNs(t *testing.T) {
	l := startLab(t, "healthy-hybrid")
	msol := l.Shell("msonline")
	r := run(t, msol, "$sp = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000; "+
		"$sp.ServicePrincipalNames.Add('00000004-0000-0ff1-ce00-000000000000/extra.contoso.lab'); "+
		"Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames $sp.ServicePrincipalNames")
	if r.ExitCode != 0 {
		t.Fatal(r.Stderr)
	}
	r = run(t, msol, "(Get-MsolServicePrincipal -ServicePrincipalName '00000004-0000-0ff1-ce00-000000000000/extra.contoso.lab').ServicePrincipalNames")
	if !strings.Contains(r.Stdout, "extra.contoso.lab") || !strings.Contains(r.Stdout, "webext.contoso.lab") {
		t.Fatalf("SPN list after Add: %q %s", r.Stdout, r.Stderr)
	}
}

// TestTeamsObjects walks the SfB Online application account, role and
// partner application commands.
func TestTeamsObjects(t *testing.T) {
	l := startLab(t, "healthy-sfbonline")
	ems := l.Shell("ems")
	for _, cmd := range []string{
		"New-MailUser -Name SfBOnline-ApplicationAccount -ExternalEmailAddress 'SfBOnline-ApplicationAccount@contoso.lab'",
		"Set-MailUser -Identity SfBOnline-ApplicationAccount -HiddenFromAddressListsEnabled $true",
		"New-ManagementRole -Name TeamsApp -Parent UserApplication",
		"Get-ManagementRoleEntry 'TeamsApp\\*' | Where-Object { $_.Name -ne 'GetDelegate' } | Remove-ManagementRoleEntry -Confirm:$false",
		"New-ManagementRoleAssignment -Role TeamsApp -User (Get-MailUser -Identity SfBOnline-ApplicationAccount).Identity",
		"New-PartnerApplication -Name SfBOnline2 -ApplicationIdentifier 00000004-0000-0ff1-ce00-000000000000 -Enabled $true -LinkedAccount (Get-MailUser SfBOnline-ApplicationAccount).Identity",
	} {
		if r := run(t, ems, cmd); r.ExitCode != 0 {
			t.Fatalf("%s: %s", cmd, r.Stderr)
		}
	}
	r := run(t, ems, "Get-ManagementRoleEntry 'TeamsApp\\*' | Format-Table Name,Role")
	if !strings.Contains(r.Stdout, "GetDelegate") || strings.Contains(r.Stdout, "CreateItem") {
		t.Fatalf("role entries:\n%s", r.Stdout)
	}
	r = run(t, ems, "Get-PartnerApplication SfBOnline2 | Format-List LinkedAccount")
	if !strings.Contains(r.Stdout, "contoso.lab/Users/SfBOnline-ApplicationAccount") {
		t.Fatalf("linked account:\n%s%s", r.Stdout, r.Stderr)
	}
}
