package lab

import (
	"context"
	"strings"
	"testing"
	"time"
)

// An en dash instead of a hyphen is not a parameter (pitfall
// smart-quotes-dashes): the value ends up positional and is refused.
func TestEnDashIsNotAParameter(t *testing.T) {
	l, err := Start(context.Background(), "healthy")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r, _ := l.Shell("ems").Run(context.Background(), "& $exscripts\\Configure-EnterprisePartnerApplication.ps1 \u2013AuthMetadataUrl https://pool01.contoso.lab/metadata/json/1 -ApplicationType Lync")
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "A positional parameter cannot be found that accepts argument '\u2013AuthMetadataUrl'") {
		t.Fatalf("en dash accepted: %+v", r)
	}
}

// FuzzShell runs arbitrary text in a lab shell: it must never panic, and a
// failure must always say something on stderr.
func FuzzShell(f *testing.F) {
	for _, s := range []string{"Get-PartnerApplication | fl", "$a = Get-AuthConfig; $a.ServiceName", "Write-Host 'x''y'",
		"Get-PartnerApplication | Where-Object { $_.Enabled -and $_.Name -like 'L*' } | ConvertTo-Json -Depth 3",
		"(Get-AuthConfig).CurrentCertificateThumbprint | Get-ExchangeCertificate", "@(1,2,'a') | Select-Object -First 1",
		"Invoke-Command -ComputerName fe02 -ScriptBlock { Get-Date }", "[System.Convert]::ToBase64String($x)", "iisreset /noforce"} {
		f.Add(s)
	}
	l, err := Start(context.Background(), "healthy")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { l.Close() })
	f.Fuzz(func(t *testing.T, script string) {
		for _, kind := range []string{"ems", "sfbms"} {
			r, err := l.Shell(kind).Run(context.Background(), script)
			if err != nil {
				return // only a cancelled context or an -EncodedCommand that is not base64
			}
			if r.ExitCode != 0 && strings.TrimSpace(r.Stderr) == "" {
				t.Fatalf("%q failed silently", script)
			}
		}
	})
}

func TestScenarioFilesLoad(t *testing.T) {
	all, err := loadScenarios()
	if err != nil {
		t.Fatal(err)
	}
	for name, sc := range all {
		if sc.Title == "" || sc.Description == "" || topologyShells[sc.Topology] == nil {
			t.Errorf("scenario %s: title, description and a valid topology are required (%+v)", name, sc.ScenarioInfo)
		}
	}
	st, err := healthy("onprem", "443", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []Mutation{{Set: "nowhere.x", Value: "1"}, {RemoveDNS: "absent.contoso.lab"}, {Set: "exchange.vdir.ews.oauth", Value: "maybe"},
		{Remove: "exchange.partner_app.nothing"}, {File: `C:\x.cer`, Value: "what"}, {Set: "exchange.auth_cert.not_after", Value: "soon"}} {
		if err := st.apply(m); err == nil {
			t.Errorf("mutation %+v accepted", m)
		}
	}
}
