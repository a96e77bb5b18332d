package netx

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Client is a hardened HTTP client for probes: it resolves names through
// the configured DNS server, verifies TLS against the configured roots
// (unless Insecure), caps bodies, follows at most MaxRedirects redirects
// and bounds each phase in time. It is safe for concurrent use.
type Client struct {
	cfg Config
	tr  *http.Transport
}

// NewClient builds a Client; it fails only when cfg.CAFile is unusable.
func NewClient(cfg Config) (*Client, error) {
	cfg = cfg.WithDefaults()
	tlsCfg, err := cfg.TLSConfig("") // the transport fills ServerName per host
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{
		DialContext:            NewDialer(cfg).DialContext,
		TLSClientConfig:        tlsCfg,
		TLSHandshakeTimeout:    cfg.TLSTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		MaxResponseHeaderBytes: 256 << 10,
		// Probes are one-shot; idle connections would only outlive them.
		DisableKeepAlives: true,
	}
	if cfg.UseProxyEnv {
		tr.Proxy = http.ProxyFromEnvironment
	}
	return &Client{cfg: cfg, tr: tr}, nil
}

// Config returns the effective configuration (defaults filled in).
func (c *Client) Config() Config { return c.cfg }

// Insecure reports whether certificate verification is off.
func (c *Client) Insecure() bool { return c.cfg.Insecure }

// Redirect is one hop of a redirect chain.
type Redirect struct {
	From       string
	StatusCode int
	To         string
}

// Response is what came back. Body holds at most Config.MaxBody bytes.
type Response struct {
	URL           string // as asked
	FinalURL      string // after redirects
	Proto         string // "HTTP/1.1"
	Status        string // "401 Unauthorized"
	StatusCode    int
	Header        http.Header
	ContentLength int64 // as announced; -1 when unknown
	Body          []byte
	Size          int64 // body bytes received (MaxBody+1 when Truncated)
	Truncated     bool  // the body went past MaxBody and was cut
	Redirects     []Redirect
	RemoteAddr    string               // IP:port that answered
	TLS           *tls.ConnectionState // nil for plain HTTP
	Insecure      bool                 // verification was off for this request
	Elapsed       time.Duration
}

// StatusLine returns e.g. "HTTP/1.1 401 Unauthorized".
func (r *Response) StatusLine() string { return strings.TrimSpace(r.Proto + " " + r.Status) }

// ContentType returns the Content-Type header.
func (r *Response) ContentType() string { return r.Header.Get("Content-Type") }

// RedirectChain returns "a -> b -> c", or "" with no redirects.
func (r *Response) RedirectChain() string { return chain(r.Redirects) }

func chain(hops []Redirect) string {
	if len(hops) == 0 {
		return ""
	}
	parts := []string{hops[0].From}
	for _, h := range hops {
		parts = append(parts, h.To)
	}
	return strings.Join(parts, " -> ")
}

// phases records how far a request got, to name the phase a timeout hit.
type phases struct {
	tlsStarted, tlsDone, wrote, firstByte, bodyTimedOut atomic.Bool
	remote                                              atomic.Value // string
	// budget is the time the caller's context had left when the request
	// started (0: no deadline), so a timeout message quotes the limit
	// that applied rather than a longer configured one.
	budget time.Duration
}

// applied is the time limit that bound a phase configured to last at most
// configured: the caller's remaining time when that was shorter.
func (p *phases) applied(configured time.Duration) string {
	if p.budget > 0 && p.budget < configured {
		return fmt.Sprintf("%s (the time the caller had left)", p.budget.Round(100*time.Millisecond))
	}
	return configured.String()
}

func (p *phases) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		TLSHandshakeStart:    func() { p.tlsStarted.Store(true) },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { p.tlsDone.Store(true) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { p.wrote.Store(true) },
		GotFirstResponseByte: func() { p.firstByte.Store(true) },
		GotConn: func(i httptrace.GotConnInfo) {
			if i.Conn != nil {
				p.remote.Store(i.Conn.RemoteAddr().String())
			}
		},
	}
}

// Get sends a GET. header may be nil. When err is not nil, the Response is
// still returned if headers arrived (e.g. body too large or too slow,
// redirect limit), so callers can show the status line and chain.
func (c *Client) Get(ctx context.Context, rawURL string, header http.Header) (*Response, error) {
	return c.get(ctx, rawURL, header, true)
}

// GetHeaders is Get without the body: it returns as soon as the status
// line and headers arrived (Body is empty), so a body that trickles or
// never ends cannot cost an answer whose headers already said everything
// (a 401 and its challenges).
func (c *Client) GetHeaders(ctx context.Context, rawURL string, header http.Header) (*Response, error) {
	return c.get(ctx, rawURL, header, false)
}

func (c *Client) get(ctx context.Context, rawURL string, header http.Header, withBody bool) (*Response, error) {
	start := time.Now()
	u, err := checkURL(rawURL)
	if err != nil {
		return nil, err
	}
	ph := &phases{}
	if d, ok := ctx.Deadline(); ok {
		ph.budget = max(time.Until(d), time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, ph.trace()), http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Target: rawURL, Err: err, Message: fmt.Sprintf("bad URL %q: %v", rawURL, err)}
	}
	for k, vs := range header {
		req.Header[k] = append([]string(nil), vs...)
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	out := &Response{URL: rawURL, FinalURL: u.String(), Insecure: c.cfg.Insecure, ContentLength: -1}
	hc := &http.Client{Transport: c.tr, CheckRedirect: c.redirectPolicy(out)}
	resp, err := hc.Do(req)
	if resp != nil {
		fill(out, resp, ph)
	}
	if err != nil {
		out.Elapsed = time.Since(start)
		if resp == nil {
			out = nil
		}
		return out, c.classify(ctx, err, u, ph)
	}
	defer resp.Body.Close()
	if !withBody {
		out.Elapsed = time.Since(start)
		return out, nil
	}
	err = c.readBody(ctx, cancel, resp, out, ph)
	out.Elapsed = time.Since(start)
	return out, err
}

func checkURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	bad := func(why string) error {
		return &Error{Kind: KindBadURL, Target: rawURL, Err: err, Message: fmt.Sprintf("bad URL %q: %s", rawURL, why),
			Hint: "expected e.g. https://autodiscover.contoso.com/autodiscover/metadata/json/1"}
	}
	switch {
	case err != nil:
		return nil, bad(err.Error())
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, bad("the scheme must be https or http")
	case u.Hostname() == "":
		return nil, bad("no host name")
	}
	return u, nil
}

func fill(out *Response, resp *http.Response, ph *phases) {
	out.Proto, out.Status, out.StatusCode = resp.Proto, resp.Status, resp.StatusCode
	out.Header, out.ContentLength, out.TLS = resp.Header, resp.ContentLength, resp.TLS
	if resp.Request != nil && resp.Request.URL != nil {
		out.FinalURL = resp.Request.URL.String()
	}
	if s, ok := ph.remote.Load().(string); ok {
		out.RemoteAddr = s
	}
}

// readBody reads at most MaxBody bytes within BodyTimeout.
func (c *Client) readBody(ctx context.Context, cancel context.CancelFunc, resp *http.Response, out *Response, ph *phases) error {
	timer := time.AfterFunc(c.cfg.BodyTimeout, func() { ph.bodyTimedOut.Store(true); cancel() })
	defer timer.Stop()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBody+1))
	out.Size = int64(len(body))
	if int64(len(body)) > c.cfg.MaxBody {
		out.Body, out.Truncated = body[:c.cfg.MaxBody], true
		return &Error{Kind: KindBodyTooLarge, Target: out.FinalURL,
			Message: fmt.Sprintf("body larger than %s from %s; stopped reading", humanSize(c.cfg.MaxBody), out.FinalURL),
			Hint:    "a metadata document is a few KiB; is the URL right?"}
	}
	out.Body = body
	// The timer's cancel can end the read as a clean EOF rather than an
	// error (the connection closes mid-chunk on some paths), so whether the
	// deadline passed is asked first, not only when the read failed.
	if ph.bodyTimedOut.Load() {
		return &Error{Kind: KindBodyTimeout, Target: out.FinalURL, Err: err,
			Message: fmt.Sprintf("body from %s not complete within %s (%d bytes so far)", out.FinalURL, ph.applied(c.cfg.BodyTimeout), len(body)),
			Hint:    "the server sends too slowly or never finishes the response"}
	}
	if err == nil {
		return nil
	}
	return c.classify(ctx, err, resp.Request.URL, ph)
}

func (c *Client) redirectPolicy(out *Response) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if c.cfg.MaxRedirects < 0 {
			return http.ErrUseLastResponse
		}
		hop := Redirect{From: via[len(via)-1].URL.String(), To: req.URL.String()}
		if req.Response != nil {
			hop.StatusCode = req.Response.StatusCode
		}
		// A request that started on TLS never continues without it: what
		// comes back over plain http (a metadata document's signing keys,
		// a Bearer challenge) could come from anyone in the network path.
		if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return &Error{Kind: KindInsecureRedirect, Target: out.URL,
				Message: fmt.Sprintf("%s redirected from https to plain http (%s -> %s); not followed", out.URL, hop.From, hop.To),
				Hint:    "what comes back without TLS could come from anyone in the network path: fix the IIS HTTP Redirect or the load balancer rule that drops to http"}
		}
		// via holds the requests already made, so len(via)-1 redirects
		// were followed; this one would be number len(via).
		if len(via) > c.cfg.MaxRedirects {
			return &Error{Kind: KindTooManyRedirects, Target: out.URL,
				Message: fmt.Sprintf("stopped after %d redirects: %s; the next pointed to %s", len(out.Redirects), chain(out.Redirects), hop.To),
				Hint:    "a chain this long is unusual: a wrong virtual directory, or a sign-in redirect"}
		}
		out.Redirects = append(out.Redirects, hop)
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return &Error{Kind: KindRedirectLoop, Target: out.URL,
					Message: "redirect loop: " + chain(out.Redirects),
					Hint:    "the server sends the client back where it started; check the IIS HTTP Redirect settings"}
			}
		}
		return nil
	}
}

// CrossHost returns the first and last host of a redirect chain that
// left the host it started on ("", "" when every hop stayed on it).
func CrossHost(hops []Redirect) (from, to string) {
	if len(hops) == 0 {
		return "", ""
	}
	first, err1 := url.Parse(hops[0].From)
	last, err2 := url.Parse(hops[len(hops)-1].To)
	if err1 != nil || err2 != nil || strings.EqualFold(first.Hostname(), last.Hostname()) {
		return "", ""
	}
	return first.Hostname(), last.Hostname()
}

func humanSize(n int64) string {
	switch {
	case n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// errorsAs is errors.As on a fresh target; it keeps classify readable.
func errorsAs[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}
