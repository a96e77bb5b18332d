package classroom

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/ucpilot/ucpilot/engine/progress"
	"github.com/ucpilot/ucpilot/knowledge"
)

func testKey(t *testing.T, seed byte) gossh.PublicKey {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(append(make([]byte, 31), seed))
	k, err := gossh.NewPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestTraineeIDKeepsUserNamesInTheirFolder(t *testing.T) {
	k := testKey(t, 1)
	for _, user := range []string{"../../etc", "a/b", "", strings.Repeat("x", 500), "Ärger\x1b[2J", "."} {
		id := TraineeOf(user, k).ID()
		if id != filepath.Base(id) || strings.ContainsAny(id, "/\\.\x1b") || len(id) > 40 {
			t.Errorf("user %q: id %q is not a plain folder name", user, id)
		}
	}
	a, b := TraineeOf("alice", testKey(t, 1)), TraineeOf("alice", testKey(t, 2))
	if a.ID() == b.ID() {
		t.Errorf("the same user with two keys got one id %q", a.ID())
	}
	if TraineeOf("a_b", k).ID() == TraineeOf("a/b", k).ID() {
		t.Error("user names that read alike share an id")
	}
	if !strings.HasPrefix(a.Fingerprint, "SHA256:") {
		t.Errorf("fingerprint %q: want the SHA256: form ssh-keygen -l prints", a.Fingerprint)
	}
}

func TestStatusReadsRecordsAndProgress(t *testing.T) {
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r := records{dir: dir}
	alice, bob := TraineeOf("alice", testKey(t, 1)), TraineeOf("bob", testKey(t, 2))
	now := time.Date(2026, 12, 4, 14, 0, 0, 0, time.UTC)
	if err := r.save(alice, Record{User: "alice", Fingerprint: alice.Fingerprint, Scenario: "no-iisreset",
		LastActivity: now.Add(-5 * time.Minute), Online: true}); err != nil {
		t.Fatal(err)
	}
	if err := r.save(bob, Record{User: "bob\x1b[2J", Fingerprint: bob.Fingerprint, LastActivity: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	store, _ := progress.NewStore(r.progressDir(alice.ID()))
	p := progress.New(progressKey("no-iisreset"))
	onprem := kb.Topology("onprem")
	tp := p.Topology("onprem")
	tp.MarkDone(progress.StepDone{Step: onprem.Steps[0].ID, Checks: []progress.CheckStatus{{ID: "ps.sfb.oauthcert", Status: "pass"}}})
	if err := store.Save(p); err != nil {
		t.Fatal(err)
	}
	// A record that does not parse is counted, not fatal.
	os.MkdirAll(filepath.Join(dir, "trainees", "broken"), 0o700)
	os.WriteFile(filepath.Join(dir, "trainees", "broken", "record.json"), []byte("{"), 0o600)

	rows, bad, err := Status(dir, kb)
	if err != nil {
		t.Fatal(err)
	}
	if bad != 1 || len(rows) != 2 {
		t.Fatalf("got %d rows, %d bad; want 2 rows, 1 bad", len(rows), bad)
	}
	a := rows[0]
	if a.User != "alice" || a.StepsDone != 1 || a.StepsTotal != len(onprem.Steps) || a.ChecksPassing != 1 ||
		a.Step != strings.TrimPrefix(onprem.Steps[1].ID, "onprem-") {
		t.Errorf("alice's row: %+v", a)
	}
	var out strings.Builder
	if err := WriteStatus(&out, rows, bad, now); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"alice (", "no-iisreset", "online, 5m ago", "1/13", "(choosing)", "1h ago", "could not be read"} {
		if !strings.Contains(text, want) {
			t.Errorf("status lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b") {
		t.Errorf("a user name's escape sequence reached the status:\n%q", text)
	}
}

func TestParseAuthorizedKeys(t *testing.T) {
	line := string(gossh.MarshalAuthorizedKey(testKey(t, 1)))
	keys, err := parseAuthorizedKeys([]byte("# trainees\n\n" + line + "no-pty " + line))
	if err != nil || len(keys) != 2 {
		t.Fatalf("got %d keys, %v", len(keys), err)
	}
	if _, err := parseAuthorizedKeys([]byte("# nobody\n")); err == nil {
		t.Error("a file with no key was accepted: nobody could log on, say so")
	}
	if _, err := parseAuthorizedKeys([]byte(line + "not a key\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad line: %v, want it named", err)
	}
}

func TestAssignedScenario(t *testing.T) {
	dir := t.TempDir()
	if s, err := assignedScenario(dir, "alice"); s != "" || err != nil {
		t.Errorf("no file: %q, %v", s, err)
	}
	os.WriteFile(filepath.Join(dir, scenariosFile), []byte("alice: no-iisreset\nbob: realm-mismatch\n"), 0o600)
	if s, err := assignedScenario(dir, "bob"); s != "realm-mismatch" || err != nil {
		t.Errorf("bob: %q, %v", s, err)
	}
	os.WriteFile(filepath.Join(dir, scenariosFile), []byte("- alice\n"), 0o600)
	if _, err := assignedScenario(dir, "alice"); err == nil {
		t.Error("a list instead of a map was accepted")
	}
}

func FuzzParseScenarios(f *testing.F) {
	f.Add([]byte("alice: no-iisreset\n"))
	f.Add([]byte("a: [1, 2]\n"))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseScenarios(data)
		if err == nil && m == nil {
			t.Fatal("nil map without an error")
		}
	})
}

func FuzzParseAuthorizedKeys(f *testing.F) {
	f.Add([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x\n"))
	f.Add([]byte("# c\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := parseAuthorizedKeys(data)
		if err == nil && len(keys) == 0 {
			t.Fatal("no keys and no error")
		}
	})
}
