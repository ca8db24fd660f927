package main

import (
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/runlog"
)

func newRoot(stdout, stderr io.Writer) *cobra.Command {
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
	}
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
	return root
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
