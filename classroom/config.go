package classroom

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/ssh"
	"go.yaml.in/yaml/v3"
	gossh "golang.org/x/crypto/ssh"
)

// maxConfigFile bounds the files the classroom reads (a key list, the
// scenario assignments): both are a few lines.
const maxConfigFile = 1 << 20

// readAuthorizedKeys reads an OpenSSH authorized_keys file: one key a line,
// options and comments allowed, blank lines and # lines skipped.
func readAuthorizedKeys(path string) ([]ssh.PublicKey, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, fmt.Errorf("--authorized-keys: %w", err)
	}
	keys, err := parseAuthorizedKeys(data)
	if err != nil {
		return nil, fmt.Errorf("--authorized-keys %s: %w", path, err)
	}
	return keys, nil
}

func parseAuthorizedKeys(data []byte) ([]ssh.PublicKey, error) {
	var keys []ssh.PublicKey
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxConfigFile)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("line %d is not a public key: %w", n, err)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys in it: nobody could log on")
	}
	return keys, nil
}

// scenariosFile is where the instructor assigns scenarios per trainee:
// a YAML map from SSH user name to scenario name.
const scenariosFile = "scenarios.yaml"

// assignedScenario returns the scenario the state folder's scenarios.yaml
// assigns to user ("" when none). It is read at each connection, so the
// instructor can change it while the classroom runs.
func assignedScenario(stateDir, user string) (string, error) {
	data, err := readBounded(filepath.Join(stateDir, scenariosFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	m, err := parseScenarios(data)
	if err != nil {
		return "", fmt.Errorf("%s: %w", scenariosFile, err)
	}
	return m[user], nil
}

func parseScenarios(data []byte) (map[string]string, error) {
	m := map[string]string{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("expected lines of the form \"user: scenario\" (%v)", err)
	}
	if m == nil { // a file that is only "null" (or an anchor to it)
		m = map[string]string{}
	}
	return m, nil
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(io.LimitReader(f, maxConfigFile+1)); err != nil {
		return nil, err
	}
	if b.Len() > maxConfigFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxConfigFile)
	}
	return b.Bytes(), nil
}
