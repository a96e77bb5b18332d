package execute

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/ucpilot/ucpilot/engine/transcript"
	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/remote/shell"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// echoShell returns what it is given, with the secret it knows echoed on
// both streams (the worst case: a script that prints its password).
type echoShell struct {
	target, echo string
	ran          []string
}

func (e *echoShell) Run(_ context.Context, script string) (shell.Result, error) {
	e.ran = append(e.ran, script)
	return shell.Result{Stdout: "out: " + e.echo + "\nAuthorization: Bearer eyJhbGciOi.secret", Stderr: "err: " + e.echo, ExitCode: 0}, nil
}
func (e *echoShell) Target() string { return e.target }
func (e *echoShell) Close() error   { return nil }

func targets(ex, sfb shell.Shell) Targets {
	return Targets{Shells: map[string]shell.Shell{SideExchange: ex, SideSfB: sfb}}
}

func TestPrepareConfirmations(t *testing.T) {
	ex := &echoShell{target: "exch01.contoso.com via ssh"}
	sfb := &echoShell{target: "fe01.contoso.com via winrm"}
	v := knowledge.ExampleVars()
	ctx := context.Background()

	read := knowledge.Command{Text: "Get-PartnerApplication | Format-List Name", Shell: knowledge.ShellEMS}
	p, err := Prepare(read, "", v, targets(ex, sfb))
	if err != nil || p.Shell != ex || p.ConfirmWord != "" {
		t.Fatalf("read-only: %+v %v", p, err)
	}
	if _, err := Execute(ctx, p, ""); err != nil || len(ex.ran) != 1 {
		t.Fatalf("a read-only command must run at once: %v", err)
	}

	change := knowledge.Command{Text: `Set-CsOAuthConfiguration -Identity global -Realm "{{.Domain}}"`, Changes: true}
	p, err = Prepare(change, knowledge.ShellSfBMS, v, targets(ex, sfb))
	if err != nil || p.Shell != sfb || p.ConfirmWord != "yes" || !strings.Contains(p.Text, `"contoso.com"`) || p.Server != "fe01.contoso.com" {
		t.Fatalf("changing: %+v %v", p, err)
	}
	if _, err := Execute(ctx, p, "y"); !errors.Is(err, ErrNotConfirmed) || len(sfb.ran) != 0 {
		t.Fatalf("ran without yes: %v", err)
	}
	if _, err := Execute(ctx, p, "yes"); err != nil || len(sfb.ran) != 1 {
		t.Fatalf("did not run with yes: %v", err)
	}

	reset := knowledge.Command{Text: "iisreset {{.ExchangeServer}} /noforce", Changes: true, Disruptive: true, Shell: knowledge.ShellCmd}
	tg := targets(ex, sfb)
	if _, err := Prepare(reset, "", v, tg); !errors.Is(err, ErrNoShell) {
		t.Fatalf("cmd without a side: %v", err)
	}
	tg.Side = SideExchange
	p, err = Prepare(reset, "", v, tg)
	if err != nil || p.ConfirmWord != "exch01" || p.Shell != ex {
		t.Fatalf("disruptive: %+v %v", p, err)
	}
	if _, err := Execute(ctx, p, "yes"); !errors.Is(err, ErrNotConfirmed) || !strings.Contains(err.Error(), "exch01") {
		t.Fatalf("a disruptive command ran on yes: %v", err)
	}
	if _, err := Execute(ctx, p, "EXCH01"); err != nil {
		t.Fatal(err)
	}

	tg.ReadOnly = true
	if _, err := Prepare(change, knowledge.ShellSfBMS, v, tg); !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "fe01.contoso.com") {
		t.Fatalf("read-only mode: %v", err)
	}
	if _, err := Prepare(read, "", v, tg); err != nil {
		t.Fatalf("read-only mode must still allow reading: %v", err)
	}
}

func TestPrepareRefusals(t *testing.T) {
	ex := &echoShell{target: "exch01.contoso.com via ssh"}
	v := knowledge.ExampleVars()
	graph := knowledge.Command{Text: "Get-MgServicePrincipal -Filter \"AppId eq '00000004-0000-0ff1-ce00-000000000000'\""}
	if _, err := Prepare(graph, knowledge.ShellGraph, v, targets(ex, nil)); !errors.Is(err, ErrNoShell) || !strings.Contains(err.Error(), "does not sign in to the tenant") {
		t.Fatalf("graph: %v", err)
	}
	lab := Targets{Shells: map[string]shell.Shell{"graph": ex}}
	if p, err := Prepare(graph, knowledge.ShellGraph, v, lab); err != nil || p.Shell != ex {
		t.Fatalf("a supplied graph shell must be used: %v", err)
	}
	cert := knowledge.Command{Text: "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <thumbprint>", Changes: true}
	if _, err := Prepare(cert, knowledge.ShellSfBMS, v, targets(ex, ex)); !errors.Is(err, ErrPlaceholder) {
		t.Fatalf("placeholder: %v", err)
	}
	// Placeholders in the knowledge base are written in any case.
	for _, ph := range []string{"<thumbprint of the OAuth certificate>", "<pool FQDN>", "<appId>"} {
		c := knowledge.Command{Text: "Set-CsCertificate -Thumbprint " + ph, Changes: true}
		if _, err := Prepare(c, knowledge.ShellSfBMS, v, targets(ex, ex)); !errors.Is(err, ErrPlaceholder) || Placeholder(c.Text) != ph {
			t.Errorf("%s: %v", ph, err)
		}
	}
	for field, bad := range map[string]string{
		"Domain":         "contoso.com'; Remove-Item C:\\ -Recurse; '",
		"SfBMetadataURL": "https://pool01.contoso.com/metadata/json/1$(calc)",
		"TestSipURI":     "sip:a`b@contoso.com",
		"TenantID":       "<tenant id>",
	} {
		vv := v
		switch field {
		case "Domain":
			vv.Domain = bad
		case "SfBMetadataURL":
			vv.SfBMetadataURL = bad
		case "TestSipURI":
			vv.TestSipURI = bad
		case "TenantID":
			vv.TenantID = bad
		}
		c := knowledge.Command{Text: "Write-Output '{{." + field + "}}'"}
		if _, err := Prepare(c, knowledge.ShellEMS, vv, targets(ex, ex)); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s=%q was accepted (err %v)", field, bad, err)
		}
	}
}

// A password used for a login and echoed back by the shell, in the
// command, on stdout and on stderr, appears in no file the transcript
// writes and not in its export.
func TestTranscriptNeverHoldsThePassword(t *testing.T) {
	const password = "Tr0ub4dor&3'x"
	dir := t.TempDir()
	red := transcript.NewRedactor()
	red.Register(shell.NewSecret(password)) // what connect.Options.OnSecret does at login
	log := transcript.Open(filepath.Join(dir, "state", "transcript.jsonl"), red)
	ex := &echoShell{target: "exch01.contoso.com via ssh", echo: password}
	tg := targets(ex, nil)
	tg.Log = log
	cmds := []string{
		"Write-Output '" + strings.ReplaceAll(password, "'", "''") + "'",
		"$c = New-Object System.Management.Automation.PSCredential('admin', (ConvertTo-SecureString 'other-Secret1' -AsPlainText -Force))",
		"Connect-Thing -Credential $c -Password hunter2",
	}
	for _, c := range cmds {
		p, err := Prepare(knowledge.Command{Text: c}, knowledge.ShellEMS, knowledge.ExampleVars(), tg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Execute(context.Background(), p, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := log.Append(transcript.Entry{Kind: transcript.KindRecheck, Target: ex.Target(), Checks: []string{"ps.exchange.partnerapp: pass"}}); err != nil {
		t.Fatal(err)
	}
	entries, err := log.Entries()
	if err != nil || len(entries) != 4 {
		t.Fatalf("%d entries, %v", len(entries), err)
	}
	var md strings.Builder
	if err := transcript.Export(&md, entries, "markdown"); err != nil {
		t.Fatal(err)
	}
	forbidden := []string{password, "Tr0ub4dor", "other-Secret1", "hunter2", "eyJhbGciOi"}
	err = filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
		}
		data, _ := os.ReadFile(path)
		for _, f := range forbidden {
			if strings.Contains(string(data), f) {
				t.Errorf("%s holds %q", path, f)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range forbidden {
		if strings.Contains(md.String(), f) {
			t.Errorf("the export holds %q", f)
		}
	}
	if !strings.Contains(md.String(), shell.Redacted) || !strings.Contains(md.String(), "Checks re-run afterwards") {
		t.Errorf("export:\n%s", md.String())
	}
}
