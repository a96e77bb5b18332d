package paste

import (
	"strings"
	"testing"
)

// BenchmarkRecognize measures a typical paste (an error record) and the
// worst: a paste at MaxInput that mentions every form, so no regexp is
// spared its run.
func BenchmarkRecognize(b *testing.B) {
	record := wrappings("The remote server returned an error: (401) Unauthorized.")["error record"]
	all := strings.Repeat("2026-12-04 13:45:06 Event ID: 1 Source: s AADSTS50012: x HTTP/1.1 401 WWW-Authenticate: Bearer error=\"e\" "+
		"2000003;reason=\"r\";error_category=\"c\" System.Net.WebException: y at A.B.C(x) --- End of --- At line:1 char:1 "+
		"+ CategoryInfo : X: (:) [Y], ZException + FullyQualifiedErrorId : Q correlation-id: 3f2b1c9e-8d7a-4b6c-9e5f-1a2b3c4d5e6f HCW8064 0x80048821 eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.\n", MaxInput/400)
	for _, c := range []struct{ name, text string }{{"record", record}, {"worst", all}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			for b.Loop() {
				Recognize(c.text)
			}
		})
	}
}

// BenchmarkRecognizeTyped is the cost per keystroke of a typed query.
func BenchmarkRecognizeTyped(b *testing.B) {
	for b.Loop() {
		Recognize("Test-CsExStorageConnectivity 401 storage")
	}
}
