package metadata

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/ucpilot/ucpilot/remote/netx"
)

// FetchResult is what a GET of a metadata URL saw. It exists whenever
// response headers arrived, even if the document did not parse.
type FetchResult struct {
	URL         string
	FinalURL    string
	StatusLine  string // "HTTP/1.1 200 OK"
	StatusCode  int
	ContentType string
	Header      http.Header
	Redirects   []netx.Redirect
	Size        int64 // body bytes received
	Truncated   bool  // the body passed the size cap
	RemoteAddr  string
	Insecure    bool // TLS verification was off
	Elapsed     time.Duration
	Body        []byte    // raw, at most the client's MaxBody
	Document    *Document // nil unless the body parsed
}

// proxyHeaders betray a proxy or gateway that answered for the server.
var proxyHeaders = []string{"Via", "Proxy-Status", "X-Squid-Error", "Proxy-Agent", "X-Zscaler-Transaction-Id"}

// Fetch GETs url anonymously and parses the body. The error is a
// *netx.Error when the exchange failed, or a *ParseError (with URL and
// status filled in) when something other than a document came back; in
// the second case, and for a body that was too large or too slow, the
// FetchResult is returned too.
func Fetch(ctx context.Context, client *netx.Client, url string) (*FetchResult, error) {
	resp, err := client.Get(ctx, url, http.Header{"Accept": {"application/json"}})
	if resp == nil {
		return nil, err
	}
	res := &FetchResult{
		URL: resp.URL, FinalURL: resp.FinalURL, StatusLine: resp.StatusLine(), StatusCode: resp.StatusCode,
		ContentType: resp.ContentType(), Header: resp.Header, Redirects: resp.Redirects, Size: resp.Size,
		Truncated: resp.Truncated, RemoteAddr: resp.RemoteAddr, Insecure: resp.Insecure, Elapsed: resp.Elapsed,
		Body: resp.Body,
	}
	if err != nil {
		return res, err
	}
	h := httpHints{status: resp.StatusCode, server: resp.Header.Get("Server")}
	// A Via header alone is common on healthy paths through load
	// balancers; it only points at a proxy when the status is a gateway's.
	gatewayStatus := resp.StatusCode == 407 || (resp.StatusCode >= 502 && resp.StatusCode <= 504)
	for _, name := range proxyHeaders {
		if gatewayStatus && resp.Header.Get(name) != "" {
			h.proxy = true
		}
	}
	doc, err := parse(resp.Body, h)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.URL, pe.Status = resp.FinalURL, resp.Status
		}
		return res, err
	}
	res.Document = doc
	return res, nil
}
