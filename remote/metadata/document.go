// Package metadata fetches and reads server-to-server auth metadata
// documents (…/metadata/json/1) as served by Exchange, Lync/Skype for
// Business, SharePoint and ACS. Parsing is lenient about field-name case
// and missing fields, because real servers differ; anything that is not a
// metadata document is named (sign-in page, IIS error, proxy error, empty,
// truncated…) with a *ParseError.
package metadata

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // thumbprints are SHA-1 by definition
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// Document is a parsed metadata document. Every field but Keys may be
// empty; Keys has at least one entry with a value.
type Document struct {
	ID               string
	Version          string
	Name             string
	Realm            string
	ServiceName      string // the service's application id
	Issuer           string // "<appId>@<realm>"
	IssuerAppID      string // Issuer before '@'
	IssuerRealm      string // Issuer after '@'
	AllowedAudiences []string
	Keys             []Key
	Endpoints        []Endpoint
	// MoreKeys counts the keys past MaxKeys that were not decoded (a real
	// document has one to three), and MoreEntries the audiences and
	// endpoints past MaxKeys, so a junk document costs bounded work.
	MoreKeys, MoreEntries int
}

// MaxKeys bounds the keys decoded from one document (and the audiences
// and endpoints kept): the rest are only counted.
const MaxKeys = 100

// Key is one signing key of the document.
type Key struct {
	Usage       string            // as sent: "Signing", "signing"…
	Type        string            // as sent: "x509Certificate", "x509certificate"…
	Value       string            // the base64 DER text as sent
	DeclaredX5t string            // keyinfo.x5t, when the document carries one
	Cert        *x509.Certificate // nil when Value does not decode
	Thumbprint  string            // SHA-1 of the DER, uppercase hex, as Windows shows it
	X5t         string            // base64url SHA-1 of the DER, computed here
	Err         string            // why Value did not decode, or "" when it did
}

// Endpoint is one entry of "endpoints".
type Endpoint struct {
	Location string
	Protocol string
	Usage    string
}

// Certs returns the certificates that decoded.
func (d *Document) Certs() []*x509.Certificate {
	var out []*x509.Certificate
	for _, k := range d.Keys {
		if k.Cert != nil {
			out = append(out, k.Cert)
		}
	}
	return out
}

// FindThumbprint returns the key whose certificate has the thumbprint tp
// (any case, spaces and colons ignored), or nil.
func (d *Document) FindThumbprint(tp string) *Key {
	want := NormalizeThumbprint(tp)
	for i := range d.Keys {
		if want != "" && d.Keys[i].Thumbprint == want {
			return &d.Keys[i]
		}
	}
	return nil
}

// NormalizeThumbprint uppercases a thumbprint and drops the separators
// and invisible characters that copying from Windows dialogs adds.
func NormalizeThumbprint(tp string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(tp) {
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'F') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Thumbprint returns the SHA-1 of der in uppercase hex.
func Thumbprint(der []byte) string {
	sum := sha1.Sum(der) //nolint:gosec // identification, not security
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// X5t returns base64url(SHA-1(der)) without padding, the JWT x5t form.
func X5t(der []byte) string {
	sum := sha1.Sum(der) //nolint:gosec // identification, not security
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// obj is a JSON object looked up by case-insensitive field name.
type obj map[string]any

func (o obj) get(name string) any {
	if v, ok := o[name]; ok {
		return v
	}
	for k, v := range o {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

func (o obj) str(name string) string { return asString(o.get(name)) }

func (o obj) sub(name string) obj {
	m, _ := o.get(name).(map[string]any)
	return m
}

func (o obj) list(name string) []any {
	l, _ := o.get(name).([]any)
	return l
}

func asString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case json.Number:
		return t.String()
	case bool:
		return fmt.Sprint(t)
	}
	return ""
}

// Parse reads a metadata document leniently. Anything else yields a
// *ParseError naming what the bytes are instead.
func Parse(body []byte) (*Document, error) {
	return parse(body, httpHints{})
}

func parse(body []byte, h httpHints) (*Document, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if perr := classifyNonJSON(trimmed, h); perr != nil {
		return nil, perr
	}
	root, perr := decodeObject(trimmed)
	if perr != nil {
		return nil, perr
	}
	doc := &Document{
		ID: root.str("id"), Version: root.str("version"), Name: root.str("name"), Realm: root.str("realm"),
		ServiceName: root.str("serviceName"), Issuer: root.str("issuer"),
	}
	doc.IssuerAppID, doc.IssuerRealm, _ = strings.Cut(doc.Issuer, "@")
	for _, a := range root.list("allowedAudiences") {
		if s := asString(a); s != "" {
			if len(doc.AllowedAudiences) >= MaxKeys {
				doc.MoreEntries++
				continue
			}
			doc.AllowedAudiences = append(doc.AllowedAudiences, s)
		}
	}
	for _, e := range root.list("endpoints") {
		if m, ok := e.(map[string]any); ok {
			if len(doc.Endpoints) >= MaxKeys {
				doc.MoreEntries++
				continue
			}
			o := obj(m)
			doc.Endpoints = append(doc.Endpoints, Endpoint{Location: o.str("location"), Protocol: o.str("protocol"), Usage: o.str("usage")})
		}
	}
	for _, k := range root.list("keys") {
		if m, ok := k.(map[string]any); ok {
			if len(doc.Keys) >= MaxKeys {
				if obj(m).sub("keyValue").str("value") != "" {
					doc.MoreKeys++
				}
				continue
			}
			if key, ok := parseKey(obj(m)); ok {
				doc.Keys = append(doc.Keys, key)
			}
		}
	}
	if len(doc.Keys) == 0 {
		return nil, noKeys(root)
	}
	return doc, nil
}

func parseKey(o obj) (Key, bool) {
	kv := o.sub("keyValue")
	k := Key{Usage: o.str("usage"), Type: kv.str("type"), Value: kv.str("value"), DeclaredX5t: o.sub("keyInfo").str("x5t")}
	if k.Value == "" {
		return k, false
	}
	der, err := decodeDER(k.Value)
	if err != nil {
		k.Err = err.Error()
		return k, true
	}
	k.Thumbprint, k.X5t = Thumbprint(der), X5t(der)
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		k.Err = "the key value is base64 but not an X.509 certificate: " + err.Error()
		return k, true
	}
	k.Cert = cert
	return k, true
}

// decodeDER accepts the base64 flavours (and stray PEM armour or line
// breaks) seen when documents are hand-made or re-serialised.
func decodeDER(v string) ([]byte, error) {
	v = strings.TrimPrefix(v, "-----BEGIN CERTIFICATE-----")
	v = strings.TrimSuffix(v, "-----END CERTIFICATE-----")
	v = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, v)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if der, err := enc.DecodeString(v); err == nil {
			return der, nil
		}
	}
	return nil, fmt.Errorf("the key value is not valid base64 (%d characters)", len(v))
}
