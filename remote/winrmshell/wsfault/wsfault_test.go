package wsfault

import (
	"strings"
	"testing"
)

// quotaFault is a fault in the shape the WinRM service returns when the
// shell quota is exceeded (written for these tests).
const quotaFault = `<s:Envelope xml:lang="en-US" xmlns:s="http://www.w3.org/2003/05/soap-envelope" ` +
	`xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">` +
	`<s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action></s:Header><s:Body>` +
	`<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:InternalError</s:Value></s:Subcode></s:Code>` +
	`<s:Reason><s:Text xml:lang="en-US">The WinRM client cannot process the request because the command shell quota was exceeded. </s:Text></s:Reason>` +
	`<s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150859173" Machine="exch01.contoso.com">` +
	`<f:Message>The command shell quota was exceeded. </f:Message></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>`

func TestParse(t *testing.T) {
	f, ok := Parse("http error 500: " + quotaFault)
	if !ok || f.Subcode != "w:InternalError" || f.WSManCode != "2150859173" ||
		!strings.Contains(f.Reason, "shell quota was exceeded") || !strings.Contains(f.Message, "quota") {
		t.Fatalf("Parse = %+v, %v", f, ok)
	}
	for _, text := range []string{
		"http response error: 401 - invalid content type",
		quotaFault[:len(quotaFault)/2],
		strings.Replace(quotaFault, "<s:Reason>", "<s:Nothing>", 1),
		"",
	} {
		if f, ok := Parse(text); ok {
			t.Errorf("Parse(%.40q) = %+v, want no fault", text, f)
		}
	}
}

// FuzzParse feeds the parser what a WinRM server, or anything answering in
// its place, can put in an error body: it must not panic, and a fault it
// accepts has a reason.
func FuzzParse(f *testing.F) {
	f.Add(quotaFault)
	f.Add("http error 500: " + quotaFault)
	f.Add("http response error: 401 - invalid content type")
	f.Add(strings.ReplaceAll(quotaFault, "s:", ""))
	f.Add(quotaFault[:len(quotaFault)/2])
	f.Add(`<s:Envelope><s:Body><s:Fault><s:Reason><s:Text>` + "\x1b[2J\xff" + `</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`)
	f.Add("<s:Envelope")
	f.Fuzz(func(t *testing.T, text string) {
		if fault, ok := Parse(text); ok && fault.Reason == "" {
			t.Fatalf("accepted a fault without a reason: %+v", fault)
		}
	})
}
