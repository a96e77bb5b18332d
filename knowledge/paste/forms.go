package paste

import (
	"net/url"
	"regexp"
	"strings"
)

// Event Viewer text, as "Copy details as text" gives it (one label a
// line) or flattened to one line.
var (
	reEventLabel = regexp.MustCompile(`\b(Log Name|Source|Date|Event ID|EventID|Task Category|Level|Keywords|User|Computer|OpCode|Opcode|Description)[ \t]*:`)
	reEventXML   = regexp.MustCompile(`\bEvent Xml:`)
	reDigits     = regexp.MustCompile(`^\s*(\d{1,6})\b`)
)

func (p *parse) event() {
	t := p.text
	if !p.mentions("event id", "eventid", "log name") {
		return
	}
	labels := reEventLabel.FindAllStringSubmatchIndex(t, 24)
	// The header ends at the first Description label.
	end := len(labels)
	for i, m := range labels {
		if t[m[2]:m[3]] == "Description" {
			end = i + 1
			break
		}
	}
	labels = labels[:end]
	has := map[string]bool{}
	for _, m := range labels {
		has[t[m[2]:m[3]]] = true
	}
	id := has["Event ID"] || has["EventID"]
	if !(id && len(has) >= 2) && !(has["Log Name"] && has["Source"]) {
		return
	}
	p.form(FormEvent)
	for i, m := range labels {
		name := t[m[2]:m[3]]
		vEnd := len(t)
		last := i+1 == len(labels)
		if !last {
			vEnd = labels[i+1][0]
		} else if name != "Description" {
			// The last label of a header without Description: its value
			// is the rest of its line, and in a flattened text even that
			// may run into the message, so it stays in the signal.
			if nl := strings.IndexByte(t[m[1]:], '\n'); nl >= 0 {
				vEnd = m[1] + nl
			}
		}
		value := strings.TrimSpace(t[m[1]:vEnd])
		switch name {
		case "Description":
			p.remove(m[0], m[1])
			if x := reEventXML.FindStringIndex(t[m[1]:]); x != nil {
				p.remove(m[1]+x[0], len(t))
			}
		case "Source":
			p.remove(m[0], m[1])
			if len(value) <= 80 {
				p.setSource(value)
				p.field("event source", value)
			}
		case "Event ID", "EventID":
			p.remove(m[0], m[1])
			if d := reDigits.FindStringSubmatch(value); d != nil {
				p.field("event id", d[1])
				p.code(KindEvent, d[1])
			}
		default:
			if last {
				p.remove(m[0], m[1])
				continue
			}
			if name == "Log Name" || name == "Level" {
				p.field(strings.ToLower(name), value)
			}
			p.remove(m[0], vEnd)
		}
	}
}

// x-ms-diagnostics: Exchange's reason for a 401, in a header, inside a
// Test-OAuthConnectivity result or a PowerShell record:
// 2000003;reason="...";error_category="invalid_resource".
var (
	reDiag         = regexp.MustCompile(`(?i)(?:x-ms-diagnostics[ \t]*(?::|→)?[ \t]*|\bdiagnostics[ \t]*:[ \t]*)?\b(\d{7})[ \t]*;[ \t]*reason[ \t]*=[ \t]*"([^"]{0,600})"[ \t]*;?[ \t]*(?:error_category[ \t]*=[ \t]*"([^"\n]{0,80})")?`)
	reDiagCategory = regexp.MustCompile(`(?i);?[ \t]*\berror_category[ \t]*=[ \t]*"?([A-Za-z_]{1,60})"?`)
)

func (p *parse) diagnostics() {
	t := p.text
	if !p.mentions("reason", "error_category") {
		return
	}
	found := false
	for _, m := range reDiag.FindAllStringSubmatchIndex(t, 4) {
		found = true
		code := t[m[2]:m[3]]
		reason := decodeReason(t[m[4]:m[5]])
		p.field("x-ms-diagnostics code", code)
		p.field("reason", reason)
		p.code(KindDiagnostics, code)
		repl := code + " " + reason
		if m[6] >= 0 {
			p.field("category", t[m[6]:m[7]])
			repl += " " + t[m[6]:m[7]]
		}
		p.replace(m[0], m[1], repl)
	}
	if !p.mentions("error_category") {
		p.diag = found
		return
	}
	for _, m := range reDiagCategory.FindAllStringSubmatchIndex(t, 4) {
		found = true
		p.field("category", t[m[2]:m[3]])
		p.replace(m[0], m[1], t[m[2]:m[3]])
	}
	if found {
		p.diag = true
	}
}

// decodeReason undoes the form encoding some tools show ("The+token+should").
func decodeReason(s string) string {
	if strings.Contains(s, "+") && !strings.Contains(s, " ") {
		s = strings.ReplaceAll(s, "+", " ")
	}
	if strings.Contains(s, "%") {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
	}
	return strings.TrimSpace(s)
}

// HTTP response headers, one a line or glued together by a copy.
var (
	reHTTPStatus  = regexp.MustCompile(`\bHTTP/\d(?:\.\d)?[ \t]+(\d{3})(?:[ \t]+(Unauthorized|Forbidden|OK|Bad Request|Not Found|Internal Server Error|Service Unavailable|Found|Moved Permanently))?`)
	reWWWAuth     = regexp.MustCompile(`(?i)WWW-Authenticate[ \t]*(?::|→)[ \t]*`)
	reBearer      = regexp.MustCompile(`(?i)\bBearer[ \t+]+((?:[ \t+,]*[a-z_]+[ \t]*=[ \t]*"[^"\n]*")+)`)
	reBearerParam = regexp.MustCompile(`(?i)([a-z_]+)[ \t]*=[ \t]*"([^"\n]*)"`)
	reHeaderLine  = regexp.MustCompile(`(?m)^[ \t]*([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)[ \t]*(?::|→)[^\n]*$`)
	reGluedNoise  = regexp.MustCompile(`(?i)(?:client-)?request-id[ \t]*(?::|→)[ \t]*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\bServer[ \t]*(?::|→)[ \t]*Microsoft-IIS/[\d.]+(?:[ \t]+Microsoft-HTTPAPI/[\d.]+)?|X-Powered-By[ \t]*(?::|→)[ \t]*ASP\.NET|X-AspNet-Version[ \t]*(?::|→)[ \t]*[\d.]+|Content-Length[ \t]*(?::|→)[ \t]*\d+`)
)

// keptHeaders say something about the failure; every other dashed header
// (Content-Length, X-FEServer, request-id...) is noise for the search.
var keptHeaders = map[string]bool{
	"www-authenticate": true, "x-ms-diagnostics": true, "x-owa-error": true,
	"x-auth-error": true, "location": true,
}

func (p *parse) http() {
	t := p.text
	if !p.mentions("http/", "www-authenticate", "bearer", "x-ms-diagnostics") {
		return
	}
	status := reHTTPStatus.FindStringSubmatchIndex(t)
	www := reWWWAuth.FindStringIndex(t)
	bearer := reBearer.FindAllStringSubmatchIndex(t, 4)
	xdiag := strings.Contains(strings.ToLower(t), "x-ms-diagnostics")
	if status == nil && www == nil && bearer == nil && !xdiag {
		return
	}
	p.form(FormHTTP)
	if status != nil {
		s := t[status[2]:status[3]]
		if status[4] >= 0 {
			s += " " + strings.TrimSpace(t[status[4]:status[5]])
		}
		p.field("status", s)
		p.replace(status[0], status[3], t[status[2]:status[3]])
	}
	for _, m := range reWWWAuth.FindAllStringIndex(t, 8) {
		p.remove(m[0], m[1])
	}
	for _, b := range bearer {
		for _, q := range reBearerParam.FindAllStringSubmatch(t[b[2]:b[3]], 12) {
			switch name := strings.ToLower(q[1]); name {
			case "error":
				p.field("bearer error", q[2])
			case "client_id", "trusted_issuers", "authorization_uri", "realm", "error_description":
				p.field(name, q[2])
			}
		}
	}
	for _, m := range reHeaderLine.FindAllStringSubmatchIndex(t, 64) {
		if keptHeaders[strings.ToLower(t[m[2]:m[3]])] {
			continue
		}
		// Headers glued onto one line: stop where a kept one begins.
		end := m[1]
		low := strings.ToLower(t[m[3]:m[1]])
		for h := range keptHeaders {
			if i := strings.Index(low, h); i >= 0 && m[3]+i < end {
				end = m[3] + i
			}
		}
		p.remove(m[0], end)
	}
	for _, m := range reGluedNoise.FindAllStringIndex(t, 16) {
		p.remove(m[0], m[1])
	}
}

// Entra ID (AADSTS) errors.
var (
	reAADSTS    = regexp.MustCompile(`\bAADSTS(\d{4,8})\b`)
	reAADSTSMsg = regexp.MustCompile(`^[ \t]*:[ \t]*`)
)

func (p *parse) aadsts() {
	t := p.text
	if !strings.Contains(t, "AADSTS") {
		return
	}
	ms := reAADSTS.FindAllStringSubmatchIndex(t, maxCodes)
	if ms == nil {
		return
	}
	p.form(FormAADSTS)
	for _, m := range ms {
		code := "AADSTS" + t[m[2]:m[3]]
		p.code(KindAADSTS, code)
		rest := t[m[1]:]
		c := reAADSTSMsg.FindStringIndex(rest)
		if c == nil {
			continue
		}
		msg := cut(rest[c[1]:], 400)
		// The message ends where the next code, a blank line or the
		// trace ids begin.
		for _, stop := range []string{"AADSTS", "\n\n", "Trace ID:", "Correlation ID:", "Timestamp:", "\","} {
			if i := strings.Index(msg, stop); i >= 0 {
				msg = msg[:i]
			}
		}
		p.field(code, strings.TrimRight(collapse(msg), "'\""))
	}
}

// .NET exceptions and stack traces.
var (
	reFrame     = regexp.MustCompile("\\bat[ \\t]+[A-Za-z_][\\w`<>\\[\\]]*(?:\\.{1,2}[ \\t]?[A-Za-z_][\\w`<>\\[\\],]*)+[ \\t]?\\([^()]{0,600}\\)(?:[ \\t]+in[ \\t]+[^\\n]{0,300}?:line[ \\t]+\\d+)?")
	reEndInner  = regexp.MustCompile(`---[ \t]*End of [^\n]{0,80}?---`)
	reArrow     = regexp.MustCompile(`--->`)
	reException = regexp.MustCompile(`\b((?:[A-Za-z_]\w*\.)+)([A-Za-z_]\w*(?:Exception|Fault))\b(:?)`)
	reNamespace = regexp.MustCompile(`\b(?:[A-Z]\w*\.){2,}([A-Z]\w*)\b`)
)

func (p *parse) stack() {
	t := p.text
	var frames, exc [][]int
	if p.mentions("at ", "at\t") && p.mentions("(") {
		frames = reFrame.FindAllStringIndex(t, 256)
	}
	if p.mentions("exception", "fault") {
		exc = reException.FindAllStringSubmatchIndex(t, 16)
	}
	colon := false
	for _, m := range exc {
		if m[7] > m[6] && !inside(frames, m[0]) {
			colon = true
		}
	}
	switch {
	case len(frames) > 0:
		p.form(FormStack)
	case colon:
		p.form(FormException)
	}
	for _, m := range frames {
		p.remove(m[0], m[1])
	}
	if p.mentions("---") {
		for _, m := range reEndInner.FindAllStringIndex(t, 16) {
			p.remove(m[0], m[1])
		}
		for _, m := range reArrow.FindAllStringIndex(t, 16) {
			p.remove(m[0], m[1])
		}
	}
	for _, m := range exc {
		if !inside(frames, m[0]) {
			p.field("exception", t[m[2]:m[5]])
		}
	}
	if len(p.forms) == 0 {
		return
	}
	// Inside a recognized paste, a namespace is noise: keep the type.
	for _, m := range reNamespace.FindAllStringSubmatchIndex(t, 64) {
		p.replace(m[0], m[1], t[m[2]:m[3]])
	}
}

func inside(spans [][]int, at int) bool {
	for _, s := range spans {
		if at >= s[0] && at < s[1] {
			return true
		}
	}
	return false
}

// Log lines, timestamps and correlation ids.
var (
	reTimestamp = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?|\b\d{1,2}/\d{1,2}/\d{4}(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AP]M)?)?|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT`)
	reLogLine   = regexp.MustCompile(`(?m)^[ \t]*\[?(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\d{1,2}/\d{1,2}/\d{4}[ \t]+\d{1,2}:\d{2}|\d{2}:\d{2}:\d{2}[.,]\d+)`)
	reGUID      = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	// Format-List properties of a result object that say nothing.
	rePSListNoise = regexp.MustCompile(`\b(?:IsValid|ObjectState|RunspaceId|PSComputerName)[ \t]*:[ \t]*[\w.-]*`)
	reWellKnown   = regexp.MustCompile(`(?i)^0000000[0-9a-f]-0000-0(?:000|ff1)-`)
	reIDLabel     = regexp.MustCompile(`(?i)\b(?:correlation|request|trace|client-request|activity|session|tracking)[ _-]?id[ \t]*[:=][ \t]*\[?[ \t]*(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64})?\]?|\bTimestamp[ \t]*:`)
)

func (p *parse) logs() {
	t := p.text
	lines := reLogLine.FindAllStringIndex(t, 64)
	var ids, guids [][]int
	if p.mentions("id", "timestamp") {
		ids = reIDLabel.FindAllStringIndex(t, 32)
	}
	if p.mentions("-") {
		guids = reGUID.FindAllStringIndex(t, 64)
	}
	if len(lines) >= 2 || (len(lines) == 1 && (len(ids) > 0 || len(guids) > 0)) {
		p.form(FormLog)
	}
	if len(p.forms) == 0 {
		return
	}
	if strings.ContainsAny(t, "-/,") {
		for _, m := range reTimestamp.FindAllStringIndex(t, 128) {
			p.remove(m[0], m[1])
		}
	}
	for _, m := range ids {
		p.remove(m[0], m[1])
	}
	if p.mentions("isvalid", "objectstate", "runspaceid", "pscomputername") {
		for _, m := range rePSListNoise.FindAllStringIndex(t, 8) {
			p.remove(m[0], m[1])
		}
	}
	for _, m := range guids {
		if !reWellKnown.MatchString(t[m[0]:m[1]]) {
			p.remove(m[0], m[1])
		}
	}
}

// Other codes the knowledge base may know by number.
var (
	reHCW     = regexp.MustCompile(`(?i)\bHCW(\d{4})\b`)
	reHResult = regexp.MustCompile(`\b0[xX][0-9A-Fa-f]{8}\b`)
	reSIPE    = regexp.MustCompile(`\bSIP_E_[A-Z0-9_]{3,80}\b`)
	reSIPDiag = regexp.MustCompile(`(?i)(?:^|[^-\w])ms-diagnostics[ \t]*:[ \t]*(\d{4,5})\b`)
	reEventNo = regexp.MustCompile(`(?i)\bevent(?:[ \t]+id)?[ \t]*:?[ \t]*(\d{3,5})\b`)
)

func (p *parse) otherCodes() {
	t := p.text
	if p.mentions("hcw") {
		for _, m := range reHCW.FindAllStringSubmatch(t, 4) {
			p.code(KindHCW, "HCW"+m[1])
		}
	}
	if p.mentions("0x") {
		for _, m := range reHResult.FindAllString(t, 4) {
			p.code(KindHResult, "0x"+strings.ToUpper(m[2:]))
		}
	}
	if strings.Contains(t, "SIP_E_") {
		for _, m := range reSIPE.FindAllString(t, 4) {
			p.code(KindSIP, m)
		}
	}
	if p.mentions("ms-diagnostics") {
		for _, m := range reSIPDiag.FindAllStringSubmatch(t, 4) {
			p.code(KindSIP, m[1])
		}
	}
	if p.mentions("event") {
		for _, m := range reEventNo.FindAllStringSubmatch(t, 4) {
			p.code(KindEvent, m[1])
		}
	}
	// A bare x-ms-diagnostics value is a form of its own.
	if p.diag && len(p.forms) == 0 {
		p.form(FormDiagnostics)
	}
}
