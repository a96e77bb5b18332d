package lab

import "testing"

// The shipped lab key parses, so a lab start never falls back to
// generating an RSA key (tens of milliseconds before the first frame).
func TestShippedLabKeyParses(t *testing.T) {
	k, err := parseLabKey(labKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	if k.N.BitLen() != 2048 {
		t.Errorf("lab key has %d bits, want 2048", k.N.BitLen())
	}
	if _, err := parseLabKey([]byte("not pem")); err == nil {
		t.Error("garbage parsed as a key")
	}
}
