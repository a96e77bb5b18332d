package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// interruptRunsEnv sets how many interrupted runs TestCheckInterruptEndsPromptly
// makes (default 1). scripts/bench sets it to take a median.
const interruptRunsEnv = "UCPILOT_INTERRUPT_RUNS"

// TestCheckInterruptEndsPromptly starts the real binary's `check` against
// loopback servers that hang (a DNS server that never answers the pool and
// lyncdiscover names, an HTTPS port that accepts and then never speaks
// TLS), waits until every check that can start is stuck on the network,
// sends SIGINT, and expects: exit status 3, "interrupted" on stderr, and a
// JSON report where every check that was stuck is "skipped" (see
// checkInterruptedOutput for the one that could finish). The interrupt-to-exit latency is logged; the 200 ms
// budget of issue 7 is judged by scripts/bench from these lines, and the
// test itself only bounds it loosely so a loaded machine cannot flake it.
func TestCheckInterruptEndsPromptly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent to another process on Windows")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "ucpilot")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	runs := 1
	if s := os.Getenv(interruptRunsEnv); s != "" {
		if runs, err = strconv.Atoi(s); err != nil || runs < 1 {
			t.Fatalf("%s=%q: expected a positive number of runs", interruptRunsEnv, s)
		}
	}
	var lat []time.Duration
	for i := range runs {
		t.Run(fmt.Sprintf("run%d", i+1), func(t *testing.T) {
			d := interruptOnce(t, bin, os.Interrupt)
			t.Logf("interrupt-to-exit: %.1f ms", float64(d.Microseconds())/1000)
			if d > 3*time.Second {
				t.Errorf("the check took %s to exit after SIGINT (budget 200 ms; this bound is loose on purpose)", d)
			}
			lat = append(lat, d)
		})
	}
	// SIGTERM (systemd, a container runtime, a scheduler) ends the run
	// the same way: exit 3 and the partial report.
	t.Run("sigterm", func(t *testing.T) { interruptOnce(t, bin, syscall.SIGTERM) })
	if len(lat) > 0 {
		slices.Sort(lat)
		t.Logf("interrupt-to-exit median: %.1f ms (min %.1f, max %.1f, n=%d)", ms(lat[len(lat)/2]), ms(lat[0]), ms(lat[len(lat)-1]), len(lat))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// interruptOnce runs one hung check, interrupts it, checks how it ended
// and returns the time from SIGINT to exit.
func interruptOnce(t *testing.T, bin string, sig os.Signal) time.Duration {
	h := startHangingLab(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "profile.yaml")
	yaml := "name: hang\ntopology: onprem\ndomain: contoso.lab\n" +
		"exchange:\n  fqdn: exch01.contoso.lab\n  autodiscover: autodiscover.contoso.lab\n" +
		"  metadata_url: https://autodiscover.contoso.lab:" + h.httpsPort + "/autodiscover/metadata/json/1\n" +
		"sfb:\n  pool: pool01.contoso.lab\n" +
		"dns:\n  server: " + h.dnsAddr + "\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "check", "--profile", path, "--format", "json")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "HOME="+dir, "UCPILOT_PROFILE=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// Every check that can start is on the wire: four HTTPS checks hold a
	// connection to the silent port, and both hung names were asked for.
	deadline := time.Now().Add(15 * time.Second)
	for !h.allStuck() {
		select {
		case err := <-exited:
			t.Fatalf("the check ended before it was interrupted (%v)\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			t.Fatalf("the run never got stuck on the hanging servers (%d HTTPS connections, hung names %v)\nstderr:\n%s",
				h.accepted.Load(), h.hungNames(), stderr.String())
		}
	}
	sent := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	select {
	case waitErr = <-exited:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("still running 20 s after %v\nstderr:\n%s", sig, stderr.String())
	}
	took := time.Since(sent)
	checkInterruptedOutput(t, cmd, waitErr, stdout.Bytes(), stderr.String())
	return took
}

// checkInterruptedOutput: exit 3, "interrupted" on stderr, and a JSON
// report in which every check is skipped except dns.autodiscover (the name
// the lab answers). That one may have passed or been cancelled: its last
// answer arrives at about the time the other checks get stuck, and when
// the check itself returns is not visible from outside the process, so on
// a busy machine the signal can land while it is still finishing. Either
// ending is right; any other is not.
func checkInterruptedOutput(t *testing.T, cmd *exec.Cmd, waitErr error, stdout []byte, stderr string) {
	t.Helper()
	if code := cmd.ProcessState.ExitCode(); code != 3 {
		t.Errorf("exit status %d (%v), want 3 (could not run: interrupted)\nstderr:\n%s", code, waitErr, stderr)
	}
	if !strings.Contains(stderr, "interrupted") {
		t.Errorf("stderr does not say the run was interrupted:\n%s", stderr)
	}
	var rep struct {
		Summary struct{ Pass, Skipped int } `json:"summary"`
		Checks  []struct{ ID, Status, Summary string }
	}
	if err := json.Unmarshal(stdout, &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout)
	}
	if len(rep.Checks) < 10 {
		t.Errorf("the report lists %d checks, want the 10 zero-credential checks of an on-premises profile", len(rep.Checks))
	}
	passed := 0
	for _, c := range rep.Checks {
		switch {
		case c.Status == "skipped":
		case c.ID == "dns.autodiscover" && c.Status == "pass":
			passed = 1
		default:
			t.Errorf("%s: %s %q, want skipped (or pass for dns.autodiscover)", c.ID, c.Status, c.Summary)
		}
	}
	if rep.Summary.Pass != passed || rep.Summary.Skipped != len(rep.Checks)-passed {
		t.Errorf("summary pass %d skipped %d of %d checks", rep.Summary.Pass, rep.Summary.Skipped, len(rep.Checks))
	}
}

// hangingLab is a DNS server that answers autodiscover.contoso.lab at
// once and never answers any other name, and an HTTPS port that accepts
// connections and never says a word.
type hangingLab struct {
	dnsAddr   string
	httpsPort string
	accepted  atomic.Int32

	mu   sync.Mutex
	hung map[string]bool // names asked for and left unanswered
}

func startHangingLab(t *testing.T) *hangingLab {
	h := &hangingLab{hung: map[string]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, h.httpsPort, _ = net.SplitHostPort(ln.Addr().String())
	var conns sync.WaitGroup
	conns.Add(1)
	go func() {
		defer conns.Done()
		var held []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c) // never read, never written
			h.accepted.Add(1)
		}
	}()
	t.Cleanup(func() { ln.Close(); conns.Wait() })

	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(h.answer), NotifyStartedFunc: func() { close(started) }}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	h.dnsAddr = pc.LocalAddr().String()
	return h
}

func (h *hangingLab) answer(rw dns.ResponseWriter, q *dns.Msg) {
	name := strings.TrimSuffix(strings.ToLower(q.Question[0].Name), ".")
	if name != "autodiscover.contoso.lab" {
		h.mu.Lock()
		h.hung[name] = true
		h.mu.Unlock()
		return // no reply: the client waits until its own time limit
	}
	m := new(dns.Msg)
	m.SetReply(q)
	m.Authoritative = true
	if q.Question[0].Qtype == dns.TypeA {
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(127, 0, 0, 1)})
	}
	rw.WriteMsg(m)
}

func (h *hangingLab) hungNames() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for n := range h.hung {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// allStuck: tls.autodiscover, metadata.exchange, bearer.ews and
// bearer.autodiscover are connected, and dns.pool and dns.lyncdiscover
// are waiting for their answers.
func (h *hangingLab) allStuck() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.accepted.Load() >= 4 && h.hung["pool01.contoso.lab"] && h.hung["lyncdiscover.contoso.lab"]
}
