package lab_test

import (
	"context"
	"sync"
	"testing"
)

// TestShellsAndServersTogether changes the state from two shells while the
// probes read it over HTTPS and DNS; run with -race to prove the locking.
func TestShellsAndServersTogether(t *testing.T) {
	l := startLab(t, "ews-oauth-off")
	ctx := context.Background()
	var wg sync.WaitGroup
	for _, script := range []string{
		"Get-WebServicesVirtualDirectory -Server exch01 | Set-WebServicesVirtualDirectory -OAuthAuthentication $true",
		"iisreset exch01 /noforce",
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sh := l.Shell(map[bool]string{true: "ems", false: "cmd"}[script[0] == 'G'])
			for i := 0; i < 20; i++ {
				if r, err := sh.Run(ctx, script); err != nil || r.ExitCode != 0 {
					t.Errorf("%s: %v %s", script, err, r.Stderr)
					return
				}
			}
		}()
	}
	for i := 0; i < 5; i++ {
		probe(t, l)
	}
	wg.Wait()
	// The two loops interleave freely, so the last Set may land after the
	// last reset; one more reset makes the end state the same every time.
	if r, err := l.Shell("cmd").Run(ctx, "iisreset exch01 /noforce"); err != nil || r.ExitCode != 0 {
		t.Fatalf("final iisreset: %v %s", err, r.Stderr)
	}
	w := probe(t, l)
	if w.ews.Bearer == nil || len(l.Faults()) != 0 {
		t.Fatalf("after the fix and the reset: bearer %v, faults %v", w.ews.Bearer, l.Faults())
	}
}

func BenchmarkStart(b *testing.B) {
	for i := 0; i < b.N; i++ {
		l, err := startBench("healthy")
		if err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
}

func BenchmarkRunPipeline(b *testing.B) {
	l, err := startBench("healthy")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	sh := l.Shell("ems")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r, _ := sh.Run(context.Background(), "Get-PartnerApplication | Where-Object { $_.Enabled } | ConvertTo-Json"); r.ExitCode != 0 {
			b.Fatal(r.Stderr)
		}
	}
}
