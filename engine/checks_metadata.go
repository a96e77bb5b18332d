package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ucpilot/ucpilot/remote/metadata"
	"github.com/ucpilot/ucpilot/remote/netx"
)

// metadataSide is what differs between the two metadata documents.
type metadataSide struct {
	product        string
	appID          string // the serviceName the document must state
	expiredPitfall string
}

func metadataCheck(side metadataSide) CheckFunc {
	return func(ctx context.Context, env *Env) (res Result) {
		url := env.Target
		if strings.Contains(strings.ToLower(url), "jason") {
			r := Result{Status: StatusFail, Pitfalls: []string{"metadata-url-jason"},
				Summary: fmt.Sprintf("the metadata URL says \"jason\" where it must say \"json\": %s", url)}
			r.Add("url", url)
			return r
		}
		client, err := netx.NewClient(env.netxConfig())
		if err != nil {
			return netError(err)
		}
		fetched, err := metadata.Fetch(ctx, client, url)
		var r Result
		if fetched != nil {
			describeFetch(&r, fetched)
			defer func() { noteRedirects(&res, fetched.Redirects) }()
		}
		if err != nil {
			return fetchFailure(r, err)
		}
		judgeDocument(&r, fetched.Document, side, env)
		return r
	}
}

func describeFetch(r *Result, f *metadata.FetchResult) {
	r.Add("status line", f.StatusLine)
	if f.ContentType != "" {
		r.Add("content-type", f.ContentType)
	}
	if len(f.Redirects) > 0 {
		r.Add("redirects", f.URL+" -> "+redirectTargets(f.Redirects))
	}
	if f.RemoteAddr != "" {
		r.Add("answered by", f.RemoteAddr)
	}
}

// fetchFailure explains why no document came back. Anything other than a
// metadata document is a finding (fail): the partner server would get the
// same answer. A network failure means no verdict (error), except TLS
// trust problems, which the partner would hit too.
func fetchFailure(r Result, err error) Result {
	var pe *metadata.ParseError
	if !errors.As(err, &pe) {
		n := netError(err)
		n.Evidence = append(r.Evidence, n.Evidence...)
		if n.Status == StatusError {
			n.Pitfalls = append(n.Pitfalls, "new-cspartnerapp-metadata-download-failed")
		}
		return n
	}
	r.Status, r.Summary = StatusFail, err.Error()
	r.Add("answer", string(pe.Kind))
	if pe.Title != "" {
		r.Add("page title", pe.Title)
	}
	switch pe.Kind {
	case metadata.KindSignInPage, metadata.KindAuthRequired:
		r.Pitfalls = []string{"metadata-html-signin-page", "preauth-proxy-strips-bearer"}
	case metadata.KindHTMLPage, metadata.KindProxyError:
		r.Pitfalls = []string{"metadata-html-signin-page"}
	default:
		r.Pitfalls = []string{"new-cspartnerapp-metadata-download-failed"}
	}
	return r
}

// judgeDocument checks the serviceName, the issuer's realm and the signing
// certificates, and publishes the realm and issuer for metadata.realm.
func judgeDocument(r *Result, doc *metadata.Document, side metadataSide, env *Env) {
	var f finding
	r.Add("serviceName", doc.ServiceName)
	r.Add("issuer", doc.Issuer)
	switch {
	case doc.ServiceName == "":
		f.add(StatusWarn, "the document states no serviceName")
	case !strings.EqualFold(doc.ServiceName, side.appID) && nearMiss(doc.ServiceName, side.appID):
		f.add(StatusFail, fmt.Sprintf("serviceName is %s, a mistyped %s (%s's application id)", doc.ServiceName, side.appID, side.product), "appid-missing-zero")
	case !strings.EqualFold(doc.ServiceName, side.appID) && side.appID == AppIDSfB:
		f.add(StatusFail, fmt.Sprintf("serviceName is %s, not %s's %s", doc.ServiceName, side.product, side.appID), "servicename-not-set")
	case !strings.EqualFold(doc.ServiceName, side.appID):
		f.add(StatusFail, fmt.Sprintf("serviceName is %s, not %s's %s: the URL points at another service", doc.ServiceName, side.product, side.appID))
	}
	if doc.IssuerAppID != "" && doc.ServiceName != "" && !strings.EqualFold(doc.IssuerAppID, doc.ServiceName) {
		f.add(StatusFail, fmt.Sprintf("the issuer's application id %s differs from serviceName %s", doc.IssuerAppID, doc.ServiceName))
	}
	realm := doc.IssuerRealm
	if realm == "" {
		realm = doc.Realm
	}
	r.SetFact(FactRealm, realm)
	r.SetFact(FactIssuer, doc.Issuer)
	if realm == "" {
		f.add(StatusWarn, "the document states no realm in its issuer")
	} else if !realmExpected(realm, env) {
		f.add(StatusWarn, fmt.Sprintf("the issuer's realm is %s, not the profile's domain %s", realm, env.Profile.Domain), "realm-mismatch")
	}
	judgeSigningKeys(r, &f, doc, side)
	ok := fmt.Sprintf("%s metadata: serviceName %s, issuer %s", side.product, doc.ServiceName, doc.Issuer)
	f.apply(r, ok)
}

// realmExpected accepts the profile's domain, and in the topologies with a
// tenant, the tenant id (the online realm is usually the tenant GUID).
func realmExpected(realm string, env *Env) bool {
	p := env.Profile
	return strings.EqualFold(realm, p.Domain) || (p.TenantID != "" && strings.EqualFold(realm, p.TenantID))
}

// judgeSigningKeys decodes every published key. The best certificate
// decides: all expired fails, the best one close to expiry warns, an
// expired one beside a valid one warns (it should have been removed).
func judgeSigningKeys(r *Result, f *finding, doc *metadata.Document, side metadataSide) {
	best, bestStatus, bestMsg := -1, Status(""), ""
	if doc.MoreKeys > 0 {
		r.Add("more keys", fmt.Sprintf("and %s more keys, not read (a document normally has one to three)", thousands(doc.MoreKeys)))
		f.add(StatusWarn, fmt.Sprintf("the document publishes %s signing keys; the first %d were read", thousands(len(doc.Keys)+doc.MoreKeys), len(doc.Keys)))
	}
	for i, k := range doc.Keys {
		prefix := fmt.Sprintf("key %d ", i+1)
		if len(doc.Keys) == 1 {
			prefix = "signing cert "
		}
		if k.Cert == nil {
			r.Add(prefix+"error", k.Err)
			continue
		}
		certEvidence(r, prefix, k.Cert)
		st, msg := validity(k.Cert, signingWarnWithin)
		if best < 0 || k.Cert.NotAfter.After(doc.Keys[best].Cert.NotAfter) {
			best, bestStatus, bestMsg = i, st, msg
		}
	}
	if best < 0 {
		f.add(StatusFail, "no signing key in the document decodes as a certificate")
		return
	}
	r.SetFact(FactThumbprint, doc.Keys[best].Thumbprint)
	switch bestStatus {
	case StatusFail:
		f.add(StatusFail, "signing "+bestMsg, side.expiredPitfall)
	case StatusWarn:
		f.add(StatusWarn, "signing "+bestMsg, side.expiredPitfall)
	}
	for i, k := range doc.Keys {
		if i != best && k.Cert != nil && now().After(k.Cert.NotAfter) && bestStatus == StatusPass {
			f.add(StatusWarn, fmt.Sprintf("an expired signing certificate (%s) is still published beside the valid one", k.Thumbprint))
		}
	}
}

// checkMetadataRealm compares the realms the two documents state with each
// other and with the profile's domain.
func checkMetadataRealm(_ context.Context, env *Env) Result {
	_, okEx := env.Dependency("metadata.exchange")
	_, okSfB := env.Dependency("metadata.sfb")
	if !okEx || !okSfB {
		return Result{Status: StatusSkipped, Summary: "needs the results of metadata.exchange and metadata.sfb (run the metadata group)"}
	}
	ex, sfb, domain := env.Fact("metadata.exchange", FactRealm), env.Fact("metadata.sfb", FactRealm), env.Profile.Domain
	var r Result
	r.Add("exchange realm", ex)
	r.Add("skype for business realm", sfb)
	r.Add("profile domain", domain)
	r.Add("exchange issuer", env.Fact("metadata.exchange", FactIssuer))
	r.Add("skype for business issuer", env.Fact("metadata.sfb", FactIssuer))
	switch {
	case ex == "" || sfb == "":
		r.Status, r.Summary = StatusFail, "a metadata document states no realm, so the two sides cannot be compared"
	case !strings.EqualFold(ex, sfb):
		r.Status, r.Summary = StatusFail, fmt.Sprintf("Exchange states realm %s but Skype for Business states %s", ex, sfb)
	case !strings.EqualFold(ex, domain):
		r.Status, r.Summary = StatusFail, fmt.Sprintf("both sides state realm %s, but the profile's domain is %s", ex, domain)
	default:
		r.Status, r.Summary = StatusPass, "both sides state realm "+ex
		return r
	}
	r.Pitfalls = []string{"realm-mismatch"}
	return r
}

// nearMiss reports whether got is want mistyped the way articles mistype
// application ids: a group with a zero too few or too many
// (00000004-0000-0ff1-ce00-00000000000), or a letter for a look-alike
// digit (0ffl for 0ff1) — as opposed to another application's id.
func nearMiss(got, want string) bool {
	g, w := lookalikes(got), lookalikes(want)
	if g == w {
		return true
	}
	strip := strings.NewReplacer("0", "", "-", "")
	return len(g) != len(w) && strip.Replace(g) == strip.Replace(w)
}

// lookalikes folds case and the letters that pass for digits.
func lookalikes(s string) string {
	return strings.NewReplacer("l", "1", "i", "1", "o", "0").Replace(strings.ToLower(s))
}
