package winrmshell

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ucpilot/ucpilot/remote/shell"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func basicCfg(f *fakeWinRM) Config {
	h, p := f.hostPort()
	return Config{Host: h, Port: p, User: "admin", Password: shell.NewSecret("pw'1"), Auth: AuthBasic,
		CACertPEM: f.caPEM(), Timeout: 5 * time.Second}
}

func script(t *testing.T, v string) string {
	t.Helper()
	s, err := shell.Script{Body: "Write-Output $value", Args: map[string]string{"value": v}, JSON: true}.Render()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRunBasicHTTPS(t *testing.T) {
	f := newFake(t, "ok", true)
	f.basic = [2]string{"admin", "pw'1"}
	sh, err := New(basicCfg(f))
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	if !strings.Contains(sh.Target(), "via winrm (https, basic)") {
		t.Errorf("Target = %q", sh.Target())
	}
	v := `O'Brien ‘x’ $(calc)`
	res, err := sh.Run(context.Background(), script(t, v))
	if err != nil {
		t.Fatal(err)
	}
	p, err := shell.Outcome(res)
	if err != nil || p != `["`+v+`"]` || res.Stderr != "note on stderr" || res.ExitCode != 0 {
		t.Errorf("payload %q %v, result %+v", p, err, res)
	}
	want := []string{"transfer/Create", "shell/Command", "shell/Receive", "shell/Signal", "transfer/Delete"}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, w := range want {
		if i >= len(f.actions) || !strings.HasSuffix(f.actions[i], w) {
			t.Fatalf("actions %v, want suffixes %v", f.actions, want)
		}
	}
}

func TestExitCode(t *testing.T) {
	f := newFake(t, "exit7", true)
	sh, _ := New(basicCfg(f))
	res, err := sh.Run(context.Background(), script(t, "x"))
	if err != nil || res.ExitCode != 7 || !strings.Contains(res.Stderr, "not found") {
		t.Errorf("result %+v, err %v", res, err)
	}
}

func TestAuthFailed(t *testing.T) {
	for _, auth := range []Auth{AuthBasic, AuthNTLM} {
		f := newFake(t, "401", true)
		cfg := basicCfg(f)
		cfg.Auth = auth
		sh, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, err = sh.Run(context.Background(), script(t, "x"))
		var ae *AuthError
		if !errors.As(err, &ae) {
			t.Fatalf("%s: want *AuthError, got %v", auth, err)
		}
		want := "WinRM: authentication failed for user admin on host 127.0.0.1 (wrong password, or the account lacks remote-management rights"
		if !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "pw'1") {
			t.Errorf("%s: message %q", auth, err)
		}
	}
}

func TestNTLMEncryptedHTTP401(t *testing.T) {
	f := newFake(t, "401", false)
	h, p := f.hostPort()
	sh, err := New(Config{Host: h, Port: p, User: `CONTOSO\admin`, Password: shell.NewSecret("x"), Auth: AuthNTLM, AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sh.Target(), "(http, ntlm)") {
		t.Errorf("Target = %q", sh.Target())
	}
	_, err = sh.Run(context.Background(), script(t, "x"))
	if !errors.As(err, new(*AuthError)) {
		t.Errorf("want *AuthError, got %v", err)
	}
}

func TestSOAPFault(t *testing.T) {
	f := newFake(t, "fault", true)
	sh, _ := New(basicCfg(f))
	_, err := sh.Run(context.Background(), script(t, "x"))
	var fe *FaultError
	if !errors.As(err, &fe) {
		t.Fatalf("want *FaultError, got %v", err)
	}
	if fe.Subcode != "w:InternalError" || fe.WSManCode != "2150859173" || !strings.Contains(err.Error(), "shell quota was exceeded") {
		t.Errorf("fault %+v", fe)
	}
}

func TestCancel(t *testing.T) {
	f := newFake(t, "hang", true)
	sh, _ := New(basicCfg(f))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := sh.Run(ctx, script(t, "x"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want deadline error, got %v", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("Run returned %v after start, want within ~1 s of cancel", d)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.signaled {
		t.Error("the remote command was not signalled to stop")
	}
}

func TestUntrustedCertificate(t *testing.T) {
	f := newFake(t, "ok", true)
	cfg := basicCfg(f)
	cfg.CACertPEM = nil
	sh, _ := New(cfg)
	_, err := sh.Run(context.Background(), script(t, "x"))
	if err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("want untrusted-certificate error, got %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	f := newFake(t, "ok", true)
	cfg := basicCfg(f)
	f.srv.Close()
	sh, _ := New(cfg)
	_, err := sh.Run(context.Background(), script(t, "x"))
	if err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("want cannot-reach error, got %v", err)
	}
}

func TestConfigRules(t *testing.T) {
	dir := t.TempDir()
	krb5 := filepath.Join(dir, "krb5.conf")
	_ = os.WriteFile(krb5, []byte("[libdefaults]\n default_realm = CONTOSO.COM\n"), 0o600)
	cc := filepath.Join(dir, "cc")
	_ = os.WriteFile(cc, []byte{5, 4}, 0o600)
	pw := shell.NewSecret("x")
	cases := []struct {
		cfg  Config
		want string // "" = accepted
	}{
		{Config{Host: "exch01", User: "a", Password: pw, Auth: AuthBasic, AllowHTTP: true}, "unencrypted"},
		{Config{Host: "exch01", User: "a", Password: pw, Auth: AuthBasic}, ""},
		{Config{Host: "exch01", User: "a", Auth: AuthNTLM}, "needs a user name and a password"},
		{Config{Host: "exch01", User: "a", Password: pw, Auth: "digest"}, "unknown authentication"},
		{Config{Host: "exch01", Auth: AuthKerberos, AllowHTTP: true}, "Kerberos over plain HTTP"},
		{Config{Host: "exch01", Auth: AuthKerberos, CCache: "KEYRING:persistent:1000", Krb5Conf: krb5}, "kinit -c FILE:"},
		{Config{Host: "exch01", Auth: AuthKerberos, CCache: "KCM:", Krb5Conf: krb5}, "KCM cache"},
		{Config{Host: "exch01", Auth: AuthKerberos, CCache: "FILE:" + filepath.Join(dir, "none"), Krb5Conf: krb5}, "run kinit"},
		{Config{Host: "exch01", Auth: AuthKerberos, CCache: "FILE:" + cc, Krb5Conf: krb5}, ""},
		{Config{Host: "exch01", Auth: AuthKerberos, CCache: cc, Krb5Conf: filepath.Join(dir, "no.conf")}, "KRB5_CONFIG"},
		{Config{Host: "exch01", Auth: AuthKerberos, Krb5Conf: krb5}, "credential cache (kinit"},
		{Config{Host: "exch 01", User: "a", Password: pw, Auth: AuthNTLM}, "hostname"},
	}
	t.Setenv("KRB5CCNAME", "")
	for _, c := range cases {
		_, err := New(c.cfg)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.cfg, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: err %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestDefaultPorts(t *testing.T) {
	if p := (Config{}).withDefaults().Port; p != 5986 {
		t.Errorf("HTTPS default port %d", p)
	}
	if p := (Config{AllowHTTP: true}).withDefaults().Port; p != 5985 {
		t.Errorf("HTTP default port %d", p)
	}
}
