package classroom

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// Trainee is who is on the other end of a session: the SSH user name plus
// the public key they proved they hold. Two people who type the same user
// name with different keys are two trainees.
type Trainee struct {
	User        string
	Fingerprint string // SHA256:… as ssh-keygen -l prints it
}

// TraineeOf names the holder of key logging in as user.
func TraineeOf(user string, key gossh.PublicKey) Trainee {
	return Trainee{User: user, Fingerprint: gossh.FingerprintSHA256(key)}
}

// ID is the trainee's folder name in the state folder: the readable part
// of the user name and a hash of user and key, so no user name (../x, a
// very long one) escapes the folder or collides with another.
func (t Trainee) ID() string {
	var b strings.Builder
	for _, r := range strings.ToLower(t.User) {
		if b.Len() >= 24 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	sum := sha256.Sum256([]byte(t.User + "\x00" + t.Fingerprint))
	name := strings.Trim(b.String(), "_")
	if name == "" {
		name = "trainee"
	}
	return name + "-" + hex.EncodeToString(sum[:6])
}

// Record is what the state folder keeps about a trainee between sessions.
type Record struct {
	User         string    `json:"user"`
	Fingerprint  string    `json:"fingerprint"`
	Scenario     string    `json:"scenario,omitempty"` // the lab they last worked on
	FirstSeen    time.Time `json:"first_seen"`
	LastActivity time.Time `json:"last_activity"` // their last key press (or connection)
	Online       bool      `json:"online"`        // a session is open (as of LastActivity)
}

// records keeps one folder per trainee under dir/trainees: record.json and
// the guided-mode progress files.
type records struct{ dir string }

func (r records) traineeDir(id string) string { return filepath.Join(r.dir, "trainees", id) }
func (r records) progressDir(id string) string {
	return filepath.Join(r.traineeDir(id), "progress")
}

// load returns the trainee's record; a new trainee gets a fresh one.
func (r records) load(t Trainee) (Record, error) {
	rec, err := r.read(t.ID())
	if errors.Is(err, fs.ErrNotExist) {
		return Record{User: t.User, Fingerprint: t.Fingerprint}, nil
	}
	return rec, err
}

func (r records) read(id string) (Record, error) {
	var rec Record
	data, err := os.ReadFile(filepath.Join(r.traineeDir(id), "record.json"))
	if err != nil {
		return rec, err
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return rec, fmt.Errorf("trainee record %s: %w", id, err)
	}
	return rec, nil
}

// save writes rec atomically (a temp file renamed over the old one).
func (r records) save(t Trainee, rec Record) error {
	dir := r.traineeDir(t.ID())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "record.json.tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // gone after the rename; cleans up after a failure
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, "record.json"))
}

// all lists every trainee's record with its folder id, most recently
// active first. Unreadable records are skipped and counted.
func (r records) all() ([]Record, []string, int, error) {
	entries, err := os.ReadDir(filepath.Join(r.dir, "trainees"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, 0, nil
	}
	if err != nil {
		return nil, nil, 0, err
	}
	type row struct {
		rec Record
		id  string
	}
	var rows []row
	bad := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		rec, err := r.read(e.Name())
		if err != nil {
			bad++
			continue
		}
		rows = append(rows, row{rec, e.Name()})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].rec.LastActivity.After(rows[j].rec.LastActivity) })
	recs, ids := make([]Record, len(rows)), make([]string, len(rows))
	for i, rw := range rows {
		recs[i], ids[i] = rw.rec, rw.id
	}
	return recs, ids, bad, nil
}
