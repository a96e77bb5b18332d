package connect

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// KeyringService is the service name ucpilot's passwords are stored under
// in the OS keyring; the keyring user is "<user>@<host>".
const KeyringService = "ucpilot"

// Prompt asks a person for a secret. label says for what, e.g.
// "Password for CONTOSO\admin@exch01.contoso.com (ssh)". The TUI answers
// with a masked input, the CLI with term.ReadPassword on /dev/tty.
type Prompt func(label string) (shell.Secret, error)

// Keyring is the part of the OS keyring ucpilot uses. The default is
// github.com/zalando/go-keyring (tests call keyring.MockInit()).
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type osKeyring struct{}

func (osKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (osKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (osKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// Source says where a password came from.
type Source string

// Sources, in the order they are tried.
const (
	SourceNone    Source = ""        // the login needs no password (key, agent, Kerberos ticket, local)
	SourceEnv     Source = "env"     // the variable named by password_env
	SourceKeyring Source = "keyring" // the OS keyring (remember: true)
	SourcePrompt  Source = "prompt"  // typed by the user
)

// ErrNoSecretSource means a password is needed and nothing can supply it.
var ErrNoSecretSource = errors.New("no password available")

// KeyringUser is the keyring account name for a login: "<user>@<host>".
func KeyringUser(user, host string) string { return user + "@" + host }

// secretFor finds the password for user@host: the environment variable,
// then the keyring (when remember is set), then the prompt. Failing to
// reach the keyring is not fatal: the notice says why and the prompt is
// used instead.
func (o *Options) secretFor(c *profile.ShellConfig, user, host, envName string, remember bool) (shell.Secret, Source, error) {
	if envName != "" {
		if v := o.getenv(envName); v != "" {
			return shell.NewSecret(v), SourceEnv, nil
		}
		o.notice(fmt.Sprintf("password_env names %s, but that variable is empty or unset; trying the other password sources", envName))
	}
	if remember {
		v, err := o.keyring().Get(KeyringService, KeyringUser(user, host))
		switch {
		case err == nil && v != "":
			return shell.NewSecret(v), SourceKeyring, nil
		case err != nil && !errors.Is(err, keyring.ErrNotFound):
			o.notice(keyringUnavailable(err))
		}
	}
	if o.Prompt == nil {
		return shell.Secret{}, SourceNone, fmt.Errorf("%w for %s@%s (%s): set the variable named by password_env, "+
			"or run interactively to be asked", ErrNoSecretSource, user, host, c.Transport)
	}
	s, err := o.Prompt(fmt.Sprintf("Password for %s@%s (%s)", user, host, c.Transport))
	if err != nil {
		return shell.Secret{}, SourceNone, fmt.Errorf("reading the password for %s@%s: %w", user, host, err)
	}
	if s.IsZero() {
		return shell.Secret{}, SourceNone, fmt.Errorf("no password was entered for %s@%s", user, host)
	}
	return s, SourcePrompt, nil
}

// keyringUnavailable explains a keyring failure in terms a user can act on.
func keyringUnavailable(err error) string {
	return fmt.Sprintf("the OS keyring could not be used (%v). On Linux it needs a D-Bus session with an "+
		"unlocked Secret Service (GNOME Keyring, KWallet), which headless and SSH sessions usually lack; "+
		"asking for the password instead (password_env avoids the prompt)", err)
}

// Remember stores secret in the OS keyring for user@host, so a profile
// with remember: true logs on without a prompt next time. Call it only
// after a successful login, so a mistyped password is never kept.
func Remember(k Keyring, user, host string, secret shell.Secret) error {
	if k == nil {
		k = osKeyring{}
	}
	if err := k.Set(KeyringService, KeyringUser(user, host), secret.Reveal()); err != nil {
		return fmt.Errorf("storing the password for %s@%s in the OS keyring: %w", user, host, err)
	}
	return nil
}

// Forget removes a stored password (after a failed login with it, or when
// the user asks). A password that was never stored is not an error.
func Forget(k Keyring, user, host string) error {
	if k == nil {
		k = osKeyring{}
	}
	if err := k.Delete(KeyringService, KeyringUser(user, host)); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("removing the password for %s@%s from the OS keyring: %w", user, host, err)
	}
	return nil
}
