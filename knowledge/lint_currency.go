package knowledge

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Currency rules: facts that changed after the source articles were written.
// Each rule names what changed and where to read about it.

// SharedExchangeAppID is the application id of Exchange Online's shared,
// first-party service principal (Office 365 Exchange Online).
const SharedExchangeAppID = "00000002-0000-0ff1-ce00-000000000000"

// reKeyWrite matches the commands that add or replace key credentials on a
// service principal: MSOnline, Microsoft Graph PowerShell, Entra PowerShell,
// AzureAD and the Graph REST addKey action.
var reKeyWrite = regexp.MustCompile(`(?i)(New-MsolServicePrincipalCredential|Update-Mg(Beta)?ServicePrincipal\b[^\n]*-KeyCredentials?\b|Add-Mg(Beta)?ServicePrincipalKey\b|/addKey\b|New-(AzureAD|Entra(Beta)?)ServicePrincipalKeyCredential|Set-(AzureAD|Entra(Beta)?)ServicePrincipal\b[^\n]*-KeyCredentials?\b)`)

// sharedPrincipalKey fails when a command of the Exchange Server + Skype for
// Business Online / Teams topology puts a key credential on the shared
// Exchange Online principal. Since the dedicated Exchange hybrid application,
// Microsoft removes the Exchange auth certificate from that principal and
// blocks EWS calls from Exchange Server through it (CVE-2025-53786); a key
// there reopens what the change closed.
func (l *linter) sharedPrincipalKey() {
	check := func(where, text string) {
		if strings.Contains(strings.ToLower(text), SharedExchangeAppID) && reKeyWrite.MatchString(text) {
			l.add("%s puts a key credential on the shared Exchange Online principal %s in the sfbonline topology: "+
				"Exchange Server uses the dedicated Exchange hybrid application now (CVE-2025-53786); upload the auth certificate with ConfigureExchangeHybridApplication.ps1 instead",
				where, SharedExchangeAppID)
		}
	}
	for _, t := range l.b.Topologies {
		if t.ID != TopologySfBOnline {
			continue
		}
		for _, s := range t.Steps {
			for i, c := range s.Commands {
				check(stepWhere(s.ID, "command", i), c.Text)
			}
			for i, c := range s.Verify.Commands {
				check(stepWhere(s.ID, "verify command", i), c.Text)
			}
		}
	}
	for _, p := range l.b.Pitfalls {
		if len(p.Topologies) > 0 && !slices.Contains(p.Topologies, TopologySfBOnline) {
			continue
		}
		for i, c := range p.Commands {
			check(pitfallWhere(p.ID, i), c.Text)
		}
	}
}

func stepWhere(id, kind string, i int) string {
	return fmt.Sprintf("step %s %s %d", id, kind, i+1)
}

func pitfallWhere(id string, i int) string { return fmt.Sprintf("pitfall %s command %d", id, i+1) }

var (
	reKeysWriteBack = regexp.MustCompile(`(?i)Update-Mg(Beta)?ServicePrincipal\b[^\n]*-KeyCredentials`)
	reKeyReuse      = regexp.MustCompile(`(?i)\$_\.Key\b`)
	reSingleRead    = regexp.MustCompile(`(?i)Get-Mg(Beta)?ServicePrincipal\s+-ServicePrincipalId\b[^\n]*-(Property|Select)\s+'?[^\n]*keyCredentials`)
)

// keysReadForWriteBack fails on a Graph command that writes existing keys
// back (Update-MgServicePrincipal -KeyCredentials with $_.Key) without
// reading them from a single object with keyCredentials selected: on list
// and filter queries Graph returns every key as null.
func (l *linter) keysReadForWriteBack() {
	l.eachCommand(func(where string, c Command) {
		if reKeysWriteBack.MatchString(c.Text) && reKeyReuse.MatchString(c.Text) && !reSingleRead.MatchString(c.Text) {
			l.add("%s writes existing key credentials back without reading them by id with keyCredentials selected; "+
				"Graph returns key as null on list and filter queries, so the keys would be lost: use Get-MgServicePrincipal -ServicePrincipalId <id> -Property keyCredentials", where)
		}
	})
}

// reMSOnline matches a command of the retired MSOnline module.
var reMSOnline = regexp.MustCompile(`(?i)\b(Connect-MsolService|(Get|Set|New|Remove)-Msol\w+)\b`)

// isMSOnline reports whether a command is MSOnline, by its shell or its text.
func isMSOnline(c Command, stepShell Shell) bool {
	sh := c.Shell
	if sh == "" {
		sh = stepShell
	}
	return sh == ShellMSOnline || reMSOnline.MatchString(c.Text)
}

// isGraph reports whether a command is Microsoft Graph (or Entra) PowerShell.
func isGraph(c Command, stepShell Shell) bool {
	sh := c.Shell
	if sh == "" {
		sh = stepShell
	}
	return sh == ShellGraph && !reMSOnline.MatchString(c.Text)
}

// msonlineRetired: MSOnline stopped working after 30 March 2025. A list of
// commands may still show an MSOnline command as history, but only after its
// Microsoft Graph form and with a note that says it is retired; a cmdlet
// entry of the MSOnline shell must say so and name its Graph replacement.
func (l *linter) msonlineRetired() {
	check := func(where string, cmds []Command, stepShell Shell) {
		graphSeen := false
		for i, c := range cmds {
			if isGraph(c, stepShell) {
				graphSeen = true
				continue
			}
			if !isMSOnline(c, stepShell) {
				continue
			}
			w := fmt.Sprintf("%s command %d", where, i+1)
			if !graphSeen {
				l.add("%s is an MSOnline command (retired since 30 March 2025) with no Microsoft Graph form before it: put the Graph command first", w)
			}
			if !strings.Contains(strings.ToLower(c.Note), "retired") {
				l.add("%s is an MSOnline command; its note must say the module is retired", w)
			}
		}
	}
	for _, p := range l.b.Pitfalls {
		check("pitfall "+p.ID, p.Commands, "")
	}
	for _, t := range l.b.Topologies {
		for _, s := range t.Steps {
			if s.Shell == ShellMSOnline {
				l.add("step %s has shell msonline: MSOnline is retired; make the step a Microsoft Graph step", s.ID)
			}
			check("step "+s.ID, s.Commands, s.Shell)
			check("step "+s.ID+" verify", s.Verify.Commands, s.Shell)
		}
	}
	for _, c := range l.b.Cmdlets {
		if c.Shell != ShellMSOnline && !reMSOnline.MatchString(c.Name) {
			continue
		}
		does := strings.ToLower(c.Does)
		if !strings.Contains(does, "retired") || !strings.Contains(does, "-mg") {
			l.add("cmdlet %s is MSOnline: its description must say the module is retired and name the Microsoft Graph cmdlet that replaces it", c.Name)
		}
	}
}
