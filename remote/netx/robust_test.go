package netx

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/internal/testdns"
	"github.com/ucpilot/ucpilot/remote/internal/testenv"
)

// hostile serves the misbehaviours a probe must survive.
func hostile() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for i := 0; i < 64 && r.Context().Err() == nil; i++ { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("{"))
		for {
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
				w.Write([]byte(" "))
			}
		}
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/b", http.StatusFound) })
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/a", http.StatusFound) })
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			w.Write([]byte("arrived"))
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/drop", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	return mux
}

func TestHostileServers(t *testing.T) {
	env := testenv.New(t)
	base := env.Serve(t, "web.contoso.lab", hostile())
	// Only the two servers that never finish get short deadlines: they
	// cannot race, since no amount of load makes them answer in time. The
	// others get deadlines no busy machine reaches, so what they assert is
	// behaviour (a cut body, a loop, a limit), never speed. A deadline that
	// does not bite shows as a hung test, not as a slow one.
	slow := fast(env)
	slow.BodyTimeout, slow.HeaderTimeout = 300*time.Millisecond, 300*time.Millisecond
	roomy := fast(env)
	roomy.BodyTimeout, roomy.HeaderTimeout, roomy.Timeout = time.Minute, time.Minute, 2*time.Minute
	tests := []struct {
		path string
		cfg  Config
		kind Kind
		say  string
	}{
		{"/huge", roomy, KindBodyTooLarge, "body larger than 1 MiB"},
		{"/trickle", slow, KindBodyTimeout, "not complete within 300ms"},
		{"/hang", slow, KindHeaderTimeout, "no response headers from web.contoso.lab"},
		{"/loop/a", roomy, KindRedirectLoop, "/loop/a -> " + base + "/loop/b -> " + base + "/loop/a"},
		{"/hop/4", roomy, KindTooManyRedirects, "stopped after 3 redirects: " + base + "/hop/4 -> " + base + "/hop/3 -> " + base + "/hop/2 -> " + base + "/hop/1; the next pointed to " + base + "/hop/0"},
		{"/drop", roomy, KindConnectionClosed, "closed the connection"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := client(t, tc.cfg).Get(context.Background(), base+tc.path, nil)
			wantKind(t, err, tc.kind, tc.say)
			switch tc.kind {
			case KindBodyTooLarge:
				if resp == nil || !resp.Truncated || len(resp.Body) != 1<<20 || resp.StatusCode != 200 {
					t.Fatalf("want a truncated 1 MiB response, got %+v", resp)
				}
			case KindTooManyRedirects:
				if resp == nil || len(resp.Redirects) != 3 || resp.Redirects[0].StatusCode != 301 {
					t.Fatalf("redirects %+v", resp)
				}
			}
		})
	}
	c := client(t, roomy)
	resp, err := c.Get(context.Background(), base+"/hop/3", nil)
	if err != nil || string(resp.Body) != "arrived" || len(resp.Redirects) != 3 || resp.FinalURL != base+"/hop/0" {
		t.Fatalf("three redirects must be followed: %v %+v", err, resp)
	}
	if !strings.Contains(resp.RedirectChain(), "/hop/3 -> ") {
		t.Fatalf("chain %q", resp.RedirectChain())
	}
}

func TestNoRedirectsWhenNegative(t *testing.T) {
	env := testenv.New(t)
	base := env.Serve(t, "web.contoso.lab", hostile())
	cfg := fast(env)
	cfg.MaxRedirects = -1
	resp, err := client(t, cfg).Get(context.Background(), base+"/hop/2", nil)
	if err != nil || resp.StatusCode != 301 || resp.Header.Get("Location") != "/hop/1" {
		t.Fatalf("%v %+v", err, resp)
	}
}

func TestConnectFailures(t *testing.T) {
	env := testenv.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	// A listener that accepts and never speaks: a TLS handshake must time out.
	mute, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	go func() {
		for {
			conn, err := mute.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	env.DNS.Set("closed.contoso.lab", testdns.Entry{A: []string{"127.0.0.1"}})
	env.DNS.Set("noaddr.contoso.lab", testdns.Entry{})
	plain := env.ServePlain(t, "plain.contoso.lab", hostile())
	tests := []struct {
		url  string
		kind Kind
		say  string
	}{
		{fmt.Sprintf("https://closed.contoso.lab:%d/", closedPort), KindConnectRefused, "connection to closed.contoso.lab:"},
		{"https://nothere.contoso.lab/", KindDNSNotFound, "no such host nothere.contoso.lab at DNS server " + env.DNS.Addr},
		{"https://noaddr.contoso.lab/", KindDNSNoAddress, "has no A or AAAA record"},
		{"https://plain.contoso.lab:" + plain + "/", KindTLSNotTLS, "did not answer with TLS"},
		{"https://" + mute.Addr().String() + "/", KindTLSTimeout, "TLS handshake with 127.0.0.1:"},
		{"ftp://x/", KindBadURL, "scheme"},
		{"https:///nohost", KindBadURL, "no host"},
	}
	c := client(t, fast(env))
	for _, tc := range tests {
		_, err := c.Get(context.Background(), tc.url, nil)
		wantKind(t, err, tc.kind, tc.say)
	}
}

func TestCancel(t *testing.T) {
	env := testenv.New(t)
	base := env.Serve(t, "web.contoso.lab", hostile())
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := client(t, fast(env)).Get(ctx, base+"/hang", nil)
	wantKind(t, err, KindCanceled, "cancelled")
}

func TestCAFile(t *testing.T) {
	env := testenv.New(t)
	base := env.Serve(t, "pool01.contoso.lab", hostile())
	dir := t.TempDir()
	good := filepath.Join(dir, "ca.pem")
	os.WriteFile(good, env.CA.PEM(), 0o600)
	bad := filepath.Join(dir, "bad.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o600)

	cfg := fast(env)
	cfg.RootCAs, cfg.CAFile = nil, good // system roots plus the file
	resp, err := client(t, cfg).Get(context.Background(), base+"/hop/0", nil)
	if err != nil || string(resp.Body) != "arrived" {
		t.Fatalf("with the CA file: %v", err)
	}
	cfg.RootCAs = nil
	cfg.CAFile = ""
	_, err = client(t, cfg).Get(context.Background(), base+"/hop/0", nil)
	wantKind(t, err, KindTLSUnknownAuth)
	for _, f := range []string{bad, filepath.Join(dir, "missing.pem")} {
		cfg.CAFile = f
		_, err = NewClient(cfg)
		wantKind(t, err, KindConfig, f)
	}
}

// An https URL that redirects to plain http is refused: the answer could
// come from anyone in the path. The hop is named, and nothing is fetched
// over http.
func TestHTTPSToHTTPRedirectIsRefused(t *testing.T) {
	env := testenv.New(t)
	var plainHits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		w.Write([]byte(`{"keys":[]}`))
	}))
	defer plain.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("/metadata/json/1", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/metadata/json/1", http.StatusFound)
	})
	base := env.Serve(t, "web.contoso.lab", mux)
	resp, err := client(t, fast(env)).Get(context.Background(), base+"/metadata/json/1", nil)
	wantKind(t, err, KindInsecureRedirect, "redirected from https to plain http ("+base+"/metadata/json/1 -> "+plain.URL+"/metadata/json/1)")
	if plainHits.Load() != 0 {
		t.Errorf("the plain http URL was fetched %d times", plainHits.Load())
	}
	if resp == nil || resp.StatusCode != http.StatusFound {
		t.Errorf("the redirect's own answer should come back: %+v", resp)
	}
}

func TestCrossHost(t *testing.T) {
	hops := []Redirect{{From: "https://exch01.contoso.com/a", To: "https://exch01.contoso.com/b"}}
	if f, to := CrossHost(hops); f != "" || to != "" {
		t.Errorf("same host: %q %q", f, to)
	}
	hops = append(hops, Redirect{From: "https://exch01.contoso.com/b", To: "https://login.evil.example/c"})
	if f, to := CrossHost(hops); f != "exch01.contoso.com" || to != "login.evil.example" {
		t.Errorf("cross host: %q %q", f, to)
	}
}

// A timeout message quotes the limit that applied: the caller's deadline
// when it was shorter than the configured phase limit.
func TestTimeoutQuotesTheLimitThatApplied(t *testing.T) {
	env := testenv.New(t)
	base := env.Serve(t, "web.contoso.lab", hostile())
	cfg := fast(env)
	cfg.HeaderTimeout, cfg.Timeout = time.Hour, 2*time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := client(t, cfg).Get(ctx, base+"/hang", nil)
	if err == nil || strings.Contains(err.Error(), "1h0m0s") || !strings.Contains(err.Error(), "the time the caller had left") {
		t.Fatalf("hang with a 2s caller deadline and a 1h header limit: %v", err)
	}
}
