package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/psout"
	"github.com/ucpilot/ucpilot/remote/shell"
)

// Sides of the deployment a credentialed check reads (Env.Shells keys).
const (
	SideExchange = "exchange"
	SideSfB      = "sfb"
	// SideTenant is a PowerShell session already connected to the
	// Microsoft 365 tenant (Graph or MSOnline); ucpilot never signs in to
	// a tenant itself.
	SideTenant = "tenant"
)

// Application ids of the Teams-era partner applications on Exchange.
const (
	AppIDTeamsScheduler = "7557eb47-c689-4224-abcf-aef9bd7573df"
	AppIDCloudVoicemail = "db7de2b5-2149-435e-8043-e080dd50afae"
)

// CheckSides returns the sides a credentialed check needs a shell for, by
// its id: ps.exchange.* reads Exchange, ps.sfb.* Skype for Business, and
// ps.cross.* compares both, ps.tenant.* reads the Microsoft 365 tenant.
func CheckSides(id string) []string {
	switch {
	case strings.HasPrefix(id, "ps.exchange."):
		return []string{SideExchange}
	case strings.HasPrefix(id, "ps.sfb."):
		return []string{SideSfB}
	case strings.HasPrefix(id, "ps.cross."):
		return []string{SideExchange, SideSfB}
	case strings.HasPrefix(id, "ps.tenant."):
		return []string{SideTenant}
	}
	return nil
}

func haveShells(id string, shells map[string]shell.Shell) bool {
	for _, side := range CheckSides(id) {
		if shells[side] == nil {
			return false
		}
	}
	return true
}

// shellFor returns the side's shell or an error result's text.
func (e *Env) shellFor(side string) (shell.Shell, error) {
	if sh := e.Shells[side]; sh != nil {
		return sh, nil
	}
	return nil, fmt.Errorf("no PowerShell session for the %s side (add %s.shell to the profile)", side, side)
}

func preludeFor(side string) string {
	switch side {
	case SideExchange:
		return shell.ExchangePrelude()
	case SideTenant:
		return tenantPrelude
	}
	return shell.SfBPrelude()
}

// psQuery runs body in the JSON envelope on the side's shell and decodes
// the objects it wrote. A transport failure, a PowerShell error and
// unreadable output all come back as errors; errors.As finds
// *shell.RemoteError for the PowerShell ones.
func psQuery(ctx context.Context, sh shell.Shell, side, body string, args map[string]string) ([]psout.Object, error) {
	script, err := shell.Script{Prelude: preludeFor(side), Body: body, Args: args, JSON: true}.Render()
	if err != nil {
		return nil, err
	}
	res, err := sh.Run(ctx, script)
	if err != nil {
		return nil, fmt.Errorf("running PowerShell on %s: %w", sh.Target(), err)
	}
	payload, err := shell.Outcome(res)
	if err != nil {
		return nil, err
	}
	if payload == "" || payload == "null" {
		return nil, nil
	}
	objs, err := psout.Decode([]byte(payload))
	if err != nil {
		return nil, fmt.Errorf("reading the output of %s: %w", firstWord(body), err)
	}
	return objs, nil
}

// psStrings runs a body that writes plain strings (Select-Object
// -ExpandProperty) and returns them.
func psStrings(ctx context.Context, sh shell.Shell, side, body string, args map[string]string) ([]string, error) {
	script, err := shell.Script{Prelude: preludeFor(side), Body: body, Args: args, JSON: true}.Render()
	if err != nil {
		return nil, err
	}
	res, err := sh.Run(ctx, script)
	if err != nil {
		return nil, fmt.Errorf("running PowerShell on %s: %w", sh.Target(), err)
	}
	payload, err := shell.Outcome(res)
	if err != nil {
		return nil, err
	}
	return decodeStrings(payload)
}

// decodeStrings reads a JSON string or list of strings (one string comes
// unwrapped from Windows PowerShell 5.1); other values are skipped.
func decodeStrings(payload string) ([]string, error) {
	payload = strings.TrimSpace(strings.TrimPrefix(payload, "\ufeff"))
	if payload == "" || payload == "null" {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal([]byte(payload), &v); err != nil {
		return nil, fmt.Errorf("the output is not JSON: %w", err)
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out, nil
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "the script"
	}
	return f[0]
}

// psFailure turns a failed query into a result: no verdict (error), with
// the PowerShell error's id as evidence.
func psFailure(sh shell.Shell, what string, err error) Result {
	r := Result{Status: StatusError, Summary: fmt.Sprintf("%s failed: %v", what, err)}
	var re *shell.RemoteError
	if errors.As(err, &re) {
		r.Summary = fmt.Sprintf("%s failed on %s: %s", what, sh.Target(), strings.TrimSpace(re.Message))
		if re.ErrorID != "" {
			r.Add("error id", re.ErrorID)
		}
		if strings.Contains(strings.ToLower(re.Message), "access") && strings.Contains(strings.ToLower(re.Message), "denied") {
			r.Summary += " (the account lacks the rights; an SSH key logon has no network credentials, log on with a password)"
		}
	}
	r.Add("ran on", sh.Target())
	return r
}

// notRecognized reports whether err says the cmdlet does not exist there.
func notRecognized(err error) bool {
	var re *shell.RemoteError
	if !errors.As(err, &re) {
		return false
	}
	return strings.Contains(re.ErrorID, "CommandNotFound") || strings.Contains(re.Message, "is not recognized")
}

// certDates judges a certificate's end date: fail when expired, warn
// within warnWithin unless a successor is staged.
func certDates(notAfter time.Time, warnWithin time.Duration, successorStaged bool) (Status, string) {
	if notAfter.IsZero() {
		return StatusWarn, "its expiry date could not be read"
	}
	left := notAfter.Sub(now())
	switch {
	case left < 0:
		return StatusFail, fmt.Sprintf("expired on %s", notAfter.UTC().Format("2006-01-02"))
	case left < warnWithin && !successorStaged:
		return StatusWarn, fmt.Sprintf("expires on %s (%s) and no successor is staged", notAfter.UTC().Format("2006-01-02"), days(notAfter))
	}
	return StatusPass, ""
}

// daysLeft is the whole days from now to t, negative once t has passed (a
// metric for monitoring systems, which graph it and alert on thresholds).
func daysLeft(t time.Time) float64 {
	return math.Floor(t.Sub(now()).Hours() / 24)
}

func dateEvidence(t time.Time) string {
	if t.IsZero() {
		return "(not reported)"
	}
	return t.UTC().Format(time.RFC3339) + " (" + days(t) + ")"
}

// oneShort returns the well-known application id that id is one character
// short of ("" when it is not): the appid-missing-zero typo.
func oneShort(id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	for _, k := range []string{AppIDExchange, AppIDSfB} {
		if len(id) != len(k)-1 {
			continue
		}
		for i := range k {
			if k[:i]+k[i+1:] == id {
				return k
			}
		}
	}
	return ""
}

// shortName is the first label of a host name, lower-case.
func shortName(host string) string {
	h, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(host)), ".")
	return h
}
