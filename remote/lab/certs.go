package lab

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // thumbprints are SHA-1 by definition
	"crypto/x509"
	"crypto/x509/pkix"
	_ "embed" // the lab's fixed key
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
)

// RSA key generation costs tens of milliseconds per key; a lab makes a
// handful of certificates per start and tests start many labs. The keys
// are throw-away (nothing is ever signed with them but the certificate
// itself), so one key per size is generated once per process and shared:
// certificates still differ (serial, subject, dates) and so do thumbprints.
var (
	keyMu    sync.Mutex
	keyCache = map[int]*rsa.PrivateKey{}
)

// labKeyPEM is a fixed RSA-2048 key shipped with the lab so that opening
// ucpilot on the lab does not spend tens of milliseconds generating one
// before the first frame. It is public on purpose: it signs only the lab's
// own simulated certificates and must never be trusted for anything else.
//
//go:embed labkey-rsa2048.pem
var labKeyPEM []byte

func rsaKey(bits int) (*rsa.PrivateKey, error) {
	keyMu.Lock()
	defer keyMu.Unlock()
	if k := keyCache[bits]; k != nil {
		return k, nil
	}
	if bits == 2048 {
		if k, err := parseLabKey(labKeyPEM); err == nil {
			keyCache[bits] = k
			return k, nil
		}
	}
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, fmt.Errorf("lab: generate RSA-%d key: %w", bits, err)
	}
	keyCache[bits] = k
	return k, nil
}

// newCert makes a self-signed certificate like the ones Exchange setup and
// the SfB Deployment Wizard create. subject is a Windows-style "CN=…".
func newCert(subject, friendly string, notBefore, notAfter time.Time, bits int) (*Cert, error) {
	if bits == 0 {
		bits = 2048
	}
	key, err := rsaKey(bits)
	if err != nil {
		return nil, err
	}
	cn := strings.TrimPrefix(strings.TrimPrefix(subject, "CN="), "cn=")
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 100))
	if err != nil {
		return nil, fmt.Errorf("lab: certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial.Add(serial, big.NewInt(1)),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("lab: create certificate %q: %w", subject, err)
	}
	return &Cert{
		Thumbprint: thumbprint(der), Subject: "CN=" + cn, FriendlyName: friendly,
		NotBefore: notBefore.UTC().Truncate(time.Second), NotAfter: notAfter.UTC().Truncate(time.Second),
		KeySize: bits, DER: der,
	}, nil
}

func thumbprint(der []byte) string {
	sum := sha1.Sum(der) //nolint:gosec // identification only
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// authCertSubject is the subject Exchange setup gives its auth certificate.
const authCertSubject = "CN=Microsoft Exchange Server Auth Certificate"

func newAuthCert(now time.Time) (*Cert, error) {
	return newCert(authCertSubject, "Microsoft Exchange Server Auth Certificate", now.Add(-24*time.Hour), now.AddDate(5, 0, 0), 2048)
}

func parseLabKey(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("lab key: no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("lab key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("lab key: not an RSA key")
	}
	return rk, nil
}
