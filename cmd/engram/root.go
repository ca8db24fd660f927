package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"sort"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/runlog"
)

// profiler is the state of the global --cpuprofile flag.
type profiler struct {
	path string
	f    *os.File
}

// start begins a CPU profile into p.path (no-op without the flag).
func (p *profiler) start() error {
	if p.path == "" {
		return nil
	}
	f, err := os.Create(p.path)
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	p.f = f
	return nil
}

// stop ends the profile, also after a failed or interrupted command.
func (p *profiler) stop() error {
	if p.f == nil {
		return nil
	}
	pprof.StopCPUProfile()
	err := p.f.Close()
	p.f = nil
	return err
}

// newRoot returns the command tree and its --cpuprofile state, which run
// stops once the command returns.
func newRoot(stdout, stderr io.Writer) (*cobra.Command, *profiler) {
	prof := &profiler{}
	root := &cobra.Command{
		Use:   "engram",
		Short: "Spiking and rate networks that learn with local plasticity",
		Long: `engram simulates spiking and rate neural networks and trains them with local
plasticity instead of backpropagation.

  engram train              train the flagship network on MNIST (writes runs/<name>-<time>/)
  engram train --data fashion-mnist|smnist|cue
  engram eval  --model runs/…/model.safetensors
  engram sim   examples/coba.toml
  engram bench flagship|engine|rules
  engram plot  runs/…           redraw a run's pictures and report.html
  engram version`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(*cobra.Command, []string) error {
			return prof.start()
		},
	}
	root.PersistentFlags().StringVar(&prof.path, "cpuprofile", "",
		"write a CPU profile of the command to this file (go tool pprof)")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newVersion(stdout))
	root.AddCommand(newTrain(stdout, stderr))
	root.AddCommand(newEval(stdout, stderr))
	root.AddCommand(newSim(stdout, stderr))
	root.AddCommand(newPlot(stdout, stderr))
	root.AddCommand(newBench(stdout, stderr))
	root.AddCommand(newContinual(stdout, stderr))
	addPlotRules(root, stdout, stderr)
	return root, prof
}

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print build provenance (Go version, module, VCS revision)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bi := runlog.BuildInfo()
			keys := make([]string, 0, len(bi))
			for k := range bi {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			fmt.Fprintf(stdout, "engram %s\n", bi["module_version"])
			for _, k := range keys {
				fmt.Fprintf(stdout, "  %-15s %s\n", k, bi[k])
			}
			return nil
		},
	}
}
