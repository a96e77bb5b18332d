package connect

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ucpilot/ucpilot/engine/profile"
	"github.com/ucpilot/ucpilot/remote/shell"
)

type fakeAsker struct {
	mu        sync.Mutex
	passwords int
	notes     []string
}

func (a *fakeAsker) Password(context.Context, string, ...string) (shell.Secret, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.passwords++
	return shell.NewSecret("pw"), nil
}
func (a *fakeAsker) YesNo(context.Context, string, string, ...string) (bool, error) {
	return false, nil
}
func (a *fakeAsker) Notify(msg string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.notes = append(a.notes, msg)
}

// Two commands on the same side at once log on once; nothing connects
// before the first command; a failed login is not kept, so the next
// command logs on again.
func TestPoolLogsOnOncePerSideAndNotBeforeItIsNeeded(t *testing.T) {
	p := profileWith(t, &profile.ShellConfig{Transport: profile.TransportSSH, Host: "fe01.contoso.com", User: "admin", Auth: "password"})
	pool := NewPool(p, func(shell.Secret) {}, &fakeAsker{})
	defer pool.Close()
	var opens atomic.Int32
	fail := atomic.Bool{}
	fail.Store(true)
	pool.OpenFunc = func(_ context.Context, _ *profile.Profile, side string, _ Options) (*Session, error) {
		opens.Add(1)
		if fail.Load() {
			return nil, errors.New("refused")
		}
		return &Session{Side: side, Shell: nopShell{"fe01"}}, nil
	}
	if got := pool.Sides(); len(got) != 1 || got[0] != SideSfB {
		t.Fatalf("sides %v, want [sfb]", got)
	}
	sh := pool.Shells()[SideSfB]
	if shells, _ := pool.Open(); shells != nil || opens.Load() != 0 {
		t.Fatalf("logged on before a command ran: %v, %d opens", shells, opens.Load())
	}
	if _, err := sh.Run(context.Background(), "x"); err == nil || pool.Get(SideSfB) != nil {
		t.Fatalf("a failed login must fail the command and not be kept (err %v)", err)
	}
	fail.Store(false)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := sh.Run(context.Background(), "x"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := opens.Load(); n != 2 {
		t.Errorf("%d logins, want 2 (the failed one, then one for both commands)", n)
	}
	shells, hostShell := pool.Open()
	if shells[SideSfB] == nil || hostShell == nil {
		t.Errorf("open sessions %v, host shell %v", shells, hostShell != nil)
	}
}
