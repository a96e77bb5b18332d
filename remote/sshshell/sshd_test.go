package sshshell

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/ucpilot/ucpilot/remote/shell"
)

const fakePowerShellName = "powershell.exe"

// fakePowerShell stands in for powershell.exe behind a real sshd (ForceCommand): it
// decodes -EncodedCommand from SSH_ORIGINAL_COMMAND and answers like the in-process fake.
func fakePowerShell() int {
	line := os.Getenv("SSH_ORIGINAL_COMMAND")
	if line == "" {
		line = strings.Join(os.Args, " ")
	}
	script, err := shell.ParseCommandLine(line)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fake powershell: %v\n", err)
		return 64
	}
	switch {
	case strings.Contains(script, "TEST:hang"):
		// "TEST:hang:<file>" writes the process id to file, so the test can
		// see whether the process ends when its command is cut off.
		if _, file, ok := strings.Cut(script, "TEST:hang:"); ok {
			_ = os.WriteFile(strings.TrimSpace(file), []byte(strconv.Itoa(os.Getpid())), 0o600)
		}
		// Never finish on its own, but do not outlive sshd's session process.
		parent := os.Getppid()
		for i := 0; i < 1200 && os.Getppid() == parent; i++ {
			time.Sleep(50 * time.Millisecond)
		}
		return 1
	case strings.Contains(script, "TEST:fail"):
		fmt.Fprint(os.Stderr, `{"error":{"message":"Cannot find object"}}`)
		return 3
	}
	sc, err := shell.ParseRendered(script)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("banner line\r\n%s\n[%q]", shell.JSONMarker, sc.Args["value"])
	fmt.Fprint(os.Stderr, "from real sshd")
	return 0
}

type realSSHD struct {
	port     int
	hostKey  ssh.Signer
	keyFile  string
	userName string
}

// startSSHD runs /usr/sbin/sshd on loopback with a generated host key, a test client key
// and the test binary as ForceCommand. It skips the test when sshd cannot run here.
func startSSHD(t *testing.T) *realSSHD {
	t.Helper()
	const sshd = "/usr/sbin/sshd"
	if _, err := os.Stat(sshd); err != nil {
		t.Skipf("real sshd test skipped: %s not installed (apt-get install -y openssh-server)", sshd)
	}
	u, err := user.Current()
	if err != nil {
		t.Skipf("real sshd test skipped: cannot look up the current user: %v", err)
	}
	if os.Geteuid() == 0 {
		// sshd running as root insists on its privilege-separation directory, which
		// service managers normally create at boot.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Skipf("real sshd test skipped: cannot create /run/sshd: %v", err)
		}
	}
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("real sshd test skipped: %v", err)
	}
	fake := filepath.Join(dir, fakePowerShellName)
	if err := os.Symlink(exe, fake); err != nil {
		t.Skipf("real sshd test skipped: cannot link the fake powershell.exe: %v", err)
	}
	hostKey := newSigner(t)
	writePEM(t, filepath.Join(dir, "host_ed25519"), keyOf(hostKey))
	client := newSigner(t)
	keyFile := filepath.Join(dir, "id_ed25519")
	writePEM(t, keyFile, keyOf(client))
	auth := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(auth, ssh.MarshalAuthorizedKey(client.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	// The port is not probed free and handed over (another process could
	// take it in between): sshd is started on a random port and says
	// whether it listens; when the port was taken, another is tried.
	var port int
	for attempt := 1; ; attempt++ {
		port = 20000 + mathrand.IntN(40000)
		cfg := fmt.Sprintf("Port %d\nListenAddress 127.0.0.1\nHostKey %s\nAuthorizedKeysFile %s\nUsePAM no\n"+
			"StrictModes no\nPidFile %s\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"+
			"PermitRootLogin prohibit-password\nForceCommand %s\nLogLevel INFO\n",
			port, filepath.Join(dir, "host_ed25519"), auth, filepath.Join(dir, "sshd.pid"), fake)
		cfgPath := filepath.Join(dir, "sshd_config")
		if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		logs := &sshdLog{listening: make(chan struct{})}
		cmd := exec.Command(sshd, "-D", "-e", "-f", cfgPath)
		cmd.Stdout, cmd.Stderr = logs, logs
		if err := cmd.Start(); err != nil {
			t.Skipf("real sshd test skipped: cannot start sshd: %v", err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		select {
		case <-logs.listening:
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
				if t.Failed() {
					t.Logf("sshd output:\n%s", logs.String())
				}
			})
		case <-exited:
			out := logs.String()
			if strings.Contains(out, "Address already in use") && attempt < 8 {
				continue
			}
			t.Skipf("real sshd test skipped: sshd exited at start: %s", strings.TrimSpace(out))
		case <-time.After(time.Minute):
			_ = cmd.Process.Kill()
			<-exited
			t.Skipf("real sshd test skipped: sshd did not say it listens within a minute: %s", logs.String())
		}
		break
	}
	return &realSSHD{port: port, hostKey: hostKey, keyFile: keyFile, userName: u.Username}
}

func writePEM(t *testing.T, path string, key any) {
	t.Helper()
	blk, err := ssh.MarshalPrivateKey(key, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(blk), 0o600); err != nil {
		t.Fatal(err)
	}
}

// sshdLog collects sshd's output and closes listening when sshd says it
// listens (its own word, rather than a probe that could reach another
// process on the port).
type sshdLog struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	listening chan struct{}
	said      bool
}

func (l *sshdLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if !l.said && strings.Contains(l.buf.String(), "Server listening on") {
		l.said = true
		close(l.listening)
	}
	return len(p), nil
}

func (l *sshdLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestRealOpenSSH(t *testing.T) {
	d := startSSHD(t)
	known := filepath.Join(t.TempDir(), "known_hosts")
	cfg := Config{Host: "127.0.0.1", Port: d.port, User: d.userName, Auth: AuthKey, KeyFile: d.keyFile,
		KnownHostsFile: known, Timeout: 10 * time.Second}
	_, err := Dial(context.Background(), cfg)
	var uk *UnknownHostKeyError
	if !errors.As(err, &uk) {
		t.Fatalf("first contact: want *UnknownHostKeyError, got %v", err)
	}
	if uk.Fingerprint != ssh.FingerprintSHA256(d.hostKey.PublicKey()) {
		t.Fatalf("fingerprint %s does not match the sshd host key", uk.Fingerprint)
	}
	if err := AddKnownHost(known, uk.Host, uk.Key); err != nil {
		t.Fatal(err)
	}
	sh, err := Dial(context.Background(), cfg)
	if err != nil {
		if os.Geteuid() != 0 {
			t.Skipf("real sshd test skipped: key login as %s failed when not root: %v", d.userName, err)
		}
		t.Fatal(err)
	}
	defer sh.Close()

	value := `O'Brien ‘x’ $(calc) "dq"`
	s, _ := shell.Script{Body: "Write-Output $value", Args: map[string]string{"value": value}, JSON: true}.Render()
	res, err := sh.Run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := shell.Outcome(res)
	if err != nil || payload != fmt.Sprintf("[%q]", value) || res.Stderr != "from real sshd" {
		t.Errorf("payload %q err %v result %+v", payload, err, res)
	}
	res, err = sh.Run(context.Background(), "TEST:fail")
	if err != nil || res.ExitCode != 3 {
		t.Errorf("fail script: %+v %v", res, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	pidFile := filepath.Join(t.TempDir(), "pid")
	go func() { _, err := sh.Run(ctx, "TEST:hang:"+pidFile); errc <- err }()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(pidFile); err == nil {
			break // the command runs on the server
		}
		if time.Now().After(deadline) {
			t.Fatal("the hanging command did not start within 30 s")
		}
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("want context.Canceled, got %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return within 30 s of cancel")
	}
	// The connection survives a cancelled command.
	if res, err := sh.Run(context.Background(), s); err != nil || res.ExitCode != 0 {
		t.Errorf("run after cancel: %+v %v", res, err)
	}

	changed := filepath.Join(t.TempDir(), "known_hosts")
	if err := AddKnownHost(changed, uk.Host, newSigner(t).PublicKey()); err != nil {
		t.Fatal(err)
	}
	cfg.KnownHostsFile = changed
	if _, err := Dial(context.Background(), cfg); !errors.As(err, new(*HostKeyChangedError)) {
		t.Errorf("want *HostKeyChangedError, got %v", err)
	}
}
