// Package pki makes throw-away certificate authorities and server
// certificates. Tests use it to stand up TLS servers with expired, wrongly
// named or self-signed certificates; the lab uses it at run time to serve
// HTTPS on loopback under its own CA. Nothing here is meant for production
// keys: the keys live in memory only.
package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

// CA is an in-memory certificate authority.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
	DER  []byte
}

// NewCA creates a self-signed root CA named name (its common name), valid
// from an hour ago for ten years, with an ECDSA P-256 key.
func NewCA(name string) (*CA, error) {
	key, err := newKey(0)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"ucpilot test PKI"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            1,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("pki: create CA %q: %w", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("pki: parse CA %q: %w", name, err)
	}
	return &CA{Cert: cert, Key: key, DER: der}, nil
}

// Pool returns a pool that trusts only this CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// PEM returns the CA certificate PEM-encoded, ready to write to a CA file.
func (ca *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.DER})
}

// Issue signs a server certificate for hosts (DNS names or IP literals; the
// first one also becomes the common name) valid between notBefore and
// notAfter. keyBits 0 gives an ECDSA P-256 key, anything else an RSA key of
// that size (at least 1024). The tls.Certificate carries the leaf and the CA
// so a server presents the full chain.
func (ca *CA) Issue(hosts []string, notBefore, notAfter time.Time, keyBits int) (tls.Certificate, *x509.Certificate, error) {
	return issue(hosts, notBefore, notAfter, keyBits, ca)
}

// SelfSigned makes a certificate that signs itself (no CA), as a server
// freshly installed with a default certificate would present.
func SelfSigned(hosts []string, notBefore, notAfter time.Time, keyBits int) (tls.Certificate, *x509.Certificate, error) {
	return issue(hosts, notBefore, notAfter, keyBits, nil)
}

func issue(hosts []string, notBefore, notAfter time.Time, keyBits int, ca *CA) (tls.Certificate, *x509.Certificate, error) {
	if len(hosts) == 0 {
		return tls.Certificate{}, nil, errors.New("pki: a certificate needs at least one host name")
	}
	key, err := newKey(keyBits)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: hosts[0]},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	parent, signer := tmpl, crypto.Signer(key)
	if ca != nil {
		parent, signer = ca.Cert, ca.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("pki: issue certificate for %v: %w", hosts, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("pki: parse certificate for %v: %w", hosts, err)
	}
	chain := [][]byte{der}
	if ca != nil {
		chain = append(chain, ca.DER)
	}
	return tls.Certificate{Certificate: chain, PrivateKey: key, Leaf: leaf}, leaf, nil
}

func newKey(bits int) (crypto.Signer, error) {
	if bits == 0 {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("pki: generate ECDSA key: %w", err)
		}
		return k, nil
	}
	if bits < 1024 {
		return nil, fmt.Errorf("pki: RSA key size %d is too small (use 0 for ECDSA or at least 1024)", bits)
	}
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, fmt.Errorf("pki: generate RSA-%d key: %w", bits, err)
	}
	return k, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		// crypto/rand does not fail on supported platforms; a fixed serial
		// still yields a usable test certificate.
		return big.NewInt(time.Now().UnixNano())
	}
	return n.Add(n, big.NewInt(1))
}
