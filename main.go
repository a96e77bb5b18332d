// Command ucpilot is a terminal assistant for the server-to-server OAuth
// (partner application) trust between Exchange and Lync / Skype for Business.
// Without a subcommand it opens the TUI; the subcommands serve scripts and
// monitoring with stable output and exit codes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Stamped by the release build through -ldflags.
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

// exitError carries a specific exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitWith returns an error that makes main exit with code. A nil err exits
// quietly (for "no results" style outcomes that already printed their answer).
func exitWith(code int, err error) error { return &exitError{code: code, err: err} }

// usageError marks bad flags or arguments: exit 2, as most CLIs do.
func usageError(format string, a ...any) error {
	return exitWith(2, fmt.Errorf(format, a...))
}

func main() {
	// SIGTERM is what systemd, a container runtime or a monitoring
	// scheduler sends: it ends a run the way Ctrl-C does (exit 3 with the
	// partial report), not with status 143 and no report.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line and returns the process exit code. It is
// separate from main so tests can drive the whole CLI in process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "ucpilot:", ee.err)
		}
		return ee.code
	}
	// Cobra's own flag and argument errors.
	fmt.Fprintln(stderr, "ucpilot:", err)
	if hint := suggestCommand(root, err); hint != "" {
		fmt.Fprintln(stderr, hint)
	}
	fmt.Fprintln(stderr, "Run 'ucpilot --help' for usage.")
	return usageExitCode(root, args)
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	opts := &rootOptions{}
	root := &cobra.Command{
		Use:   "ucpilot",
		Short: "Set up and troubleshoot the Exchange ⇄ Skype for Business OAuth trust",
		Long: `ucpilot knows every step, identifier and known pitfall of the server-to-server
OAuth (partner application) trust between Exchange and Lync / Skype for Business:
on premises, hybrid with Exchange Online, and Exchange Server with Skype for
Business Online / Teams. Run without a command to open the terminal UI.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd.Context(), opts, stdin, stdout)
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&opts.theme, "theme", "auto", "colour theme: auto, dark or light (dark/light skip the terminal background query)")
	root.PersistentFlags().BoolVar(&opts.accessible, "accessible", os.Getenv("ACCESSIBLE") != "", "plain line-by-line prompts for screen readers (also ACCESSIBLE=1)")
	root.PersistentFlags().BoolVar(&opts.readOnly, "read-only", false, "never offer to run commands that change a server")
	root.Flags().StringVar(&opts.profilePath, "profile", "", "profile file (default $UCPILOT_PROFILE, then the user config dir; none: the lab)")
	root.AddCommand(
		newSearchCmd(stdout),
		newIDCmd(stdout),
		newKBCmd(stdout),
		newCheckCmd(stdout, stderr),
		newLabCmd(stdin, stdout, opts),
		newGuideCmd(stdout),
		newProfileCmd(stdin, stdout, opts),
		newTranscriptCmd(stdout),
		newVersionCmd(stdout),
		newManCmd(stdout),
		newServeCmd(stdout, stderr, opts),
	)
	return root
}
