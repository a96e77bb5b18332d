package paste

import (
	"regexp"
	"strings"
)

// PowerShell error record. A record printed by Windows PowerShell:
//
//	Test-CsExStorageConnectivity : <message>
//	At line:1 char:1
//	+ Test-CsExStorageConnectivity -SipUri ...
//	+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//	    + CategoryInfo          : InvalidOperation: (:) [Test-CsExStorageConnectivity], WebException
//	    + FullyQualifiedErrorId : ...
//
// and the same flattened to one line by a chat client.
var (
	rePSAt       = regexp.MustCompile(`\bAt\s+(?:line:\s*\d+\s+char:\s*\d+|([^\n]{1,260}?\.psm?1):\s*\d+\s+char:\s*\d+)`)
	rePSCategory = regexp.MustCompile(`\+?[ \t]*CategoryInfo[ \t]*:[ \t]*([^\n+]*)`)
	// Exchange's remote shell puts bracketed context before the id:
	// [Server=EX01,RequestId=...,TimeStamp=...] [FailureCategory=Cmdlet-...] 9E0C1E0E,Microsoft...
	rePSFQEID    = regexp.MustCompile(`\+?[ \t]*FullyQualifiedErrorId[ \t]*:[ \t]*((?:\[[^\]\n]{0,300}\][ \t]*)*)([^\s+]*)`)
	rePSFailCat  = regexp.MustCompile(`FailureCategory=([\w-]{1,100})`)
	rePSComputer = regexp.MustCompile(`\+?[ \t]*PSComputerName[ \t]*:[ \t]*\S*`)
	// "Cmdlet : message" (Windows PowerShell), or "Cmdlet: message"
	// (PowerShell 7's concise view) for the verbs the procedures use.
	rePSLead     = regexp.MustCompile(`^\s*([A-Z][a-z]+-[A-Z][A-Za-z0-9]+)\s+:\s|^\s*((?:Get|Set|New|Remove|Test|Add|Enable|Disable|Import|Export|Invoke|Start|Stop|Update|Connect|Register|Grant|Install|Write)-[A-Z][A-Za-z0-9]+):\s`)
	rePSEchoLine = regexp.MustCompile(`(?m)^[ \t]*\+[^\n]*$`)
	rePSCatParts = regexp.MustCompile(`^\s*(\w+)\s*:.*?\[([^\]]*)\]\s*,\s*(\w+)`)
	rePSScript   = regexp.MustCompile(`[^\\/:]+\.psm?1$`)
)

func (p *parse) powershell() {
	t := p.text
	var at, cat, fq []int
	if p.mentions("char:") {
		at = rePSAt.FindStringSubmatchIndex(t)
	}
	if p.mentions("categoryinfo") {
		cat = rePSCategory.FindStringSubmatchIndex(t)
	}
	if p.mentions("fullyqualifiederrorid") {
		fq = rePSFQEID.FindStringSubmatchIndex(t)
	}
	lead := rePSLead.FindStringSubmatchIndex(t)
	if at == nil && cat == nil && fq == nil && lead == nil {
		return
	}
	p.form(FormPowerShell)
	if lead != nil {
		if lead[2] >= 0 {
			p.setSource(t[lead[2]:lead[3]])
		} else {
			p.setSource(t[lead[4]:lead[5]])
		}
	}
	if at != nil {
		if at[2] >= 0 {
			if s := rePSScript.FindString(t[at[2]:at[3]]); s != "" {
				p.setSource(s)
			}
		}
		p.remove(at[0], at[1])
		// The echo of the command line and its ~~~~ underline run from
		// the At line to CategoryInfo; without CategoryInfo they are the
		// lines that start with "+".
		if cat != nil && cat[0] > at[1] {
			p.remove(at[1], cat[0])
		} else {
			for _, m := range rePSEchoLine.FindAllStringIndex(t[at[1]:], 8) {
				p.remove(at[1]+m[0], at[1]+m[1])
			}
		}
	}
	if cat != nil {
		v := strings.TrimSpace(t[cat[2]:cat[3]])
		if m := rePSCatParts.FindStringSubmatch(v); m != nil {
			p.field("CategoryInfo", m[1])
			if m[2] != "" {
				p.setSource(m[2])
				p.extra(m[2])
			}
			p.field("exception", m[3])
			if !genericException[m[3]] {
				p.extra(m[3])
			}
		} else if i := strings.IndexByte(v, ':'); i > 0 {
			p.field("CategoryInfo", v[:i])
		}
		p.remove(cat[0], cat[1])
	}
	if fq != nil {
		if m := rePSFailCat.FindStringSubmatch(t[fq[2]:fq[3]]); m != nil {
			p.field("FailureCategory", m[1])
		}
		p.field("FullyQualifiedErrorId", t[fq[4]:fq[5]])
		p.remove(fq[0], fq[1])
	}
	if p.mentions("pscomputername") {
		for _, m := range rePSComputer.FindAllStringIndex(t, 4) {
			p.remove(m[0], m[1])
		}
	}
}

// genericException names say nothing about the failure.
var genericException = map[string]bool{
	"Exception": true, "RemoteException": true, "ParentContainsErrorRecordException": true,
	"CmdletInvocationException": true,
}
