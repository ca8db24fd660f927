package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/netspec"
	"github.com/engram-lab/engram/runlog"
)

func newSim(stdout, stderr io.Writer) *cobra.Command {
	var (
		out              string
		workers          int
		asJSON, quiet    bool
		durationMs, seed float64
	)
	cmd := &cobra.Command{
		Use:   "sim SPEC.toml",
		Short: "Simulate a network described in TOML (see docs/sim.md and examples/)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			spec, err := netspec.Load(args[0])
			if err != nil {
				return err
			}
			f := cmd.Flags()
			if f.Changed("workers") {
				spec.Workers = workers
			}
			if f.Changed("duration") {
				spec.Duration = float32(durationMs)
			}
			if f.Changed("seed") {
				spec.Seed = uint64(seed)
			}
			if err := spec.Validate(); err != nil {
				return err
			}
			dir := ""
			if out != "" {
				name := strings.TrimSuffix(filepath.Base(args[0]), filepath.Ext(args[0]))
				run, err := runlog.New(out, "sim-"+name)
				if err != nil {
					return err
				}
				defer run.Close()
				if err := run.SaveConfig(spec); err != nil {
					return err
				}
				if err := run.SaveInfo(spec.Seed, map[string]any{"spec": args[0]}); err != nil {
					return err
				}
				dir = run.Dir()
			}
			var bar *progressbar.ProgressBar
			progress := func(done, total int) {
				if quiet {
					return
				}
				if bar == nil {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(stderr),
						progressbar.OptionSetDescription("simulating"), progressbar.OptionSetPredictTime(true),
						progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
				}
				bar.Set(done)
			}
			sum, err := spec.Run(cmd.Context(), dir, progress)
			if bar != nil {
				bar.Finish()
			}
			if err != nil {
				return err
			}
			if asJSON {
				m := runlog.Floats{"steps": float64(sum.Steps), "sim_ms": sum.SimMs, "run_seconds": sum.RunWall.Seconds(),
					"build_seconds": sum.BuildWall.Seconds(), "syn_events_per_s": sum.SynEventsPerSec(), "realtime_factor": sum.Realtime()}
				for _, p := range sum.Populations {
					m["rate_hz_"+p.Name] = p.RateHz
				}
				return runlog.WriteJSONLine(stdout, runlog.Summary{Command: "sim", OK: true, RunDir: dir, Seed: spec.Seed,
					WallSeconds: time.Since(start).Seconds(), PeakRSSBytes: runlog.PeakRSS(), Metrics: m})
			}
			fmt.Fprintf(stdout, "%d steps (%.0f ms simulated) in %.3f s run + %.3f s build, %d workers, exchange every %d steps\n",
				sum.Steps, sum.SimMs, sum.RunWall.Seconds(), sum.BuildWall.Seconds(), sum.Workers, sum.Interval)
			fmt.Fprintf(stdout, "%d synapses, %.3g synaptic events/s, %.2f× real time\n", sum.Synapses, sum.SynEventsPerSec(), sum.Realtime())
			for _, p := range sum.Populations {
				fmt.Fprintf(stdout, "  %-12s n=%-7d spikes=%-9d rate %.2f Hz\n", p.Name, p.N, p.Spikes, p.RateHz)
			}
			if dir != "" {
				fmt.Fprintln(stdout, "run folder:", dir)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "runs", "folder that receives the run folder with monitor CSVs (\"\" = write nothing)")
	f.IntVar(&workers, "workers", 1, "worker goroutines (overrides the spec; results are identical for any value)")
	f.Float64Var(&durationMs, "duration", 0, "simulated time in ms (overrides the spec)")
	f.Float64Var(&seed, "seed", 0, "seed (overrides the spec)")
	f.BoolVar(&asJSON, "json", false, "print one JSON summary line")
	f.BoolVar(&quiet, "quiet", false, "no progress bar")
	return cmd
}
