package winrmshell

import (
	"errors"
	"strings"
	"testing"

	"github.com/ucpilot/ucpilot/remote/winrmshell/wsfault"
)

// classify turns exactly the texts that hold a fault into a *FaultError
// carrying its reason, so a refusal is never shown as a network failure or
// the other way round.
func TestClassifyFaults(t *testing.T) {
	fault := envelope(faultAction, faultBody, 1)
	sh := &Shell{cfg: Config{Host: "exch01.contoso.com", Port: 5986}, target: "exch01.contoso.com"}
	for _, text := range []string{
		fault,
		"http error 500: " + fault,
		"http response error: 401 - invalid content type",
		fault[:len(fault)/2],
		`<Envelope><Body><Fault><Reason><Text>  </Text></Reason></Fault></Body></Envelope>`,
		"x509: certificate signed by unknown authority",
	} {
		f, ok := wsfault.Parse(text)
		err := sh.classify(errors.New(text))
		var fe *FaultError
		if errors.As(err, &fe) != ok {
			t.Errorf("%.50q: fault=%v but classify gave %T: %v", text, ok, err, err)
			continue
		}
		if ok && (fe.Reason != strings.TrimSpace(f.Reason) || fe.Host != "exch01.contoso.com" || fe.WSManCode != f.WSManCode) {
			t.Errorf("%.50q: %+v from %+v", text, fe, f)
		}
	}
}
