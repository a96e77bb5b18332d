package main

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// screenWait bounds every wait on a screen: generous, since CI is a busy
// 2-core machine; a pass returns as soon as the text appears.
const screenWait = 60 * time.Second

// classroomTools skips unless tmux and the OpenSSH client are installed.
func classroomTools(t *testing.T) (tmux, sshBin string) {
	t.Helper()
	var err error
	if tmux, err = exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the classroom test drives the OpenSSH client inside tmux (.ci/run installs it)")
	}
	if sshBin, err = exec.LookPath("ssh"); err != nil {
		t.Skip("the OpenSSH client (ssh) is not installed: .ci/run installs openssh-client")
	}
	return tmux, sshBin
}

// writeClientKey writes a fresh ed25519 private key as OpenSSH reads it.
func writeClientKey(t *testing.T, path string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
}

// classroomServer is a running `ucpilot serve`.
type classroomServer struct {
	cmd  *exec.Cmd
	addr string
	log  *strings.Builder
	done chan error
}

// startClassroom runs `ucpilot serve` on a free loopback port and waits for
// the line that names the port.
func startClassroom(t *testing.T, bin, state string, args ...string) *classroomServer {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0", "--state", state, "--theme", "dark"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &classroomServer{cmd: cmd, log: &strings.Builder{}, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			s.log.WriteString(line + "\n") // read only after done
			if _, a, ok := strings.Cut(line, "classroom listening on "); ok {
				addr <- strings.Fields(a)[0]
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		s.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})
	select {
	case s.addr = <-addr:
	case err := <-s.done:
		t.Fatalf("serve exited before listening: %v\n%s", err, s.log)
	case <-time.After(screenWait):
		t.Fatal("serve did not start listening")
	}
	return s
}

// sshPane is one trainee's OpenSSH client in a tmux session.
type sshPane struct {
	t             *testing.T
	tmux, sock    string
	name, command string
}

func (p *sshPane) run(args ...string) (string, error) {
	out, err := exec.Command(p.tmux, append([]string{"-L", p.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	return string(out), err
}

// sshConnect starts ssh as user with key in a new 80x24 tmux session.
func sshConnect(t *testing.T, tmux, sock, sshBin, addr, user, key string) *sshPane {
	t.Helper()
	host, port, _ := strings.Cut(addr, ":")
	p := &sshPane{t: t, tmux: tmux, sock: sock, name: fmt.Sprintf("%s-%d", user, time.Now().UnixNano())}
	p.command = strings.Join([]string{sshBin, "-F", "/dev/null", "-p", port, "-i", key, "-o", "IdentitiesOnly=yes",
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
		"-o", "LogLevel=ERROR", user + "@" + host, "; sleep 600"}, " ")
	if out, err := p.run("new-session", "-d", "-s", p.name, "-x", "80", "-y", "24", p.command); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = p.run("kill-session", "-t", p.name) })
	return p
}

func (p *sshPane) keys(k ...string) {
	p.t.Helper()
	if out, err := p.run(append([]string{"send-keys", "-t", p.name}, k...)...); err != nil {
		p.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

func (p *sshPane) text(s string) { p.keys("-l", s) }

func (p *sshPane) screen() string {
	s, _ := p.run("capture-pane", "-p", "-t", p.name)
	return s
}

// wait polls the screen until it shows every one of want.
func (p *sshPane) wait(want ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(screenWait)
	for {
		s := p.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: after %s the screen still lacks %q:\n%s", p.name, screenWait, missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the ssh client abruptly, as a closed laptop would.
func (p *sshPane) kill() { _, _ = p.run("kill-session", "-t", p.name) }

func buildBinary(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "ucpilot")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
