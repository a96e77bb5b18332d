package winrmshell

import (
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ucpilot/ucpilot/remote/shell"
)

// Recorded-style WS-Management envelopes (written for these tests, in the shape the
// WinRM service returns). %s placeholders are filled per response.
const (
	envOpen = `<s:Envelope xml:lang="en-US" xmlns:s="http://www.w3.org/2003/05/soap-envelope" ` +
		`xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" ` +
		`xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell">` +
		`<s:Header><a:Action>%s</a:Action><a:MessageID>uuid:5A3C1E2F-0000-4000-8000-00000000%04d</a:MessageID>` +
		`<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To></s:Header><s:Body>`
	envClose     = `</s:Body></s:Envelope>`
	shellID      = "B1E7A3C4-58D2-4F0B-9A61-3C2D7E8F9A10"
	commandID    = "E4C1D2B3-7A6F-4E5D-8C9B-0A1B2C3D4E5F"
	createAction = "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse"
	createBody   = `<x:ResourceCreated><a:Address>https://exch01.contoso.com:5986/wsman</a:Address><a:ReferenceParameters>` +
		`<w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI><w:SelectorSet>` +
		`<w:Selector Name="ShellId">` + shellID + `</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>` +
		`<rsp:Shell><rsp:ShellId>` + shellID + `</rsp:ShellId><rsp:Owner>CONTOSO\admin</rsp:Owner></rsp:Shell>`
	commandAction = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandResponse"
	commandBody   = `<rsp:CommandResponse><rsp:CommandId>` + commandID + `</rsp:CommandId></rsp:CommandResponse>`
	receiveAction = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/ReceiveResponse"
	stateRunning  = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"
	stateDone     = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"
	signalAction  = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SignalResponse"
	deleteAction  = "http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse"
	faultAction   = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"
	faultBody     = `<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:InternalError</s:Value></s:Subcode></s:Code>` +
		`<s:Reason><s:Text xml:lang="en-US">The WinRM client cannot process the request because the command shell quota was exceeded. </s:Text></s:Reason>` +
		`<s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150859173" Machine="exch01.contoso.com">` +
		`<f:Message>The WinRM client cannot process the request because the command shell quota was exceeded. </f:Message></f:WSManFault></s:Detail></s:Fault>`
)

func envelope(action, body string, n int) string {
	return fmt.Sprintf(envOpen, action, n) + body + envClose
}

func receiveBody(stdout, stderr string, done bool, exit int) string {
	var b strings.Builder
	b.WriteString("<rsp:ReceiveResponse>")
	if stdout != "" {
		fmt.Fprintf(&b, `<rsp:Stream Name="stdout" CommandId="%s">%s</rsp:Stream>`, commandID, base64.StdEncoding.EncodeToString([]byte(stdout)))
	}
	if stderr != "" {
		fmt.Fprintf(&b, `<rsp:Stream Name="stderr" CommandId="%s">%s</rsp:Stream>`, commandID, base64.StdEncoding.EncodeToString([]byte(stderr)))
	}
	if done {
		fmt.Fprintf(&b, `<rsp:Stream Name="stdout" CommandId="%s" End="true"></rsp:Stream>`, commandID)
		fmt.Fprintf(&b, `<rsp:CommandState CommandId="%s" State="%s"><rsp:ExitCode>%d</rsp:ExitCode></rsp:CommandState>`, commandID, stateDone, exit)
	} else {
		fmt.Fprintf(&b, `<rsp:CommandState CommandId="%s" State="%s"></rsp:CommandState>`, commandID, stateRunning)
	}
	b.WriteString("</rsp:ReceiveResponse>")
	return b.String()
}

// fakeWinRM is an httptest WS-Management endpoint. mode selects the behaviour:
// "ok", "exit7", "401", "fault", "hang".
type fakeWinRM struct {
	srv      *httptest.Server
	mode     string
	basic    [2]string // expected Basic user/password, when set
	mu       sync.Mutex
	actions  []string
	scripts  []string
	signaled bool
	n        int
}

func newFake(t *testing.T, mode string, tls bool) *fakeWinRM {
	t.Helper()
	f := &fakeWinRM{mode: mode}
	f.srv = httptest.NewUnstartedServer(f)
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // rejected handshakes are expected in tests
	if tls {
		f.srv.StartTLS()
	} else {
		f.srv.Start()
	}
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeWinRM) hostPort() (string, int) {
	h, p, _ := net.SplitHostPort(f.srv.Listener.Addr().String())
	n, _ := strconv.Atoi(p)
	return h, n
}

func (f *fakeWinRM) caPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw})
}

func (f *fakeWinRM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if r.URL.Path != "/wsman" {
		http.NotFound(w, r)
		return
	}
	if f.mode == "401" {
		w.Header().Add("WWW-Authenticate", "Negotiate")
		w.Header().Add("WWW-Authenticate", `Basic realm="WSMAN"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if f.basic[0] != "" {
		if u, p, ok := r.BasicAuth(); !ok || u != f.basic[0] || p != f.basic[1] {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
	}
	w.Header().Set("Content-Type", "application/soap+xml;charset=UTF-8")
	action := actionOf(string(body))
	f.actions = append(f.actions, action)
	switch {
	case strings.HasSuffix(action, "transfer/Create"):
		_, _ = io.WriteString(w, envelope(createAction, createBody, f.n))
	case strings.HasSuffix(action, "shell/Command"):
		if f.mode == "fault" {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, envelope(faultAction, faultBody, f.n))
			return
		}
		f.scripts = append(f.scripts, commandText(string(body)))
		_, _ = io.WriteString(w, envelope(commandAction, commandBody, f.n))
	case strings.HasSuffix(action, "shell/Receive"):
		_, _ = io.WriteString(w, envelope(receiveAction, f.receive(), f.n))
	case strings.HasSuffix(action, "shell/Signal"):
		f.signaled = true
		_, _ = io.WriteString(w, envelope(signalAction, "<rsp:SignalResponse/>", f.n))
	case strings.HasSuffix(action, "transfer/Delete"):
		_, _ = io.WriteString(w, envelope(deleteAction, "", f.n))
	default:
		w.WriteHeader(http.StatusBadRequest)
	}
}

func (f *fakeWinRM) receive() string {
	switch {
	case f.mode == "hang" && !f.signaled:
		time.Sleep(20 * time.Millisecond) // a real service long-polls; do not spin
		return receiveBody("", "", false, 0)
	case f.mode == "hang":
		return receiveBody("", "", true, 259)
	case f.mode == "exit7":
		return receiveBody("", "Get-PartnerApplication : not found\r\n", true, 7)
	}
	script := ""
	if len(f.scripts) > 0 {
		script = f.scripts[len(f.scripts)-1]
	}
	sc, _ := shell.ParseRendered(script)
	return receiveBody(shell.JSONMarker+"\n"+`["`+sc.Args["value"]+`"]`, "note on stderr", true, 0)
}

func actionOf(body string) string {
	var env struct {
		Action string `xml:"Header>Action"`
	}
	_ = xml.Unmarshal([]byte(body), &env)
	return strings.TrimSpace(env.Action)
}

// commandText decodes the script from the rsp:Command element.
func commandText(body string) string {
	var env struct {
		Command string `xml:"Body>CommandLine>Command"`
	}
	_ = xml.Unmarshal([]byte(body), &env)
	s, err := shell.ParseCommandLine(strings.Trim(env.Command, `"`))
	if err != nil {
		return "undecodable: " + err.Error()
	}
	return s
}
