package paste

import "regexp"

// FormOAuthTest is the result list Test-OAuthConnectivity prints
// (Format-List of its ValidationResultNode objects):
//
//	Task        : Checking EWS API Call Under Oauth
//	Detail      : The configuration was last successfully loaded at ... minutes ago
//	              Exchange Response Details:
//	              HTTP response message:
//	              Exception:
//	              System.Net.WebException: The remote server returned an error: (403) Forbidden.
//	ResultType  : Error
//	Identity    : Microsoft.Exchange.Security.OAuth.ValidationResultNodeId
//
// The task and the exception carry the meaning; the labels, the result
// type, the node identity and the configuration-age sentence are noise.
const FormOAuthTest = "Test-OAuthConnectivity result"

var (
	reOATLabel    = regexp.MustCompile(`(?m)^[ \t]*(Task|Detail|ResultType|Identity|IsValid|ObjectState)[ \t]*:[ \t]*`)
	reOATNoise    = regexp.MustCompile(`(?m)^[ \t]*(ResultType|Identity|IsValid|ObjectState)[ \t]*:[^\n]*$`)
	reOATConfAge  = regexp.MustCompile(`The configuration was last successfully loaded at [^\n]{0,80}?minutes ago`)
	reOATSubLabel = regexp.MustCompile(`(?m)^[ \t]*(Exchange Response Details|HTTP response message|Exception)[ \t]*:[ \t]*$`)
	reOATTask     = regexp.MustCompile(`(?m)^[ \t]*Task[ \t]*:[ \t]*([^\n]{1,200})$`)
	reOATResult   = regexp.MustCompile(`(?m)^[ \t]*ResultType[ \t]*:[ \t]*(\w{1,40})`)
)

func (p *parse) oauthTest() {
	if !p.mentions("validationresultnodeid", "resulttype") || !p.mentions("task") {
		return
	}
	t := p.text
	task := reOATTask.FindStringSubmatch(t)
	if task == nil || reOATResult.FindStringIndex(t) == nil {
		return
	}
	p.form(FormOAuthTest)
	p.setSource("Test-OAuthConnectivity")
	for _, m := range reOATTask.FindAllStringSubmatch(t, 8) {
		p.field("task", m[1])
	}
	for _, m := range reOATResult.FindAllStringSubmatch(t, 8) {
		p.field("result", m[1])
	}
	for _, re := range []*regexp.Regexp{reOATNoise, reOATLabel, reOATConfAge, reOATSubLabel} {
		for _, m := range re.FindAllStringIndex(t, 64) {
			p.remove(m[0], m[1])
		}
	}
}
