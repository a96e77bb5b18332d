package lab

import (
	"fmt"
	"math"
	"net"
	"strings"

	"github.com/ucpilot/ucpilot/remote/lab/ps"
)

// Fleet is how many servers a scenario simulates: Exchange servers
// exch01…, Front Ends fe01… dealt in order over pools pool01…. A lab
// with a fleet gives every server its own loopback address (127.1.x.y, on
// the lab's HTTPS port), so each answers for itself and the cost of a run
// grows with the fleet as a real one would.
type Fleet struct {
	Exchange  int `yaml:"exchange"`
	FrontEnds int `yaml:"front_ends"`
	Pools     int `yaml:"pools"`
}

// MaxFleet bounds the Exchange servers of a lab (--scale).
const MaxFleet = 2000

// StartOptions change how a scenario starts.
type StartOptions struct {
	// Scale, when above 0, sets the number of Exchange servers; Front Ends
	// follow in the scenario's proportion (at least one). Mutations that
	// name a server the scaled fleet does not have are left out.
	Scale int
}

// scaled returns the fleet to build: the scenario's (nil for the healthy
// pair) scaled by opts.
func scaled(f *Fleet, opts StartOptions) *Fleet {
	if opts.Scale <= 0 {
		return f
	}
	base := Fleet{Exchange: 1, FrontEnds: 2, Pools: 1}
	if f != nil {
		base = *f
	}
	fe := int(math.Round(float64(opts.Scale) * float64(base.FrontEnds) / float64(max(base.Exchange, 1))))
	return &Fleet{Exchange: opts.Scale, FrontEnds: max(fe, 1), Pools: min(max(base.Pools, 1), max(fe, 1))}
}

// fleetAddr is the loopback address of the i-th fleet server.
func fleetAddr(i int) string { return fmt.Sprintf("127.1.%d.%d", i/250, i%250+1) }

func exchName(i int) string { return fmt.Sprintf("exch%02d", i+1) }
func feName(i int) string   { return fmt.Sprintf("fe%02d", i+1) }
func poolName(i int) string { return fmt.Sprintf("pool%02d", i+1) }

// grow turns the healthy state into a fleet: exch01's settings copied to
// every Exchange server, the pool's certificate on every Front End, each
// server on its own loopback address. The caller holds s.mu (or owns s).
func (s *State) grow(f *Fleet) {
	if len(s.Exchange.Servers) == 0 {
		return
	}
	first := s.Exchange.Servers[0]
	s.Exchange.Servers = s.Exchange.Servers[:0]
	n := 0
	for i := 0; i < f.Exchange; i++ {
		sv := first
		sv.Name, sv.FQDN, sv.Addr = exchName(i), host(exchName(i)), fleetAddr(n)
		n++
		s.Exchange.Servers = append(s.Exchange.Servers, sv)
		s.DNS[sv.FQDN] = DNSRecord{A: []string{sv.Addr}}
	}
	if len(s.SfB.FrontEnds) == 0 || f.FrontEnds <= 0 {
		return
	}
	thumb := s.SfB.FrontEnds[0].OAuthThumb
	pools := max(f.Pools, 1)
	s.SfB.FrontEnds = s.SfB.FrontEnds[:0]
	for i := 0; i < f.FrontEnds; i++ {
		fe := FrontEnd{FQDN: host(feName(i)), OAuthThumb: thumb, Pool: host(poolName(i * pools / f.FrontEnds)), Addr: fleetAddr(n)}
		n++
		s.SfB.FrontEnds = append(s.SfB.FrontEnds, fe)
		s.DNS[fe.FQDN] = DNSRecord{A: []string{fe.Addr}}
	}
	for i := 1; i < pools; i++ {
		// Pools past the first resolve like the first: the lab's pool
		// documents are served by the main listener.
		s.DNS[host(poolName(i))] = DNSRecord{A: []string{"127.0.0.1"}}
	}
}

// fleetNames lists the host names of the fleet's servers (for the HTTPS
// certificate) and their addresses; the caller holds s.mu.
func (s *State) fleetListeners() (names, addrs []string) {
	for _, sv := range s.Exchange.Servers {
		if sv.Addr != "" {
			names, addrs = append(names, sv.FQDN), append(addrs, sv.Addr)
		}
	}
	for _, fe := range s.SfB.FrontEnds {
		if fe.Addr != "" {
			names, addrs = append(names, fe.FQDN), append(addrs, fe.Addr)
		}
	}
	for i := 1; ; i++ {
		if _, ok := s.DNS[host(poolName(i))]; !ok {
			break
		}
		names = append(names, host(poolName(i)))
	}
	return names, addrs
}

// listenFleet opens one listener per fleet address on the lab's port.
func listenFleet(addrs []string, port string) ([]net.Listener, error) {
	var lns []net.Listener
	for _, a := range addrs {
		ln, err := net.Listen("tcp", net.JoinHostPort(a, port))
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, fmt.Errorf("lab: a fleet server listens on its own loopback address, and %s:%s is not available: %w "+
				"(Linux routes all of 127.0.0.0/8 to loopback; elsewhere add the address as an alias of the loopback interface)", a, port, err)
		}
		lns = append(lns, ln)
	}
	return lns, nil
}

// setServerCert changes one Exchange server's store: "missing" removes
// the current auth certificate from it (replication never reached it).
func (s *State) setServerCert(name, v string) error {
	sv := s.server(name)
	if sv == nil {
		return errNoServer{name}
	}
	if v != "missing" {
		return fmt.Errorf("want exchange.server.%s.auth_cert: missing", name)
	}
	sv.Missing = append(sv.Missing, s.Exchange.AuthConfig.Current)
	return nil
}

// errNoServer is a mutation naming a server the (scaled) fleet lacks.
type errNoServer struct{ name string }

func (e errNoServer) Error() string { return fmt.Sprintf("the lab has no server %q", e.name) }

// lacks reports whether server sv's store lacks thumbprint tp.
func (sv *ExchangeServer) lacks(tp string) bool {
	for _, m := range sv.Missing {
		if strings.EqualFold(m, tp) {
			return true
		}
	}
	return false
}

// fleetCmdlets are Get-CsPool and Get-CsComputer: the topology as the
// Central Management Store publishes it.
func fleetCmdlets() []*cmdletDef {
	return []*cmdletDef{
		{name: "Get-CsPool", shells: "sfbms", params: "Identity", pos: "Identity", fn: getCsPool},
		{name: "Get-CsComputer", shells: "sfbms", params: "Identity Pool", pos: "Identity", fn: getCsComputer},
	}
}

func (fe FrontEnd) pool(s *State) string {
	if fe.Pool != "" {
		return fe.Pool
	}
	return s.SfB.Pool
}

func getCsPool(c *call) ([]ps.Value, error) {
	s := c.ip.st
	var order []string
	members := map[string][]ps.Value{}
	for _, fe := range s.SfB.FrontEnds {
		p := fe.pool(s)
		if _, ok := members[p]; !ok {
			order = append(order, p)
		}
		members[p] = append(members[p], fe.FQDN)
	}
	want := c.Str("Identity")
	var out []ps.Value
	for _, p := range order {
		if want != "" && !strings.EqualFold(want, p) {
			continue
		}
		out = append(out, ps.NewObject("Microsoft.Rtc.Management.Xds.Pool", "Identity", p, "Fqdn", p, "Site", "Site:Default",
			"Services", []ps.Value{"Registrar:" + p, "WebServer:" + p}, "Computers", members[p]))
	}
	if want != "" && len(out) == 0 {
		return nil, c.Fail("ObjectNotFound", "ItemNotFound", "Cannot find pool %q.", want)
	}
	return out, nil
}

func getCsComputer(c *call) ([]ps.Value, error) {
	s := c.ip.st
	var out []ps.Value
	for _, fe := range s.SfB.FrontEnds {
		if id := c.Str("Identity"); id != "" && !strings.EqualFold(id, fe.FQDN) {
			continue
		}
		if p := c.Str("Pool"); p != "" && !strings.EqualFold(p, fe.pool(s)) {
			continue
		}
		out = append(out, ps.NewObject("Microsoft.Rtc.Management.Xds.Computer", "Identity", fe.FQDN, "Fqdn", fe.FQDN, "Pool", fe.pool(s)))
	}
	return out, nil
}

// IsFleet reports whether the lab's servers answer on addresses of their
// own (a fleet scenario, or --scale).
func (l *Lab) IsFleet() bool {
	s := l.state
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.Exchange.Servers) > 0 && s.Exchange.Servers[0].Addr != ""
}

// Size returns how many Exchange servers and Front Ends the lab simulates.
func (l *Lab) Size() (exchange, frontEnds int) {
	s := l.state
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.Exchange.Servers), len(s.SfB.FrontEnds)
}
