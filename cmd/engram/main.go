// Command engram simulates and trains spiking networks with local
// plasticity: `engram train` trains the flagship network on MNIST and writes
// a run folder; `engram sim` runs a network described in TOML; `engram eval`
// scores a saved model; `engram bench` measures; `engram plot` redraws a
// run's pictures; `engram version` prints build provenance.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "engram:", err)
		if errors.Is(err, context.Canceled) {
			os.Exit(130)
		}
		os.Exit(1)
	}
}

// run executes the command line args, writing results to stdout and
// progress and diagnostics to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root, prof := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if perr := prof.stop(); err == nil && perr != nil {
		err = fmt.Errorf("--cpuprofile: %w", perr)
	}
	return err
}
