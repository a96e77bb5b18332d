package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const shellBase = "topology: onprem\ndomain: contoso.com\nexchange:\n  fqdn: exch01.contoso.com\nsfb:\n  pool: pool01.contoso.com\n"

func TestShellConfigParsesAndValidates(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(key, []byte("key"), 0o600); err != nil {
		t.Fatal(err)
	}
	y := shellBase + "  shell:\n    transport: ssh\n    host: fe01.contoso.com\n    user: CONTOSO\\admin\n    auth: key\n    key_file: id_ed25519\n" +
		"    jump:\n      host: bastion.contoso.com\n      auth: agent\n"
	y = strings.Replace(y, "exchange:\n  fqdn: exch01.contoso.com\n", "exchange:\n  fqdn: exch01.contoso.com\n  shell:\n    transport: winrm\n    host: exch01.contoso.com\n    user: admin\n    auth: ntlm\n    password_env: EXCH_PW\n    remember: true\n", 1)
	p, err := Parse([]byte(y), "t")
	if err != nil {
		t.Fatal(err)
	}
	p.SetDir(dir)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.SfB.Shell == nil || p.SfB.Shell.Jump == nil || p.SfB.Shell.Jump.Host != "bastion.contoso.com" {
		t.Fatalf("sfb shell not parsed: %+v", p.SfB.Shell)
	}
	if ex := p.Exchange.Shell; ex == nil || !ex.UseHTTPS() || ex.PasswordEnv != "EXCH_PW" || !ex.Remember {
		t.Fatalf("exchange shell not parsed: %+v", ex)
	}
}

func TestShellConfigRejectsPassword(t *testing.T) {
	y := shellBase + "  shell:\n    transport: ssh\n    host: fe01.contoso.com\n    user: admin\n    password: hunter2\n"
	_, err := Parse([]byte(y), "t")
	if err == nil {
		t.Fatal("a password key was accepted")
	}
	for _, want := range []string{"password_env", "keyring", "not allowed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error echoes the password: %v", err)
	}
}

func TestShellConfigUnknownKey(t *testing.T) {
	y := shellBase + "  shell:\n    transport: ssh\n    hostname: fe01\n"
	_, err := Parse([]byte(y), "t")
	if err == nil || !strings.Contains(err.Error(), `"hostname"`) || !strings.Contains(err.Error(), "known_hosts") {
		t.Fatalf("want an unknown-key error listing valid keys, got %v", err)
	}
}

func TestShellConfigProblems(t *testing.T) {
	cases := []struct {
		shell, key, expect string
	}{
		{"transport: telnet", "sfb.shell.transport", "ssh, winrm or local"},
		{"transport: ssh\n    host: fe01.contoso.com\n    user: a\n    auth: ntlm", "sfb.shell.auth", "password, key, agent"},
		{"transport: winrm\n    host: fe01.contoso.com\n    user: a\n    auth: key", "sfb.shell.auth", "ntlm, kerberos, basic"},
		{"transport: winrm\n    host: fe01.contoso.com\n    user: a\n    auth: basic\n    https: false", "sfb.shell.https", "Basic"},
		{"transport: ssh\n    host: fe01.contoso.com\n    user: a\n    auth: key\n    key_file: /nonexistent/key", "sfb.shell.key_file", "does not exist"},
		{"transport: ssh\n    host: fe01.contoso.com\n    user: a\n    auth: key", "sfb.shell.key_file", "private key"},
		{"transport: ssh\n    host: \"fe01;rm\"\n    user: a", "sfb.shell.host", "hostname"},
		{"transport: ssh\n    user: a", "sfb.shell.host", "server"},
		{"transport: ssh\n    host: fe01.contoso.com", "sfb.shell.user", "account"},
		{"transport: ssh\n    host: fe01.contoso.com\n    user: a\n    password_env: \"my secret\"", "sfb.shell.password_env", "variable name"},
		{"transport: local\n    host: fe01.contoso.com", "sfb.shell.host", "local"},
		{"transport: winrm\n    host: fe01.contoso.com\n    user: a\n    jump:\n      host: b.contoso.com", "sfb.shell.jump", "only for transport ssh"},
		{"transport: ssh\n    host: fe01.contoso.com\n    user: a\n    jump:\n      host: b.contoso.com\n      auth: ntlm", "sfb.shell.jump.auth", "jump"},
	}
	for _, c := range cases {
		p, err := Parse([]byte(shellBase+"  shell:\n    "+c.shell+"\n"), "t")
		if err != nil {
			t.Errorf("%s: parse: %v", c.shell, err)
			continue
		}
		var ps Problems
		if !errors.As(p.Validate(), &ps) {
			t.Errorf("%s: no problems reported", c.shell)
			continue
		}
		found := false
		for _, pr := range ps {
			if pr.Key == c.key && strings.Contains(pr.Error(), c.expect) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want a problem on %s mentioning %q, got %v", c.shell, c.key, c.expect, ps)
		}
	}
}

func TestShellConfigRoundTrip(t *testing.T) {
	y := shellBase + "  shell:\n    transport: local\n"
	p, err := Parse([]byte(y), "t")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.yaml")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if q.SfB.Shell == nil || q.SfB.Shell.Transport != "local" || q.Exchange.Shell != nil {
		t.Fatalf("round trip lost the shell: %+v / %+v", q.SfB.Shell, q.Exchange.Shell)
	}
}
