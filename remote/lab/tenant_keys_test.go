package lab_test

import (
	"strings"
	"testing"
)

// TestGraphKeyWriteBackLosesNoKey models Microsoft Graph's keyCredentials
// behaviour: a filter query returns every key with Key null, so writing
// those objects back is refused and the keys stay; a single-object read with
// keyCredentials selected carries the keys, and writing them back keeps
// every valid key.
func TestGraphKeyWriteBackLosesNoKey(t *testing.T) {
	l := startLab(t, "healthy-sfbonline")
	g := l.Shell("graph")
	const (
		appID = "7557eb47-c689-4224-abcf-aef9bd7573df"
		objID = "b5d1a4f2-2222-4c8b-8d66-0000000007e5"
		keyID = "2c3d4e5f-0000-4000-8000-0000000007e5"
	)
	read := "(Get-MgServicePrincipal -ServicePrincipalId " + objID + " -Property keyCredentials).KeyCredentials | Format-List KeyId,Key"
	before := run(t, g, read)
	if before.ExitCode != 0 || !strings.Contains(before.Stdout, keyID) {
		t.Fatalf("single-object read: %+v", before)
	}
	keyLine := ""
	for _, ln := range strings.Split(before.Stdout, "\n") {
		if strings.HasPrefix(strings.TrimSpace(ln), "Key ") {
			keyLine = strings.TrimSpace(ln)
		}
	}
	if len(keyLine) < 100 {
		t.Fatalf("a single-object read with keyCredentials selected must carry the key, got %q", keyLine)
	}

	filtered := run(t, g, "(Get-MgServicePrincipal -Filter \"appId eq '"+appID+"'\" -Property 'id,keyCredentials').KeyCredentials | Format-List KeyId,Key")
	if strings.Contains(filtered.Stdout, keyLine) {
		t.Fatalf("a filter query returned the key value:\n%s", filtered.Stdout)
	}

	r := run(t, g, "$sp = Get-MgServicePrincipal -Filter \"appId eq '"+appID+"'\" -Property 'id,keyCredentials'\n"+
		"Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $sp.KeyCredentials")
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "has no key value") {
		t.Fatalf("writing back filter-read keys must be refused: %+v", r)
	}
	if after := run(t, g, read); after.Stdout != before.Stdout {
		t.Fatalf("a refused write changed the keys:\nbefore %s\nafter %s", before.Stdout, after.Stdout)
	}

	r = run(t, g, "$one = Get-MgServicePrincipal -ServicePrincipalId "+objID+" -Property keyCredentials\n"+
		"Update-MgServicePrincipal -ServicePrincipalId "+objID+" -KeyCredentials $one.KeyCredentials")
	if r.ExitCode != 0 {
		t.Fatalf("writing back single-object keys: %+v", r)
	}
	if after := run(t, g, read); after.Stdout != before.Stdout {
		t.Fatalf("a write-back of the keys as read lost or changed one:\nbefore %s\nafter %s", before.Stdout, after.Stdout)
	}
}
