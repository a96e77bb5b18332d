package profileform

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/engine/profile"
)

// The accessible profile form asks one question per line, refuses a bad
// answer with the rule it broke, and saves a profile that loads again.
func TestRunProfileFormAccessible(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profile.yaml")
	answers := strings.Join([]string{
		"1",                  // topology: onprem
		"contoso.com",        // domain
		"",                   // tenant_id
		"",                   // test_sip_uri
		"exch 01",            // exchange.fqdn: not a hostname, asked again
		"exch01.contoso.com", // exchange.fqdn
		"", "", "",           // autodiscover, metadata_url, ews_url: defaults
		"pool01.contoso.com", // sfb.pool
		"", "",               // web_external, metadata_url
		"",  // tls.ca_file
		"n", // tls.insecure
		"",  // dns.server
	}, "\n") + "\n"
	var out bytes.Buffer
	err := Run(context.Background(), RunOptions{Accessible: true, Path: path,
		Input: &lineReader{rest: answers}, Output: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "not a valid hostname") {
		t.Errorf("the bad host name was not refused with its rule:\n%s", out.String())
	}
	if strings.Contains(out.String(), "\x1b[") {
		t.Errorf("accessible output carries escape codes:\n%q", out.String())
	}
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Exchange.FQDN != "exch01.contoso.com" || p.SfB.Pool != "pool01.contoso.com" || p.Domain != "contoso.com" {
		t.Errorf("saved profile %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("saved profile does not validate: %v", err)
	}
}

// lineReader hands out one line per Read, as a terminal in line mode does;
// huh's accessible prompts read each answer with a fresh scanner.
type lineReader struct{ rest string }

func (r *lineReader) Read(p []byte) (int, error) {
	if r.rest == "" {
		return 0, io.EOF
	}
	line := r.rest
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	n := copy(p, line)
	r.rest = r.rest[n:]
	return n, nil
}

// Each prompt says what the key is for, a choice takes its value as well
// as its number, and Ctrl+C (the context ending) leaves at once with
// ErrInterrupted instead of asking again.
func TestProfileFormAccessibleDescribesAcceptsNamesAndLeaves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profile.yaml")
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, RunOptions{Accessible: true, Path: path, Input: pr, Output: &out})
	}()
	if _, err := io.WriteString(pw, "hybrid\ncontoso.com\n"); err != nil {
		t.Fatal(err)
	}
	// The third question is on screen once both answers were taken.
	out.waitFor(t, "tenant_id (Enter")
	cancel() // what Ctrl+C does: the signal ends the context
	if err := <-done; !errors.Is(err, ErrInterrupted) {
		t.Fatalf("after Ctrl+C RunProfileForm returned %v, want ErrInterrupted", err)
	}
	s := out.String()
	for _, want := range []string{
		"topology: Where each side runs.", "2. hybrid",
		"domain: SIP / SMTP domain; also the OAuth realm.", "for example contoso.com",
		"tenant_id: Microsoft 365 tenant GUID",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the prompts lack %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Not accepted") {
		t.Errorf("the topology's name was refused:\n%s", s)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("an interrupted form saved the profile")
	}
}

// An answer that is neither a number nor a name is asked again; the end of
// the input before the form is complete saves nothing.
func TestProfileFormAccessibleEndOfInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "profile.yaml")
	var out bytes.Buffer
	err := Run(context.Background(), RunOptions{Accessible: true, Path: path,
		Input: strings.NewReader("cloud\n2\n"), Output: &out})
	if !errors.Is(err, ErrInputEnded) {
		t.Fatalf("RunProfileForm = %v, want ErrInputEnded at the end of the input", err)
	}
	if !strings.Contains(out.String(), "Not accepted: answer 1 to 3 or one of onprem, hybrid, sfbonline") {
		t.Errorf("a wrong choice was not asked again:\n%s", out.String())
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("an unfinished form saved the profile")
	}
}

// syncBuffer is an output the prompts write from another goroutine; waitFor
// wakes on every write (no polling, no sleeps).
type syncBuffer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	wake chan struct{}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.wake != nil {
		close(b.wake)
		b.wake = nil
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	limit := time.After(30 * time.Second)
	for {
		b.mu.Lock()
		if strings.Contains(b.buf.String(), want) {
			b.mu.Unlock()
			return
		}
		if b.wake == nil {
			b.wake = make(chan struct{})
		}
		wake := b.wake
		b.mu.Unlock()
		select {
		case <-wake:
		case <-limit:
			t.Fatalf("the output never showed %q:\n%s", want, b.String())
		}
	}
}
