// Package wsfault reads a WS-Management SOAP fault (the service understood
// a request and refused it) out of the text a WinRM client error carries.
// It is apart from winrmshell so the fuzz binary for this parser of outside
// data holds the parser alone, not the WinRM client and its Kerberos/NTLM
// stack.
package wsfault

import (
	"encoding/xml"
	"strings"
)

// Fault is what a WinRM fault says.
type Fault struct {
	Subcode   string // e.g. "w:InternalError", "w:TimedOut"
	Reason    string // never empty in a parsed fault; may be only spaces
	WSManCode string // the WSManFault Code attribute, a Win32/HRESULT number
	Message   string // the WSManFault Message
}

type envelope struct {
	Subcode string `xml:"Body>Fault>Code>Subcode>Value"`
	Reason  string `xml:"Body>Fault>Reason>Text"`
	Detail  struct {
		WSManFault struct {
			Code    string `xml:"Code,attr"`
			Message string `xml:"Message"`
		} `xml:"WSManFault"`
	} `xml:"Body>Fault>Detail"`
}

// Parse finds a SOAP fault envelope inside text (the WinRM client puts the
// response body in its error message) and reports whether there was one
// with a reason.
func Parse(text string) (Fault, bool) {
	i := strings.Index(text, "<s:Envelope")
	if i < 0 {
		i = strings.Index(text, "<Envelope")
	}
	if i < 0 {
		return Fault{}, false
	}
	var e envelope
	if err := xml.NewDecoder(strings.NewReader(text[i:])).Decode(&e); err != nil || e.Reason == "" {
		return Fault{}, false
	}
	return Fault{Subcode: e.Subcode, Reason: e.Reason, WSManCode: e.Detail.WSManFault.Code,
		Message: e.Detail.WSManFault.Message}, true
}
