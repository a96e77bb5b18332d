// Command firstframe measures how long the ucpilot TUI takes from exec to
// its first full frame in a real pseudo-terminal, while playing a terminal
// that answers the colour and cursor queries, answers only the cursor
// query, or answers nothing. scripts/bench runs it; run it by hand with
//
//	go build -o /tmp/ucpilot . && go run ./scripts/firstframe -bin /tmp/ucpilot
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// mode is one measured situation: the theme flag and the terminal.
type mode struct {
	args []string
	term terminal
}

var modes = map[string]mode{
	"dark":        {[]string{"--theme", "dark"}, termAnswering},
	"auto-answer": {[]string{"--theme", "auto"}, termAnswering},
	"auto-light":  {[]string{"--theme", "auto"}, termLight},
	"auto-silent": {[]string{"--theme", "auto"}, termSilent},
	"auto-dsr":    {[]string{"--theme", "auto"}, termDSROnly},
	"dark-silent": {[]string{"--theme", "dark"}, termSilent},
}

type options struct {
	bin, modes, markers, size string
	args                      string
	n, warmup, minRuns        int
	perMode, timeout          time.Duration
	tsv, trace                bool
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "", "the ucpilot binary to start (required)")
	flag.StringVar(&o.modes, "modes", "dark,auto-answer,auto-silent", "comma-separated: dark, auto-answer, auto-light, auto-silent, auto-dsr, dark-silent")
	flag.StringVar(&o.markers, "marker", "Troubleshoot,Identifiers", "comma-separated words that are all on screen once the home screen is drawn")
	flag.StringVar(&o.args, "args", "", "space-separated arguments that replace each mode's --theme flag (the mode then only picks the terminal), e.g. 'search code=5' with -marker")
	flag.StringVar(&o.size, "size", "80x24", "terminal size, COLSxROWS")
	flag.IntVar(&o.n, "n", 20, "runs per mode")
	flag.IntVar(&o.warmup, "warmup", 1, "unmeasured runs before the first mode (page cache)")
	flag.IntVar(&o.minRuns, "min-runs", 3, "runs per mode even when -per-mode is used up")
	flag.DurationVar(&o.perMode, "per-mode", 20*time.Second, "stop a mode after this much time once -min-runs are done (silent terminals cost seconds per run)")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Second, "give up on one start after this long")
	flag.BoolVar(&o.tsv, "tsv", false, "print tab-separated lines for scripts instead of a table")
	flag.BoolVar(&o.trace, "trace", false, "log every read of the first run of each mode to stderr")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "firstframe:", err)
		os.Exit(1)
	}
}

// result is the outcome of one mode.
type result struct {
	name             string
	runs             int
	firstByte, frame summary
	query            summary
	queriesPerRun    [numQueries]int
}

func run(o options, w io.Writer) error {
	base, home, err := baseConfig(o)
	if err != nil {
		return err
	}
	defer os.RemoveAll(home)
	names := strings.Split(o.modes, ",")
	for _, name := range names {
		if _, ok := modes[name]; !ok {
			return fmt.Errorf("-modes: unknown mode %q; known: dark, auto-answer, auto-light, auto-silent, auto-dsr, dark-silent", name)
		}
	}
	warm := base
	warm.args = modes["dark"].args
	warm.term = termAnswering
	for range o.warmup {
		if _, err := runOnce(warm); err != nil {
			return fmt.Errorf("warm-up run: %w", err)
		}
	}
	var results []result
	for _, name := range names {
		r, err := measure(o, base, name)
		if err != nil {
			return fmt.Errorf("mode %s: %w", name, err)
		}
		results = append(results, r)
	}
	if o.tsv {
		return printTSV(w, results)
	}
	return printTable(w, o, results)
}

// baseConfig checks the options and builds what every run shares; home is
// the empty HOME the program gets, for the caller to remove.
func baseConfig(o options) (c runConfig, home string, err error) {
	if o.bin == "" {
		return runConfig{}, "", fmt.Errorf("-bin is required: build the binary first (go build -o /tmp/ucpilot .) and pass its path")
	}
	if _, err := os.Stat(o.bin); err != nil {
		return runConfig{}, "", fmt.Errorf("-bin %s: %w", o.bin, err)
	}
	var cols, rows int
	if _, err := fmt.Sscanf(o.size, "%dx%d", &cols, &rows); err != nil || cols < 1 || rows < 1 {
		return runConfig{}, "", fmt.Errorf("-size %q: expected COLSxROWS such as 80x24", o.size)
	}
	if o.n < 1 || o.minRuns < 1 {
		return runConfig{}, "", fmt.Errorf("-n and -min-runs must be at least 1")
	}
	var markers [][]byte
	for _, m := range strings.Split(o.markers, ",") {
		if m = strings.TrimSpace(m); m != "" {
			markers = append(markers, []byte(m))
		}
	}
	if len(markers) == 0 {
		return runConfig{}, "", fmt.Errorf("-marker is empty: name at least one word the first frame shows")
	}
	home, err = os.MkdirTemp("", "firstframe-home-")
	if err != nil {
		return runConfig{}, "", err
	}
	return runConfig{bin: o.bin, env: childEnv(os.Environ(), home), cols: cols, rows: rows,
		markers: markers, timeout: o.timeout}, home, nil
}

// childEnv gives the program a plain xterm and an empty home: variables
// that make termenv skip the query (CI, TERM=screen/tmux/dumb) or change
// colours (NO_COLOR, COLORFGBG), or SSH_* (which a TUI may use to expect a
// slow terminal) would measure a different start.
func childEnv(env []string, home string) []string {
	drop := map[string]bool{"CI": true, "TERM": true, "COLORTERM": true, "NO_COLOR": true,
		"COLORFGBG": true, "TMUX": true, "STY": true, "ACCESSIBLE": true, "HOME": true,
		"XDG_CONFIG_HOME": true, "TERM_PROGRAM": true, "SSH_TTY": true,
		"SSH_CONNECTION": true, "SSH_CLIENT": true}
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			out = append(out, kv)
		}
	}
	return append(out, "TERM=xterm-256color", "HOME="+home, "XDG_CONFIG_HOME="+home+"/.config")
}

func measure(o options, base runConfig, name string) (result, error) {
	m := modes[name]
	c := base
	c.args, c.term = m.args, m.term
	if o.args != "" {
		c.args = strings.Fields(o.args)
	}
	var fb, fr, qs []time.Duration
	r := result{name: name}
	start := time.Now()
	for i := 0; i < o.n; i++ {
		if i >= o.minRuns && time.Since(start) > o.perMode {
			break
		}
		c.trace = nil
		if o.trace && i == 0 {
			c.trace = os.Stderr
			fmt.Fprintf(os.Stderr, "trace %s:\n", name)
		}
		s, err := runOnce(c)
		if err != nil {
			return r, err
		}
		fb, fr = append(fb, s.FirstByte), append(fr, s.Frame)
		if s.Query > 0 {
			qs = append(qs, s.Query)
		}
		r.queriesPerRun = s.Queries
	}
	r.runs, r.firstByte, r.frame, r.query = len(fr), summarize(fb), summarize(fr), summarize(qs)
	return r, nil
}

func printTSV(w io.Writer, rs []result) error {
	for _, r := range rs {
		if _, err := fmt.Fprintf(w, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%d\n", r.name, r.runs,
			ms(r.firstByte.Median), ms(r.frame.Median), ms(r.frame.P90), ms(r.frame.Max),
			r.queriesPerRun[queryBackground]); err != nil {
			return err
		}
	}
	return nil
}

func printTable(w io.Writer, o options, rs []result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "mode\truns\tfirst byte med\tframe med\tframe p90\tframe max\tosc11 queries/run\tterminal\t\n")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%d\t%.1f ms\t%.1f ms\t%.1f ms\t%.1f ms\t%d\t%s\t\n", r.name, r.runs,
			ms(r.firstByte.Median), ms(r.frame.Median), ms(r.frame.P90), ms(r.frame.Max),
			r.queriesPerRun[queryBackground], modes[r.name].term.name)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "(pty %s, markers %s; times from exec)\n", o.size, o.markers)
	return err
}
