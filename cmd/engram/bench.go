package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/netspec"
)

func newBench(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure speed and accuracy (results as markdown tables; see BENCH.md)",
	}
	cmd.AddCommand(newBenchEngine(stdout, stderr))
	cmd.AddCommand(newBenchFlagship(stdout, stderr))
	cmd.AddCommand(newBenchRules(stdout, stderr))
	cmd.AddCommand(newBenchRate(stdout, stderr))
	cmd.AddCommand(newBenchContinual(stdout, stderr))
	return cmd
}

func newBenchEngine(stdout, stderr io.Writer) *cobra.Command {
	var (
		reps    int
		workers []int
	)
	cmd := &cobra.Command{
		Use:   "engine [SPEC.toml ...]",
		Short: "Simulate network specs (default examples/coba.toml, examples/cuba.toml) and report medians",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"examples/coba.toml", "examples/cuba.toml"}
			}
			fmt.Fprintln(stdout, "| spec | workers | median run (s) | build (s) | synaptic events/s | × real time | mean rate (Hz) |")
			fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|")
			for _, path := range args {
				for _, w := range workers {
					var runs []float64
					var last *netspec.Summary
					for r := 0; r < reps; r++ {
						spec, err := netspec.Load(path)
						if err != nil {
							return err
						}
						spec.Workers = w
						sum, err := spec.Run(cmd.Context(), "", nil)
						if err != nil {
							return err
						}
						runs = append(runs, sum.RunWall.Seconds())
						last = sum
					}
					slices.Sort(runs)
					med := runs[len(runs)/2]
					var spikes int64
					var n int
					for _, p := range last.Populations {
						spikes += p.Spikes
						n += p.N
					}
					rate := float64(spikes) / float64(n) / (last.SimMs / 1000)
					wl := fmt.Sprint(w)
					if last.Workers != w {
						wl = fmt.Sprintf("%d (%d used: min_neurons_per_worker)", w, last.Workers)
					}
					fmt.Fprintf(stdout, "| %s | %s | %.3f | %.3f | %.3g | %.2f | %.2f |\n", path, wl, med,
						last.BuildWall.Seconds(), float64(last.SynEvents)/med, last.SimMs/1000/med, rate)
				}
			}
			fmt.Fprintf(stdout, "\n(%d repetitions each, %s)\n", reps, time.Now().UTC().Format(time.RFC3339))
			return nil
		},
	}
	cmd.Flags().IntVar(&reps, "reps", 3, "repetitions per configuration (median reported)")
	cmd.Flags().IntSliceVar(&workers, "workers", []int{1, 2}, "worker counts to measure")
	return cmd
}

// commandLine is the command as a user would type it, for provenance lines.
func commandLine() string {
	args := []string{"engram"}
	for _, a := range os.Args[1:] {
		if a == "" || strings.ContainsAny(a, " \t'\"()*?$&;|<>") {
			a = strconv.Quote(a)
		}
		args = append(args, a)
	}
	return strings.Join(args, " ")
}
