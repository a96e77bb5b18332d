package sshshell

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// UnknownHostKeyError means the server's host key is not in known_hosts. Show
// Fingerprint to the user, let them compare it with the server's, and call AddKnownHost
// with Host and Key if they accept.
type UnknownHostKeyError struct {
	Host        string // as known_hosts writes it: "host" or "[host]:port"
	Fingerprint string // "SHA256:…"
	Key         ssh.PublicKey
	File        string // the known_hosts file that was checked
}

func (e *UnknownHostKeyError) Error() string {
	return fmt.Sprintf("SSH: the host key of %s is not known yet (%s %s). Compare it with the server's "+
		"own fingerprint (on the server: ssh-keygen -lf C:\\ProgramData\\ssh\\ssh_host_%s_key.pub) "+
		"before accepting it", e.Host, e.Key.Type(), e.Fingerprint, keyFileType(e.Key))
}

func keyFileType(k ssh.PublicKey) string {
	switch k.Type() {
	case ssh.KeyAlgoED25519:
		return "ed25519"
	case ssh.KeyAlgoRSA:
		return "rsa"
	default:
		return "ecdsa"
	}
}

// HostKeyChangedError means known_hosts holds a different key for this host. The
// connection is refused: either someone is intercepting it or the server was rebuilt,
// and only a person who knows which can remove the old entry.
type HostKeyChangedError struct {
	Host        string
	Fingerprint string   // the key the server offered now
	Known       []string // "file:line" of the entries it contradicts
	Key         ssh.PublicKey
}

func (e *HostKeyChangedError) Error() string {
	return fmt.Sprintf("SSH: REFUSED — the host key of %s has CHANGED (now %s). Someone may be intercepting "+
		"the connection, or the server was reinstalled. ucpilot will not connect. If the change is expected, "+
		"delete the old entry (%s) and connect again", e.Host, e.Fingerprint, strings.Join(e.Known, ", "))
}

// hostKeyCallback checks keys against path. A missing file counts as empty, so the first
// connection yields *UnknownHostKeyError instead of a file error.
func hostKeyCallback(path string) (ssh.HostKeyCallback, error) {
	check := func(string, net.Addr, ssh.PublicKey) error { return &knownhosts.KeyError{} }
	if _, err := os.Stat(path); err == nil {
		cb, err := knownhosts.New(path)
		if err != nil {
			return nil, fmt.Errorf("SSH: cannot read known_hosts file %s: %w", path, err)
		}
		check = cb
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("SSH: cannot read known_hosts file %s: %w", path, err)
	}
	return func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := check(hostname, remote, key)
		var ke *knownhosts.KeyError
		if errors.As(err, &ke) {
			host := knownhosts.Normalize(hostname)
			if len(ke.Want) == 0 {
				return &UnknownHostKeyError{Host: host, Fingerprint: ssh.FingerprintSHA256(key), Key: key, File: path}
			}
			known := make([]string, 0, len(ke.Want))
			for _, w := range ke.Want {
				known = append(known, fmt.Sprintf("%s:%d", w.Filename, w.Line))
			}
			return &HostKeyChangedError{Host: host, Fingerprint: ssh.FingerprintSHA256(key), Known: known, Key: key}
		}
		var re *knownhosts.RevokedError
		if errors.As(err, &re) {
			return fmt.Errorf("SSH: REFUSED — the host key of %s is marked @revoked in %s:%d",
				hostname, re.Revoked.Filename, re.Revoked.Line)
		}
		return err
	}, nil
}

// AddKnownHost records that the user accepted key for host ("host", "host:port" or the
// Host of an UnknownHostKeyError), appending one line to the known_hosts file at path and
// creating the file and its directory when missing.
func AddKnownHost(path, host string, key ssh.PublicKey) error {
	if host == "" || strings.ContainsAny(host, " \t\r\n,") {
		return fmt.Errorf("SSH: cannot record host key: host name %q is empty or has spaces/commas", host)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("SSH: cannot create the directory for %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("SSH: cannot open known_hosts file %s: %w", path, err)
	}
	line := knownhosts.Line([]string{knownhosts.Normalize(host)}, key)
	if _, err := f.WriteString(line + "\n"); err != nil {
		_ = f.Close()
		return fmt.Errorf("SSH: cannot write known_hosts file %s: %w", path, err)
	}
	return f.Close()
}
