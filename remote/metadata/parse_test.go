package metadata

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/pki"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// acsPrefix returns the JSON part of the ACS capture: its third line.
func acsPrefix(t testing.TB) []byte {
	lines := strings.Split(string(fixture(t, "acs-metadata-json-1.prefix-only.real.txt")), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "{") {
			return []byte(l)
		}
	}
	t.Fatal("no JSON line in the ACS fixture")
	return nil
}

func TestParseSharePointFixture(t *testing.T) {
	doc, err := Parse(fixture(t, "sharepoint-se-metadata-json-1.real.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Keys) != 1 {
		t.Fatalf("%d keys", len(doc.Keys))
	}
	k := doc.Keys[0]
	if !strings.EqualFold(k.Thumbprint, "8bf833e6a7d8a7960f5802b5fffd188599e2a4b2") || k.Thumbprint != strings.ToUpper(k.Thumbprint) {
		t.Errorf("thumbprint %s", k.Thumbprint)
	}
	if k.X5t != "i_gz5qfYp5YPWAK1__0YhZnipLI" {
		t.Errorf("x5t %s", k.X5t)
	}
	if k.Usage != "Signing" || k.Type != "x509certificate" || k.Err != "" {
		t.Errorf("usage %q type %q err %q", k.Usage, k.Type, k.Err)
	}
	if k.Cert == nil || k.Cert.Subject.CommonName != "SharePoint Security Token Service" {
		t.Fatalf("cert %v", k.Cert)
	}
	const app = "00000003-0000-0ff1-ce00-000000000000"
	if doc.IssuerAppID != app || doc.IssuerRealm != "af90cc03-4a26-45e9-906a-609cebcebbde" ||
		doc.ServiceName != app || doc.Name != app {
		t.Errorf("doc %+v", doc)
	}
	if doc.FindThumbprint("8b f8 33 e6 a7 d8 a7 96 0f 58 02 b5 ff fd 18 85 99 e2 a4 b2") == nil {
		t.Error("FindThumbprint missed a spaced lowercase thumbprint")
	}
	if doc.FindThumbprint("") != nil || len(doc.Certs()) != 1 {
		t.Error("empty thumbprint matched, or Certs wrong")
	}
}

// exchangeShape builds a document in the shape expected from Exchange and
// Lync (lowercase keyvalue, keyinfo, endpoints), around a fresh cert.
func exchangeShape(t testing.TB, value string) []byte {
	return []byte(fmt.Sprintf(`{"id":"_7a1f","version":"1.0","name":"Exchange","realm":"contoso.com",
	"serviceName":"00000002-0000-0ff1-ce00-000000000000",
	"issuer":"00000002-0000-0ff1-ce00-000000000000@contoso.com",
	"allowedAudiences":["00000002-0000-0ff1-ce00-000000000000@contoso.com"],
	"keys":[{"usage":"signing","keyinfo":{"x5t":"abc"},"keyvalue":{"type":"x509Certificate","value":%q}},
	        {"usage":"signing","keyvalue":{"type":"x509Certificate","value":"not base64!"}}],
	"endpoints":[{"location":"https://mail.contoso.com/autodiscover/metadata/json/1","protocol":"OAuth2","usage":"metadata"}]}`, value))
}

func TestParseLenientShapes(t *testing.T) {
	now := time.Now()
	_, cert, err := pki.SelfSigned([]string{"Microsoft Exchange Server Auth Certificate"}, now, now.Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(cert.Raw)
	armoured := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	for name, value := range map[string]string{"plain": b64, "pem": armoured, "raw-url": base64.RawURLEncoding.EncodeToString(cert.Raw)} {
		doc, err := Parse(exchangeShape(t, value))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(doc.Keys) != 2 || doc.Keys[0].Thumbprint != Thumbprint(cert.Raw) || doc.Keys[0].DeclaredX5t != "abc" {
			t.Fatalf("%s: keys %+v", name, doc.Keys)
		}
		if doc.Keys[1].Cert != nil || !strings.Contains(doc.Keys[1].Err, "not valid base64") {
			t.Fatalf("%s: bad key %+v", name, doc.Keys[1])
		}
		if doc.Realm != "contoso.com" || doc.IssuerRealm != "contoso.com" || len(doc.AllowedAudiences) != 1 ||
			len(doc.Endpoints) != 1 || doc.Endpoints[0].Protocol != "OAuth2" || doc.Version != "1.0" {
			t.Fatalf("%s: doc %+v", name, doc)
		}
	}
	// Field names in any case, numbers where strings were expected.
	upper := fmt.Sprintf(`{"KEYS":[{"USAGE":"Signing","KEYVALUE":{"TYPE":"X509CERTIFICATE","VALUE":%q}}],"Version":1}`, b64)
	doc, err := Parse([]byte("\xef\xbb\xbf  " + upper))
	if err != nil || doc.Keys[0].Cert == nil || doc.Version != "1" {
		t.Fatalf("upper-case fields: %v %+v", err, doc)
	}
	// base64 of something that is not a certificate: reported on the key.
	doc, err = Parse([]byte(`{"keys":[{"keyValue":{"value":"aGVsbG8="}}]}`))
	if err != nil || !strings.Contains(doc.Keys[0].Err, "not an X.509 certificate") || doc.Keys[0].Thumbprint == "" {
		t.Fatalf("non-cert key: %v %+v", err, doc)
	}
}

func TestParseNotDocuments(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		kind  ErrorKind
		title string
		say   string
	}{
		{"empty", "", KindEmpty, "", "an empty body"},
		{"blank", " \r\n\t", KindEmpty, "", ""},
		{"adfs", `<html><head><title>Sign In</title></head><body><form action="/adfs/ls/?wa=wsignin1.0"><input type="password" name="Password"></form></body></html>`, KindSignInPage, "Sign In", "a sign-in page titled \"Sign In\""},
		{"owa", `<!DOCTYPE html><html><title>Outlook</title><form action="/owa/auth.owa"><input name="passwd" type=password></form></html>`, KindSignInPage, "Outlook", ""},
		{"iis404", `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"><html><head><title>404 - File or directory not found.</title></head><body><h2>404 - File or directory not found.</h2></body></html>`, KindIISError, "404 - File or directory not found.", "json, not jason"},
		{"aspnet", `<html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' Application.</h1></body></html>`, KindIISError, "Runtime Error", ""},
		{"httpsys", `<!DOCTYPE HTML><HTML><HEAD><TITLE>Service Unavailable</TITLE></HEAD><BODY><h2>HTTP Error 503. The service is unavailable.</h2></BODY></HTML>`, KindIISError, "Service Unavailable", ""},
		{"squid", `<html><head><title>ERROR: The requested URL could not be retrieved</title></head><body>Generated by squid/4.10</body></html>`, KindProxyError, "", ""},
		{"proxytitle", `<html><title>Proxy Error</title></html>`, KindProxyError, "Proxy Error", ""},
		{"welcome", `<html><head><title>IIS Windows Server</title></head></html>`, KindIISError, "IIS Windows Server", ""},
		{"page", `<html><head><title>Contoso &amp; Co   intranet</title></head></html>`, KindHTMLPage, "Contoso & Co intranet", ""},
		{"xml", `<?xml version="1.0"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"/>`, KindXML, "", "an XML document"},
		{"text", "Bad Request", KindNotJSON, "", `it begins "Bad Request"`},
		{"text-proxy", "502 Bad Gateway from Zscaler", KindProxyError, "", ""},
		{"array", `[{"keys":[]}]`, KindNotMetadata, "", "JSON array"},
		{"other-json", `{"error":"invalid_request","error_description":"x"}`, KindNotMetadata, "", "its fields are error, error_description"},
		{"no-keys", `{"issuer":"00000002-0000-0ff1-ce00-000000000000@contoso.com","keys":[]}`, KindNoKeys, "", "no key with a value"},
		{"empty-values", `{"keys":[{"keyValue":{"value":""}}]}`, KindNoKeys, "", ""},
		{"empty-object", `{}`, KindNotMetadata, "", "fields are none"},
		{"syntax", `{"keys": [,]}`, KindInvalidJSON, "", "at byte"},
		{"truncated", `{"keys":[{"usage":"signing"`, KindTruncated, "", "stops after"},
	}
	for _, tc := range tests {
		_, err := Parse([]byte(tc.body))
		pe, ok := err.(*ParseError)
		if !ok {
			t.Fatalf("%s: error %v (%T), want *ParseError", tc.name, err, err)
		}
		if pe.Kind != tc.kind || pe.Title != tc.title && tc.title != "" || KindOf(err) != tc.kind {
			t.Errorf("%s: kind %q title %q, want %q %q", tc.name, pe.Kind, pe.Title, tc.kind, tc.title)
		}
		if !strings.Contains(err.Error(), tc.say) || !strings.Contains(err.Error(), "instead of a metadata document") {
			t.Errorf("%s: message %q lacks %q", tc.name, err, tc.say)
		}
	}
}

func TestParseACSPrefixIsTruncated(t *testing.T) {
	_, err := Parse(acsPrefix(t))
	if KindOf(err) != KindTruncated {
		t.Fatalf("ACS prefix: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(fixture(f, "sharepoint-se-metadata-json-1.real.json"))
	f.Add(acsPrefix(f))
	f.Add(exchangeShape(f, "MIIB"))
	f.Add([]byte(`<html><title>Sign in</title><input type="password"></html>`))
	f.Add([]byte(`{"keys":[{"keyValue":{"value":"aGVsbG8="}}]}`))
	f.Add([]byte("\xef\xbb\xbf[]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := Parse(b)
		if (doc == nil) == (err == nil) {
			t.Fatalf("doc %v with err %v", doc, err)
		}
		if err != nil {
			if KindOf(err) == "" || err.Error() == "" {
				t.Fatalf("unnamed error %v", err)
			}
			return
		}
		if len(doc.Keys) == 0 {
			t.Fatal("a document without keys")
		}
		for _, k := range doc.Keys {
			if k.Value == "" || (k.Cert == nil) == (k.Err == "") {
				t.Fatalf("inconsistent key %+v", k)
			}
			if k.Cert != nil && (k.Thumbprint != Thumbprint(k.Cert.Raw) || k.X5t != X5t(k.Cert.Raw)) {
				t.Fatalf("thumbprint %s does not match the certificate", k.Thumbprint)
			}
		}
	})
}

// A document with thousands of keys is decoded up to MaxKeys; the rest
// are counted, not decoded.
func TestParseCapsKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"keys":[`)
	for i := 0; i < 5000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"keyValue":{"value":"QUJD"}}`)
	}
	b.WriteString(`]}`)
	doc, err := Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Keys) != MaxKeys || doc.MoreKeys != 5000-MaxKeys {
		t.Fatalf("%d keys decoded, %d more", len(doc.Keys), doc.MoreKeys)
	}
}
