package metadata

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/internal/testenv"
	"github.com/ucpilot/ucpilot/remote/netx"
)

// metadataServer serves the fixture and the ways a metadata URL goes wrong.
func metadataServer(t *testing.T) http.Handler {
	doc := fixture(t, "sharepoint-se-metadata-json-1.real.json")
	mux := http.NewServeMux()
	mux.HandleFunc("/autodiscover/metadata/json/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(doc)
	})
	mux.HandleFunc("/autodiscover/metadata/jason/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Server", "Microsoft-IIS/10.0")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`<html><head><title>404 - File or directory not found.</title></head></html>`))
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/autodiscover/metadata/json/1", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) { w.Write(doc[:200]) })
	mux.HandleFunc("/locked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", "Negotiate")
		w.WriteHeader(http.StatusUnauthorized)
	})
	mux.HandleFunc("/gateway", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Via", "1.1 proxy01")
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("<html><title>Error</title></html>"))
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte(" "), 2<<20))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			w.Write([]byte("{"))
			w.(http.Flusher).Flush()
			time.Sleep(20 * time.Millisecond)
		}
	})
	return mux
}

func TestFetch(t *testing.T) {
	env := testenv.New(t)
	base := env.Serve(t, "autodiscover.contoso.lab", metadataServer(t))
	c, err := netx.NewClient(netx.Config{DNSServer: env.DNS.Addr, RootCAs: env.CA.Pool(),
		HeaderTimeout: 300 * time.Millisecond, BodyTimeout: 300 * time.Millisecond, DNSTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	res, err := Fetch(ctx, c, base+"/moved")
	if err != nil {
		t.Fatal(err)
	}
	if res.Document == nil || res.StatusLine != "HTTP/1.1 200 OK" || res.ContentType != "application/json; charset=utf-8" ||
		res.FinalURL != base+"/autodiscover/metadata/json/1" || len(res.Redirects) != 1 || res.Size != 1832 || res.Insecure {
		t.Fatalf("result %+v", res)
	}
	if res.Document.Keys[0].X5t != "i_gz5qfYp5YPWAK1__0YhZnipLI" {
		t.Fatalf("x5t over the wire: %s", res.Document.Keys[0].X5t)
	}

	tests := []struct {
		path   string
		kind   ErrorKind
		netErr netx.Kind
		say    string
	}{
		{"/autodiscover/metadata/jason/1", KindIISError, "", `HTTP 404 Not Found, an IIS error page titled "404 - File or directory not found." instead of a metadata document`},
		{"/truncated", KindTruncated, "", "stops after 200 bytes"},
		{"/locked", KindAuthRequired, "", "HTTP 401 Unauthorized"},
		{"/gateway", KindProxyError, "", "a proxy error page"},
		{"/huge", "", netx.KindBodyTooLarge, "body larger than 1 MiB"},
		{"/slow", "", netx.KindHeaderTimeout, "no response headers"},
		{"/trickle", "", netx.KindBodyTimeout, "not complete within 300ms"},
		{"/loop", "", netx.KindRedirectLoop, "redirect loop"},
	}
	for _, tc := range tests {
		res, err := Fetch(ctx, c, base+tc.path)
		if err == nil {
			t.Fatalf("%s: no error, doc %+v", tc.path, res.Document)
		}
		if KindOf(err) != tc.kind || netx.KindOf(err) != tc.netErr {
			t.Errorf("%s: %v (kinds %q/%q)", tc.path, err, KindOf(err), netx.KindOf(err))
		}
		if !strings.Contains(err.Error(), tc.say) || (tc.kind != "" && !strings.Contains(err.Error(), base+tc.path)) {
			t.Errorf("%s: message %q", tc.path, err)
		}
		if tc.netErr != netx.KindHeaderTimeout && (res == nil || res.StatusCode == 0 || res.Document != nil) {
			t.Errorf("%s: result %+v", tc.path, res)
		}
	}
	if _, err := Fetch(ctx, c, "https://nothere.contoso.lab/"); netx.KindOf(err) != netx.KindDNSNotFound {
		t.Fatalf("unknown host: %v", err)
	}
}
