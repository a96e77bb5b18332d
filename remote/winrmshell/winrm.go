package winrmshell

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/masterzen/winrm"

	"github.com/ucpilot/ucpilot/remote/shell"
)

var _ shell.Shell = (*Shell)(nil)

// Shell runs scripts over WinRM. Each Run opens and deletes its own WinRS shell.
type Shell struct {
	cfg    Config
	client *winrm.Client
	target string
}

// New checks cfg and prepares a client. It does not connect: the first Run does.
func New(cfg Config) (*Shell, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	endpoint := &winrm.Endpoint{
		Host: cfg.Host, Port: cfg.Port, HTTPS: !cfg.AllowHTTP, Insecure: cfg.InsecureSkipVerify,
		TLSServerName: cfg.TLSServerName, CACert: cfg.CACertPEM, Timeout: cfg.Timeout,
	}
	params := *winrm.DefaultParameters // a copy: the package-level value is shared
	decorator, err := transport(cfg)
	if err != nil {
		return nil, err
	}
	params.TransportDecorator = decorator
	client, err := winrm.NewClientWithParameters(endpoint, cfg.User, cfg.Password.Reveal(), &params)
	if err != nil {
		return nil, fmt.Errorf("WinRM: cannot set up the client for %s: %w", cfg.Host, err)
	}
	scheme := "https"
	if cfg.AllowHTTP {
		scheme = "http"
	}
	return &Shell{cfg: cfg, client: client, target: fmt.Sprintf("%s via winrm (%s, %s)", cfg.Host, scheme, cfg.Auth)}, nil
}

func transport(cfg Config) (func() winrm.Transporter, error) {
	switch cfg.Auth {
	case AuthNTLM:
		if cfg.AllowHTTP {
			// Over HTTP the WinRM service rejects unencrypted messages by default
			// (AllowUnencrypted=false), so wrap them the way pywinrm does.
			if _, err := winrm.NewEncryption("ntlm"); err != nil {
				return nil, fmt.Errorf("WinRM: NTLM message encryption unavailable: %w", err)
			}
			return func() winrm.Transporter { enc, _ := winrm.NewEncryption("ntlm"); return enc }, nil
		}
		return func() winrm.Transporter { return &winrm.ClientNTLM{} }, nil
	case AuthKerberos:
		ccache, err := resolveCCache(cfg.CCache)
		if err != nil {
			return nil, err
		}
		if ccache != "" {
			if _, err := os.Stat(ccache); err != nil {
				return nil, fmt.Errorf("WinRM: Kerberos credential cache %s cannot be read (%v); run kinit first", ccache, err)
			}
		} else if cfg.User == "" || cfg.Password.IsZero() {
			return nil, fmt.Errorf("WinRM: Kerberos to %s needs a credential cache (kinit; KRB5CCNAME) "+
				"or a user name and password", cfg.Host)
		}
		if _, err := os.Stat(cfg.Krb5Conf); err != nil {
			return nil, fmt.Errorf("WinRM: Kerberos configuration %s cannot be read (%v); set KRB5_CONFIG "+
				"or create it with your realm's KDCs", cfg.Krb5Conf, err)
		}
		kc := &winrm.ClientKerberos{
			Username: cfg.User, Password: cfg.Password.Reveal(), Realm: cfg.Realm, Hostname: cfg.Host,
			Port: cfg.Port, Proto: "https", SPN: cfg.SPN, KrbConf: cfg.Krb5Conf, KrbCCache: ccache,
		}
		return func() winrm.Transporter { return kc }, nil
	}
	return nil, nil // Basic: the library's default transport
}

// cancelGrace bounds how long Run waits, after ctx ends, for the library to stop the
// remote command. It cannot abort an HTTP request already in flight, so past this Run
// returns and the request finishes (or times out) in the background.
const cancelGrace = 2 * time.Second

// Run runs script through powershell.exe -EncodedCommand in a new WinRS shell.
func (s *Shell) Run(ctx context.Context, script string) (shell.Result, error) {
	line, err := shell.CommandLine(script)
	if err != nil {
		return shell.Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return shell.Result{}, err
	}
	start := time.Now()
	type outcome struct {
		res shell.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		var out, errb bytes.Buffer
		code, err := s.client.RunWithContextWithInput(ctx, line, &out, &errb, nil)
		done <- outcome{shell.Result{Stdout: out.String(), Stderr: errb.String(), ExitCode: code}, err}
	}()
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		select {
		case o = <-done:
		case <-time.After(cancelGrace):
			o = outcome{shell.Result{ExitCode: -1}, ctx.Err()}
		}
	}
	o.res.Duration = time.Since(start)
	if ctx.Err() != nil {
		o.res.ExitCode = -1
		return o.res, fmt.Errorf("WinRM: command on %s stopped: %w", s.target, ctx.Err())
	}
	if o.err != nil {
		return o.res, s.classify(o.err)
	}
	return o.res, nil
}

// Target implements shell.Shell.
func (s *Shell) Target() string { return s.target }

// Close implements shell.Shell. WinRS shells are deleted after each Run; nothing stays open.
func (s *Shell) Close() error { return nil }
