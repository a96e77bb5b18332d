package tlsprobe

import (
	"crypto/sha1" //nolint:gosec // Windows identifies certificates by SHA-1 thumbprint
	"encoding/hex"
	"strings"
)

func thumbprint(der []byte) string {
	sum := sha1.Sum(der) //nolint:gosec // identification, not security
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
