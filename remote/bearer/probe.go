package bearer

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/netx"
)

// serverHeaders are the response headers that tell which server and
// build answered (Exchange front/back end, IIS, a proxy).
var serverHeaders = []string{"Server", "X-Powered-By", "X-AspNet-Version", "X-FEServer", "X-BEServer",
	"X-CalculatedBETarget", "X-OWA-Version", "Request-Id", "X-DiagInfo", "Via", "X-MS-Server-Fqdn",
	"Date"} // Date: the server's clock, compared across a fleet

// ProbeResult is what an empty-Bearer request saw.
type ProbeResult struct {
	URL         string
	FinalURL    string
	StatusLine  string // "HTTP/1.1 401 Unauthorized"
	StatusCode  int
	Schemes     []string    // schemes offered, in order
	Challenges  []Challenge // all challenges, parsed
	Bearer      *BearerChallenge
	Diagnostics []Diagnostic // x-ms-diagnostics / ms-diagnostics
	Server      http.Header  // the identifying headers present (see serverHeaders)
	Redirects   []netx.Redirect
	RemoteAddr  string
	Insecure    bool // TLS verification was off
	Elapsed     time.Duration
}

// Offers reports whether the server offered scheme.
func (r *ProbeResult) Offers(scheme string) bool {
	for _, s := range r.Schemes {
		if strings.EqualFold(s, scheme) {
			return true
		}
	}
	return false
}

// Probe sends GET url with "Authorization: Bearer" and no token, as an
// OAuth client discovering the realm would, and reads the challenges.
// The error is a *netx.Error when no response headers came back. Only the
// headers are read: the body of a 401 says nothing the challenge does not,
// and a body that trickles must not cost a complete challenge.
func Probe(ctx context.Context, client *netx.Client, url string) (*ProbeResult, error) {
	resp, err := client.GetHeaders(ctx, url, http.Header{"Authorization": {"Bearer"}})
	if resp == nil {
		return nil, err
	}
	res := &ProbeResult{
		URL: resp.URL, FinalURL: resp.FinalURL, StatusLine: resp.StatusLine(), StatusCode: resp.StatusCode,
		Redirects: resp.Redirects, RemoteAddr: resp.RemoteAddr, Insecure: resp.Insecure, Elapsed: resp.Elapsed,
		Server: http.Header{},
	}
	res.Challenges = ParseChallenges(resp.Header.Values("WWW-Authenticate"))
	for _, c := range res.Challenges {
		if c.Scheme != "" {
			res.Schemes = append(res.Schemes, c.Scheme)
		}
	}
	res.Bearer = FindBearer(res.Challenges)
	diag := append(resp.Header.Values("X-Ms-Diagnostics"), resp.Header.Values("Ms-Diagnostics")...)
	res.Diagnostics = ParseDiagnostics(diag)
	for _, h := range serverHeaders {
		if v := resp.Header.Values(h); len(v) > 0 {
			res.Server[http.CanonicalHeaderKey(h)] = v
		}
	}
	switch netx.KindOf(err) {
	case "", netx.KindBodyTooLarge, netx.KindBodyTimeout:
		return res, nil
	}
	return res, err // e.g. a redirect limit: the last response is still shown
}
