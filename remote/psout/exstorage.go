package psout

import (
	"regexp"
	"strings"
)

// ExStorage failure codes. Where a knowledge-base pitfall exists the code is its id, so
// the engine can map it directly; the others name the symptom.
const (
	ExStorageCode5        = "exstorage-code5-rtcuniversaluseradmins"
	ExStorage401          = "exstorage-401-oauth-not-accepted"
	ExStorage574          = "exstorage-574-content-type"
	ExStorageTLSUntrusted = "metadata-tls-untrusted"
	ExStorageAutodiscover = "exstorage-autodiscover-failed"
	ExStorageDNS          = "exstorage-name-not-resolved"
	ExStorageTimeout      = "exstorage-timeout"
)

// ExStorageOutcome is the verdict of a Test-CsExStorageConnectivity run.
type ExStorageOutcome string

// Outcomes.
const (
	Passed  ExStorageOutcome = "passed"
	Failed  ExStorageOutcome = "failed"
	Unknown ExStorageOutcome = "unknown" // neither a verdict nor a recognised failure in the text
)

// ExStorageMarker is one recognised failure line.
type ExStorageMarker struct {
	Code string
	Line int    // 1-based line number in the output
	Text string // the line, trimmed
}

// ExStorageResult is what the verbose output says.
type ExStorageResult struct {
	Outcome ExStorageOutcome
	Markers []ExStorageMarker // in output order, one per code (its first line)
}

// Success reports whether the test passed with no failure markers.
func (r ExStorageResult) Success() bool { return r.Outcome == Passed && len(r.Markers) == 0 }

var exStoragePatterns = []struct {
	code string
	re   *regexp.Regexp
}{
	{ExStorageCode5, regexp.MustCompile(`(?i)\bcode\s*=\s*5\b`)},
	{ExStorage401, regexp.MustCompile(`(?i)\b401\b|\bunauthori[sz]ed\b`)},
	{ExStorage574, regexp.MustCompile(`(?i)\b574\b|content type of ''|but expected 'text/xml'`)},
	{ExStorageTLSUntrusted, regexp.MustCompile(`(?i)could not establish trust relationship for the SSL/TLS|remote certificate is invalid`)},
	{ExStorageDNS, regexp.MustCompile(`(?i)remote name could not be resolved`)},
	{ExStorageAutodiscover, regexp.MustCompile(`(?i)ErrorEwsAutodiscover|autodiscover\w*\s+(failed|failure|error)|autodiscover(y)? (request )?failed|AutodiscoverException`)},
	{ExStorageTimeout, regexp.MustCompile(`(?i)timed out|\btimeout\b|request was aborted`)},
}

var (
	passedRE = regexp.MustCompile(`(?i)\btest passed\b|\bresult\s*:\s*success\b`)
	failedRE = regexp.MustCompile(`(?i)\btest failed\b|\bresult\s*:\s*fail(ure|ed)?\b|\bexception\b|\berror\b`)
)

// ParseExStorage reads the text of Test-CsExStorageConnectivity -Verbose (stdout and
// stderr together). Any failure marker makes the outcome Failed, whatever else the text
// says; "Test passed" alone makes it Passed.
func ParseExStorage(text string) ExStorageResult {
	text = strings.TrimPrefix(text, "\ufeff")
	var res ExStorageResult
	seen := map[string]bool{}
	passed, failed := false, false
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if passedRE.MatchString(line) {
			passed = true
		}
		if failedRE.MatchString(line) {
			failed = true
		}
		for _, p := range exStoragePatterns {
			if !seen[p.code] && p.re.MatchString(line) {
				seen[p.code] = true
				res.Markers = append(res.Markers, ExStorageMarker{Code: p.code, Line: i + 1, Text: line})
			}
		}
	}
	switch {
	case len(res.Markers) > 0 || failed:
		res.Outcome = Failed
	case passed:
		res.Outcome = Passed
	default:
		res.Outcome = Unknown
	}
	return res
}
