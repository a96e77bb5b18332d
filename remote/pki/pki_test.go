package pki

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestIssueVerifiesAgainstCA(t *testing.T) {
	ca, err := NewCA("Test Root")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tc, leaf, err := ca.Issue([]string{"pool01.contoso.lab", "127.0.0.1"}, now.Add(-time.Hour), now.Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(tc.Certificate) != 2 {
		t.Fatalf("chain length %d, want leaf+CA", len(tc.Certificate))
	}
	if _, ok := tc.PrivateKey.(*ecdsa.PrivateKey); !ok {
		t.Fatalf("key type %T, want ECDSA for keyBits 0", tc.PrivateKey)
	}
	_, err = leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "pool01.contoso.lab"})
	if err != nil {
		t.Fatalf("leaf does not verify under its CA: %v", err)
	}
	if len(leaf.IPAddresses) != 1 || !leaf.IPAddresses[0].IsLoopback() {
		t.Fatalf("IP SANs %v, want 127.0.0.1", leaf.IPAddresses)
	}
	other, _ := NewCA("Other Root")
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: other.Pool()}); err == nil {
		t.Fatal("leaf verified under an unrelated CA")
	}
	if len(ca.PEM()) == 0 {
		t.Fatal("empty PEM")
	}
}

func TestSelfSignedAndRSA(t *testing.T) {
	now := time.Now()
	tc, leaf, err := SelfSigned([]string{"ex01.contoso.lab"}, now, now.Add(time.Hour), 1024)
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := tc.PrivateKey.(*rsa.PrivateKey); !ok || k.N.BitLen() != 1024 {
		t.Fatalf("key %T, want RSA-1024", tc.PrivateKey)
	}
	if err := leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature); err != nil {
		t.Fatalf("self-signed cert does not verify its own signature: %v", err)
	}
	if _, _, err := SelfSigned(nil, now, now, 0); err == nil {
		t.Fatal("no hosts accepted")
	}
	if _, _, err := SelfSigned([]string{"x"}, now, now, 512); err == nil {
		t.Fatal("RSA-512 accepted")
	}
}

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
