package main

import "testing"

// Values stamped by the release build win over what Go records.
func TestBuildStampPrefersTheReleaseStamp(t *testing.T) {
	oldV, oldC, oldD := version, commit, date
	t.Cleanup(func() { version, commit, date = oldV, oldC, oldD })
	version, commit, date = "1.2.3", "abc123", "2026-01-02T03:04:05Z"
	v, c, d := buildStamp()
	if v != "1.2.3" || c != "abc123" || d != "2026-01-02T03:04:05Z" {
		t.Errorf("buildStamp() = %q, %q, %q; want the stamped values", v, c, d)
	}
}
