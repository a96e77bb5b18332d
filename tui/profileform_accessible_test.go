package tui

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

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
	err := RunProfileForm(context.Background(), Options{Accessible: true, ProfilePath: path,
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
