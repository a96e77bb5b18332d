package sshshell

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/ucpilot/ucpilot/remote/shell"
)

// testServer is an in-process SSH server that plays Windows OpenSSH: it answers "exec"
// requests by decoding -EncodedCommand and acting on markers in the script, and it
// forwards direct-tcpip channels so it can serve as a jump host.
type testServer struct {
	t        *testing.T
	ln       net.Listener
	hostKey  ssh.Signer
	addr     string
	pwTries  atomic.Int32
	scripts  chan string
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
	closed   bool
	password string
	authKeys []ssh.PublicKey
	// stall, when set, leaves new session channels unanswered and hands
	// them to stalled: a server whose connection died without a word.
	stall   atomic.Bool
	stalled chan ssh.NewChannel
	// signals receives the name of every signal a client sends.
	signals chan string
}

func newSigner(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	keysMu.Lock()
	signerKey[s] = priv
	keysMu.Unlock()
	return s
}

// signerKey remembers each test signer's private key, for writing key files and agents.
var (
	keysMu    sync.Mutex
	signerKey = map[ssh.Signer]ed25519.PrivateKey{}
)

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{t: t, ln: ln, hostKey: newSigner(t), addr: ln.Addr().String(),
		scripts: make(chan string, 16), password: "s3cret'pw",
		stalled: make(chan ssh.NewChannel, 4), signals: make(chan string, 16)}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.close)
	return s
}

func (s *testServer) port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

func (s *testServer) config() *ssh.ServerConfig {
	cfg := &ssh.ServerConfig{
		PasswordCallback: func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			s.pwTries.Add(1)
			if c.User() == "admin" && string(pw) == s.password {
				return nil, nil
			}
			return nil, fmt.Errorf("bad password")
		},
		PublicKeyCallback: func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			for _, ak := range s.authKeys {
				if string(ak.Marshal()) == string(k.Marshal()) {
					return nil, nil
				}
			}
			return nil, fmt.Errorf("unknown key")
		},
	}
	cfg.AddHostKey(s.hostKey)
	return cfg
}

func (s *testServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = c.Close()
			return
		}
		s.conns = append(s.conns, c)
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serve(c)
	}
}

func (s *testServer) close() {
	s.mu.Lock()
	s.closed = true
	_ = s.ln.Close()
	for _, c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *testServer) serve(c net.Conn) {
	defer s.wg.Done()
	sc, chans, reqs, err := ssh.NewServerConn(c, s.config())
	if err != nil {
		_ = c.Close()
		return
	}
	defer sc.Close()
	s.wg.Add(1)
	go func() { defer s.wg.Done(); ssh.DiscardRequests(reqs) }()
	for nc := range chans {
		switch nc.ChannelType() {
		case "session":
			if s.stall.Load() {
				s.stalled <- nc
				continue
			}
			s.wg.Add(1)
			go s.session(c, nc)
		case "direct-tcpip":
			s.wg.Add(1)
			go s.forward(nc)
		default:
			_ = nc.Reject(ssh.UnknownChannelType, "no")
		}
	}
}

func (s *testServer) session(raw net.Conn, nc ssh.NewChannel) {
	defer s.wg.Done()
	ch, reqs, err := nc.Accept()
	if err != nil {
		return
	}
	defer ch.Close()
	closed := make(chan struct{})
	execs := make(chan string, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(closed)
		for r := range reqs {
			if r.Type == "exec" && len(r.Payload) >= 4 {
				n := binary.BigEndian.Uint32(r.Payload)
				// Reply before the command runs, as sshd does: a reply sent
				// after a quick command closed the channel never reaches the
				// client, which then sees EOF (a rare flake under -race).
				_ = r.Reply(true, nil)
				execs <- string(r.Payload[4 : 4+n])
				continue
			}
			if r.Type == "signal" {
				var sig struct{ Name string }
				_ = ssh.Unmarshal(r.Payload, &sig)
				select {
				case s.signals <- sig.Name:
				default:
				}
			}
			_ = r.Reply(r.Type == "signal", nil)
		}
	}()
	var line string
	select {
	case line = <-execs:
	case <-closed:
		return
	}
	script, err := shell.ParseCommandLine(line)
	if err != nil {
		exit(ch, 9009, "", "'"+line+"' is not recognized as an internal or external command\r\n")
		return
	}
	select {
	case s.scripts <- script:
	default:
	}
	s.act(raw, ch, closed, script)
}

// act is the fake PowerShell: it reacts to test markers in the script.
func (s *testServer) act(raw net.Conn, ch ssh.Channel, closed chan struct{}, script string) {
	switch {
	case strings.Contains(script, "TEST:hang"):
		<-closed
	case strings.Contains(script, "TEST:drop"):
		_, _ = io.WriteString(ch, "partial")
		_ = raw.Close()
	case strings.Contains(script, "TEST:fail"):
		exit(ch, 3, "", `{"error":{"message":"Cannot find object"}}`)
	default:
		sc, err := shell.ParseRendered(script)
		if err != nil {
			exit(ch, 1, "", err.Error())
			return
		}
		exit(ch, 0, shell.JSONMarker+"\n"+`["`+sc.Args["value"]+`"]`, "warning: test stderr")
	}
}

func exit(ch ssh.Channel, code int, stdout, stderr string) {
	_, _ = io.WriteString(ch, stdout)
	_, _ = io.WriteString(ch.Stderr(), stderr)
	_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{uint32(code)}))
}

func (s *testServer) forward(nc ssh.NewChannel) {
	defer s.wg.Done()
	var req struct {
		Host       string
		Port       uint32
		OriginHost string
		OriginPort uint32
	}
	if err := ssh.Unmarshal(nc.ExtraData(), &req); err != nil {
		_ = nc.Reject(ssh.ConnectionFailed, "bad request")
		return
	}
	dst, err := net.Dial("tcp", net.JoinHostPort(req.Host, strconv.Itoa(int(req.Port))))
	if err != nil {
		_ = nc.Reject(ssh.ConnectionFailed, err.Error())
		return
	}
	ch, reqs, err := nc.Accept()
	if err != nil {
		_ = dst.Close()
		return
	}
	go ssh.DiscardRequests(reqs)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _, _ = io.Copy(dst, ch); _ = dst.Close() }()
	go func() { defer wg.Done(); _, _ = io.Copy(ch, dst); _ = ch.Close() }()
	wg.Wait()
}

// dropAll closes every connection the server holds, as a network break would.
func (s *testServer) dropAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.Close()
	}
}
