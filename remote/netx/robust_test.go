package netx

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	cfg := fast(env)
	cfg.BodyTimeout, cfg.HeaderTimeout = 300*time.Millisecond, 300*time.Millisecond
	c := client(t, cfg)
	tests := []struct {
		path string
		kind Kind
		say  string
	}{
		{"/huge", KindBodyTooLarge, "body larger than 1 MiB"},
		{"/trickle", KindBodyTimeout, "not complete within 300ms"},
		{"/hang", KindHeaderTimeout, "no response headers from web.contoso.lab"},
		{"/loop/a", KindRedirectLoop, "/loop/a -> " + base + "/loop/b -> " + base + "/loop/a"},
		{"/hop/4", KindTooManyRedirects, "stopped after 3 redirects"},
		{"/drop", KindConnectionClosed, "closed the connection"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			start := time.Now()
			resp, err := c.Get(context.Background(), base+tc.path, nil)
			wantKind(t, err, tc.kind, tc.say)
			if d := time.Since(start); d > 2500*time.Millisecond {
				t.Errorf("took %v; the timeouts did not bite", d)
			}
			switch tc.kind {
			case KindBodyTooLarge:
				if resp == nil || !resp.Truncated || len(resp.Body) != 1<<20 || resp.StatusCode != 200 {
					t.Fatalf("want a truncated 1 MiB response, got %+v", resp)
				}
			case KindTooManyRedirects:
				if resp == nil || len(resp.Redirects) != 4 || resp.Redirects[0].StatusCode != 301 {
					t.Fatalf("redirects %+v", resp)
				}
			}
		})
	}
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
