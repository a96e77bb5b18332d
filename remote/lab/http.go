package lab

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"strings"

	"crypto/sha1" //nolint:gosec // x5t is SHA-1 by definition
)

// exchangeHosts and poolHosts are the names each product answers on.
var (
	exchangeHosts = map[string]bool{"autodiscover": true, "exch01": true, "mail": true}
	poolHosts     = map[string]bool{"pool01": true, "fe01": true, "fe02": true, "webext": true}
)

func (l *Lab) routes() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.state.mu.Lock()
		status, hdr, body := l.respond(l.state, r.Host, r.URL.Path)
		l.state.mu.Unlock()
		for k, vs := range hdr {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// respond computes the answer for host + path from the state; the caller
// holds s.mu. The HTTPS server and the shells' Invoke-WebRequest share it.
func (l *Lab) respond(s *State, hostport, urlPath string) (int, http.Header, []byte) {
	h := hostport
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	label, _, _ := strings.Cut(strings.ToLower(h), ".")
	p := strings.ToLower(urlPath)
	hdr := http.Header{"Server": {"Microsoft-IIS/10.0"}}
	var doc *metadataDoc
	// In a fleet every server answers for itself: exch07 with its own
	// virtual directories, fe06 with the certificate it signs with.
	sv, fe := s.server(label), s.frontEnd(label)
	isPool := strings.HasPrefix(label, "pool") && s.DNS[strings.ToLower(h)].A != nil
	switch {
	case (exchangeHosts[label] || sv != nil) && p == "/autodiscover/metadata/json/1":
		doc = l.exchangeDoc(s)
	case (poolHosts[label] || fe != nil || isPool) && p == "/metadata/json/1":
		doc = l.poolDoc(s, fe)
	case (exchangeHosts[label] || sv != nil) && (p == "/ews/exchange.asmx" || p == "/autodiscover/autodiscover.svc"):
		return http.StatusUnauthorized, l.challenge(s, sv, hdr, p == "/ews/exchange.asmx"), nil
	}
	if doc == nil {
		hdr.Set("Content-Type", "text/html")
		return http.StatusNotFound, hdr, []byte(notFoundPage)
	}
	body, _ := json.Marshal(doc)
	hdr.Set("Content-Type", "application/json; charset=utf-8")
	return http.StatusOK, hdr, body
}

// notFoundPage imitates IIS's 404 page.
const notFoundPage = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"><html><head><title>404 - File or directory not found.</title></head>` +
	`<body><div id="header"><h1>Server Error</h1></div><h2>404 - File or directory not found.</h2></body></html>`

type keyValue struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}
type keyInfo struct {
	X5t string `json:"x5t"`
}
type docKey struct {
	Usage    string   `json:"usage"`
	KeyInfo  keyInfo  `json:"keyinfo"`
	KeyValue keyValue `json:"keyvalue"`
}
type endpoint struct {
	Location string `json:"location"`
	Protocol string `json:"protocol"`
	Usage    string `json:"usage"`
}
type metadataDoc struct {
	ID               string     `json:"id"`
	Version          string     `json:"version"`
	Name             string     `json:"name"`
	Realm            string     `json:"realm"`
	ServiceName      string     `json:"serviceName"`
	Issuer           string     `json:"issuer"`
	AllowedAudiences []string   `json:"allowedAudiences"`
	Keys             []docKey   `json:"keys"`
	Endpoints        []endpoint `json:"endpoints"`
}

func certKey(c *Cert) docKey {
	sum := sha1.Sum(c.DER) //nolint:gosec // identification only
	return docKey{Usage: "signing", KeyInfo: keyInfo{X5t: base64.RawURLEncoding.EncodeToString(sum[:])},
		KeyValue: keyValue{Type: "x509Certificate", Value: base64.StdEncoding.EncodeToString(c.DER)}}
}

// exchangeDoc is Exchange's document: current and (once staged) next auth
// certificate. Exchange's realm is the domain unless Set-AuthConfig set one.
func (l *Lab) exchangeDoc(s *State) *metadataDoc {
	realm := s.Exchange.AuthConfig.Realm
	if realm == "" {
		realm = s.Domain
	}
	id := s.Exchange.AuthConfig.ServiceName
	doc := &metadataDoc{ID: "_b4a6c8d0-1e3f-4a5b-8c7d-9e0f1a2b3c4d", Version: "1.0", Name: "Exchange", Realm: realm,
		ServiceName: id, Issuer: id + "@" + realm, AllowedAudiences: []string{id + "@" + realm},
		Endpoints: []endpoint{{Location: s.exchangeMetadataURL(), Protocol: "OAuth2", Usage: "metadata"}}}
	for _, tp := range []string{s.Exchange.AuthConfig.Current, s.Exchange.AuthConfig.Next} {
		if c := s.exchangeCert(tp); c != nil {
			doc.Keys = append(doc.Keys, certKey(c))
		}
	}
	return doc
}

// poolDoc is the pool's document as Front End fe answers it (nil: the
// first Front End, which answers for the pool's name).
func (l *Lab) poolDoc(s *State, fe *FrontEnd) *metadataDoc {
	if len(s.SfB.FrontEnds) == 0 {
		return nil
	}
	if fe == nil {
		fe = &s.SfB.FrontEnds[0]
	}
	o := s.SfB.OAuth
	doc := &metadataDoc{ID: "_5e7a9c1b-3d5f-4b7a-9c1e-3f5a7b9c1d3e", Version: "1.0", Name: "Skype for Business Server",
		Realm: o.Realm, ServiceName: o.ServiceName, Issuer: o.ServiceName + "@" + o.Realm,
		AllowedAudiences: []string{o.ServiceName + "@" + o.Realm},
		Endpoints:        []endpoint{{Location: s.poolMetadataURL(), Protocol: "OAuth2", Usage: "metadata"}}}
	if c := s.sfbCert(fe.OAuthThumb); c != nil {
		doc.Keys = append(doc.Keys, certKey(c))
	}
	return doc
}

// challenge answers EWS / Autodiscover like IIS with Exchange's auth
// modules: 401 with a Bearer challenge when OAuth is effective on the
// virtual directory, then Negotiate and NTLM.
func (l *Lab) challenge(s *State, sv *ExchangeServer, h http.Header, ews bool) http.Header {
	oauth := false
	if sv == nil && len(s.Exchange.Servers) > 0 {
		sv = &s.Exchange.Servers[0] // the load-balanced names land on the first
	}
	if sv != nil {
		v := sv.Autodiscover
		if ews {
			v = sv.EWS
		}
		oauth = v.EffectiveOAuth
	}
	h.Set("X-Powered-By", "ASP.NET")
	h.Set("request-id", "3f1e5d7c-9b2a-4c6e-8f0a-1b3d5f7a9c2e")
	if oauth {
		h.Add("WWW-Authenticate", `Bearer client_id="`+AppExchange+`", trusted_issuers="`+strings.Join(s.trustedIssuers(), ",")+
			`", token_types="app_asserted_user_v1 service_asserted_app_v1"`)
	}
	h.Add("WWW-Authenticate", "Negotiate")
	h.Add("WWW-Authenticate", "NTLM")
	h.Set("Content-Length", "0")
	return h
}
