package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/remote/bearer"
	"github.com/ucpilot/ucpilot/remote/netx"
	"github.com/ucpilot/ucpilot/remote/psout"
	"github.com/ucpilot/ucpilot/remote/shell"
)

const (
	exServersQuery    = "Get-ExchangeServer | Select-Object Name,Fqdn,ServerRole"
	exAuthThumbsQuery = "Get-AuthConfig | Select-Object CurrentCertificateThumbprint,NextCertificateThumbprint"
	// -Server reads that server's own store over RPC: replication of the
	// auth certificate is per server.
	exServerCertQuery = "Get-ExchangeCertificate -Server $server -Thumbprint $thumbprint | Select-Object Thumbprint,NotAfter,HasPrivateKey"
	// The virtual directories of every server in one query each: what AD
	// holds, so a fleet costs two commands here, not two per server.
	exEWSVdirsQuery   = "Get-WebServicesVirtualDirectory -ADPropertiesOnly | Select-Object Server,OAuthAuthentication"
	exAutodVdirsQuery = "Get-AutodiscoverVirtualDirectory -ADPropertiesOnly | Select-Object Server,OAuthAuthentication"
	factClockSkew     = "clock_skew_seconds"
)

// checkExchangeFleet: on every Mailbox / Client Access server, the current
// auth certificate is in its store with its private key and not close to
// expiry, OAuth is on for its EWS and Autodiscover virtual directories,
// its own EWS offers a Bearer challenge, and its clock agrees with the
// others'. Servers come from Get-ExchangeServer with PowerShell, else from
// exchange.servers; without PowerShell only the HTTP settings are read.
func checkExchangeFleet(ctx context.Context, env *Env) Result {
	p := env.Profile
	port := fleetPort(p.Exchange.EWSURL)
	sh := env.Shells[SideExchange]
	var r Result
	var servers []fleetServer
	source := "exchange.servers in the profile"
	if sh != nil {
		objs, err := psQuery(ctx, sh, SideExchange, exServersQuery, nil)
		if err != nil && len(p.Exchange.Servers) == 0 {
			return psFailure(sh, "Get-ExchangeServer", err)
		}
		if err != nil {
			r.Add("discovery", "Get-ExchangeServer failed ("+err.Error()+"); the profile's list is used")
		}
		for _, o := range objs {
			role := strings.ToLower(o.Str("ServerRole"))
			if strings.Contains(role, "mailbox") || strings.Contains(role, "clientaccess") {
				servers = append(servers, fleetServer{name: strings.ToLower(strings.TrimSpace(o.Str("Fqdn")))})
			}
		}
		if err == nil {
			source = "Get-ExchangeServer (Mailbox and Client Access roles)"
			servers = withPorts(servers, p.Exchange.Servers, port)
		}
	}
	if servers == nil {
		servers = listed(p.Exchange.Servers, port)
	}
	servers, dropped := keepValid(servers)
	var cur, next string
	if sh != nil {
		objs, err := psQuery(ctx, sh, SideExchange, exAuthThumbsQuery, nil)
		switch {
		case err != nil:
			r.Add("auth config", "Get-AuthConfig failed: "+err.Error())
		case len(objs) > 0:
			ac := psout.AuthConfigFrom(objs[0])
			cur = strings.ToUpper(strings.TrimSpace(ac.CurrentCertificateThumbprint))
			next = strings.ToUpper(strings.TrimSpace(ac.NextCertificateThumbprint))
			if shell.ValidateThumbprint(cur) != nil {
				r.Add("auth config", "the current thumbprint is not usable: "+orNone(cur))
				cur = ""
			}
			r.Add("current auth certificate", orNone(cur))
		}
	}
	var vdirs map[string]vdirState
	if sh != nil {
		vdirs = readVdirs(ctx, sh, &r)
	}
	client, err := netx.NewClient(env.netxConfig())
	if err != nil {
		return netError(err)
	}
	results := onEach(ctx, servers, p.Exchange.Connections, func(ctx context.Context, s fleetServer) Result {
		return exchangeServer(ctx, sh, client, s, cur, next, vdirs)
	})
	judgeClocks(results)
	summarizeFleet(&r, "Exchange servers", results, source, dropped)
	return r
}

// exchangeServer reads one server's settings.
func exchangeServer(ctx context.Context, sh shell.Shell, client *netx.Client, s fleetServer, cur, next string, vdirs map[string]vdirState) Result {
	r := Result{ID: "fleet.exchange", Group: "fleet", Title: s.name}
	var problems []string
	problem := func(msg string, pitfalls ...string) {
		problems = append(problems, msg)
		r.Pitfalls = appendNew(r.Pitfalls, pitfalls...)
	}
	if sh == nil || cur == "" {
		setting(&r, SetAuthCert, notRead, StatusSkipped)
		setting(&r, SetAuthDays, notRead, StatusSkipped)
	} else {
		cert, err := serverCert(ctx, sh, s.name, cur)
		switch {
		case err != nil:
			setting(&r, SetAuthCert, notRead, StatusError)
			setting(&r, SetAuthDays, notRead, StatusSkipped)
			problems = append(problems, "its certificates could not be read: "+err.Error())
		case cert == nil:
			setting(&r, SetAuthCert, "missing", StatusFail)
			setting(&r, SetAuthDays, notRead, StatusSkipped)
			problem(fmt.Sprintf("the current auth certificate %s is not in its store", cur), "exchange-auth-cert-missing-on-server")
		case !cert.Bool("HasPrivateKey"):
			setting(&r, SetAuthCert, "no private key", StatusFail)
			setting(&r, SetAuthDays, notRead, StatusSkipped)
			problem(fmt.Sprintf("the auth certificate %s is in its store without its private key", cur), "exchange-auth-cert-missing-on-server")
		default:
			setting(&r, SetAuthCert, shortThumb(cur), StatusPass)
			notAfter := cert.Time("NotAfter")
			if notAfter.IsZero() {
				setting(&r, SetAuthDays, notRead, StatusWarn)
				problems = append(problems, "the auth certificate's end date could not be read")
				break
			}
			days := daysLeft(notAfter)
			r.SetMetric(MetricAuthCertDays, days)
			st, msg := certDates(notAfter, signingWarnWithin, next != "")
			setting(&r, SetAuthDays, fmt.Sprint(int(days)), st)
			if st != StatusPass {
				problem("the auth certificate "+msg, "exchange-auth-cert-expired")
			}
		}
	}
	for _, v := range []struct {
		name, what string
		ews        bool
	}{{SetEWSOAuth, "EWS", true}, {SetAutodOAuth, "Autodiscover", false}} {
		st, ok := vdirs[shortName(s.name)]
		on, read := st.autod, st.autodRead
		if v.ews {
			on, read = st.ews, st.ewsRead
		}
		switch {
		case sh == nil:
			setting(&r, v.name, notRead, StatusSkipped)
		case !ok || !read:
			setting(&r, v.name, notRead, StatusError)
			problems = append(problems, "Get-"+map[bool]string{true: "WebServices", false: "Autodiscover"}[v.ews]+"VirtualDirectory lists no "+v.what+" virtual directory for it")
		case on:
			setting(&r, v.name, "on", StatusPass)
		default:
			setting(&r, v.name, "off", StatusFail)
			problem("OAuth is off on its "+v.what+" virtual directory", "oauth-disabled-on-vdir")
		}
	}
	probe, err := bearer.Probe(ctx, client, "https://"+s.addr+"/EWS/Exchange.asmx")
	switch {
	case probe == nil:
		setting(&r, SetBearer, "no answer", StatusError)
		problems = append(problems, "its EWS did not answer: "+errText(err))
	case probe.Bearer != nil:
		setting(&r, SetBearer, "offered", StatusPass)
	case probe.StatusCode != http.StatusUnauthorized:
		setting(&r, SetBearer, fmt.Sprint(probe.StatusCode), StatusError)
		problems = append(problems, "its EWS answered "+probe.StatusLine+" instead of a 401 challenge")
	default:
		setting(&r, SetBearer, "not offered", StatusFail)
		problem("its EWS offers no Bearer challenge", "oauth-disabled-on-vdir")
	}
	if probe != nil {
		if t, err := http.ParseTime(probe.Server.Get("Date")); err == nil {
			r.SetFact(factClockSkew, fmt.Sprint(time.Until(t).Round(time.Second).Seconds()))
		}
	}
	finishServer(&r, problems)
	return r
}

// serverCert reads one certificate from one server's store; (nil, nil)
// means the server does not have it.
func serverCert(ctx context.Context, sh shell.Shell, server, thumb string) (psout.Object, error) {
	objs, err := psQuery(ctx, sh, SideExchange, exServerCertQuery, map[string]string{"server": server, "thumbprint": thumb})
	var re *shell.RemoteError
	if errors.As(err, &re) && strings.Contains(strings.ToLower(re.Message), "not found") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		if strings.EqualFold(o.Str("Thumbprint"), thumb) {
			return o, nil
		}
	}
	return nil, nil
}

// judgeClocks compares each server's clock (its HTTP Date) with the
// median of all: a server more than five minutes off fails, since the
// tokens it issues or accepts fall outside their lifetime elsewhere.
func judgeClocks(servers []Result) {
	var skews []float64
	for _, s := range servers {
		if v, ok := s.Facts[factClockSkew]; ok {
			var f float64
			if _, err := fmt.Sscan(v, &f); err == nil {
				skews = append(skews, f)
			}
		}
	}
	sorted := append([]float64(nil), skews...)
	sort.Float64s(sorted)
	median := 0.0
	if len(sorted) > 0 {
		median = sorted[len(sorted)/2]
	}
	for i := range servers {
		s := &servers[i]
		v, ok := s.Facts[factClockSkew]
		var f float64
		if _, err := fmt.Sscan(v, &f); !ok || err != nil {
			s.Settings = append(s.Settings, Setting{Name: SetClock, Value: notRead, Status: StatusSkipped})
			continue
		}
		off := time.Duration((f - median) * float64(time.Second))
		if math.Abs(off.Seconds()) <= maxClockSkew.Seconds() {
			s.Settings = append(s.Settings, Setting{Name: SetClock, Value: "in step", Status: StatusPass})
			continue
		}
		word := "ahead of"
		if off < 0 {
			word, off = "behind", -off
		}
		s.Settings = append(s.Settings, Setting{Name: SetClock, Value: signed(off, word), Status: StatusFail})
		msg := fmt.Sprintf("its clock is %s %s the others'", off.Round(time.Second), word)
		s.Status = worse(s.Status, StatusFail)
		if s.Summary == "as expected" {
			s.Summary = msg
		} else {
			s.Summary += "; " + msg
		}
		s.Pitfalls = appendNew(s.Pitfalls, "clock-skew")
	}
}

func signed(d time.Duration, word string) string {
	if word == "behind" {
		return "-" + d.Round(time.Second).String()
	}
	return "+" + d.Round(time.Second).String()
}

// shortThumb is the first eight hex digits of a thumbprint: enough to tell
// certificates apart in a grid cell.
func shortThumb(tp string) string {
	if len(tp) > 8 {
		return tp[:8]
	}
	return tp
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		found := false
		for _, x := range list {
			if x == it {
				found = true
			}
		}
		if !found {
			list = append(list, it)
		}
	}
	return list
}

func errText(err error) string {
	if err == nil {
		return "no response"
	}
	return err.Error()
}

// vdirState is what AD says about one server's EWS and Autodiscover
// virtual directories.
type vdirState struct {
	ews, ewsRead     bool
	autod, autodRead bool
}

// readVdirs reads every server's virtual directories, by short server
// name; a failed query leaves its half unread (and says so in r).
func readVdirs(ctx context.Context, sh shell.Shell, r *Result) map[string]vdirState {
	out := map[string]vdirState{}
	for _, q := range []struct {
		query string
		ews   bool
	}{{exEWSVdirsQuery, true}, {exAutodVdirsQuery, false}} {
		objs, err := psQuery(ctx, sh, SideExchange, q.query, nil)
		if err != nil {
			r.Add("virtual directories", firstWord(q.query)+" failed: "+err.Error())
			continue
		}
		for _, o := range objs {
			name := shortName(o.Str("Server"))
			st := out[name]
			if q.ews {
				st.ews, st.ewsRead = o.Bool("OAuthAuthentication"), true
			} else {
				st.autod, st.autodRead = o.Bool("OAuthAuthentication"), true
			}
			out[name] = st
		}
	}
	return out
}
