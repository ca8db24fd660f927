package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/continual"
	"github.com/engram-lab/engram/continual/spiking"
	"github.com/engram-lab/engram/runlog"
)

func newContinual(stdout, stderr io.Writer) *cobra.Command {
	var (
		stream, method, out, hidden    string
		tasks, epochs, tlimit, telimit int
		validation                     int
		seed                           uint64
		lr                             float64
		asJSON, quiet                  bool
	)
	rc := continual.DefaultRunConfig()
	cmd := &cobra.Command{
		Use:   "continual",
		Short: "Continual learning on the rate substrate: one method on one task stream (accuracy matrix, ACC/BWT/FWT)",
		Long: `Train a rate MLP on a stream of tasks with one continual-learning method and
measure forgetting. Writes runs/continual-<stream>-<method>-<time>/ with
config.toml, run.json, metrics.jsonl/csv (one row per task), result.json,
accuracy_matrix.md and accuracy_matrix.png/svg.

Streams: ` + strings.Join(continual.StreamNames, ", ") + `
Methods: ` + strings.Join(continual.Methods, ", ") + ` (rate MLP);
` + methodHLOPSNN + `, ` + methodFinetuneSNN + ` (spiking network with local rules, with and without HLOP;
package continual/spiking — --lr and --hidden do not apply)
See docs/continual.md for each method's equations and measured results.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			rc.Stream, rc.Method, rc.Tasks = stream, method, tasks
			rc.TrainLimit, rc.TestLimit, rc.Validation = tlimit, telimit, validation
			rc.Net.Epochs, rc.Net.Seed, rc.Net.LR = epochs, seed, float32(lr)
			if hidden != "" {
				rc.Net.Hidden = nil
				for _, f := range strings.Split(hidden, ",") {
					var h int
					if _, err := fmt.Sscan(f, &h); err != nil || h <= 0 {
						return fmt.Errorf("--hidden: bad layer size %q", f)
					}
					rc.Net.Hidden = append(rc.Net.Hidden, h)
				}
			}
			var pb *progressbar.ProgressBar
			progress := func(done, total int) {
				if quiet {
					return
				}
				if pb == nil {
					pb = progressbar.NewOptions(total, progressbar.OptionSetWriter(stderr),
						progressbar.OptionSetDescription(stream+" "+method), progressbar.OptionShowCount(),
						progressbar.OptionSetPredictTime(true), progressbar.OptionSetWidth(24),
						progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
				}
				_ = pb.Set(done)
			}
			logf := func(l string) {
				if !quiet {
					if pb != nil {
						_ = pb.Clear()
					}
					fmt.Fprintln(stderr, l)
				}
			}
			var res *continual.Result
			var dir string
			var err error
			if method == methodHLOPSNN || method == methodFinetuneSNN {
				sc := snnRunConfig{Stream: stream, Method: method, Tasks: tasks, TrainLimit: tlimit, TestLimit: telimit,
					SNN: spiking.DefaultConfig()}
				sc.SNN.Seed = seed
				if cmd.Flags().Changed("epochs") {
					sc.SNN.Epochs = epochs
				}
				res, dir, err = runContinualSNN(cmd.Context(), sc, out, progress, logf)
			} else {
				res, dir, err = continual.Experiment(cmd.Context(), rc, out, progress, logf)
			}
			if pb != nil {
				_ = pb.Finish()
			}
			sum := runlog.Summary{Command: "continual", OK: err == nil, Seed: seed, RunDir: dir,
				WallSeconds: time.Since(start).Seconds(), PeakRSSBytes: runlog.PeakRSS()}
			if res != nil {
				sum.Metrics = runlog.Floats{"acc": res.ACC, "bwt": res.BWT, "fwt": res.FWT, "forgetting": res.Forgetting,
					"extra_bytes": float64(res.ExtraBytes), "train_wall_s": res.Wall.Seconds(), "tasks": float64(res.Matrix.T())}
				if dir != "" {
					sum.Artifacts = map[string]string{"matrix_png": dir + "/accuracy_matrix.png", "result": dir + "/result.json"}
				}
			}
			if err != nil {
				sum.Error = err.Error()
			}
			if asJSON {
				if werr := runlog.WriteJSONLine(stdout, sum); werr != nil && err == nil {
					err = werr
				}
			} else if err == nil {
				fmt.Fprint(stdout, res.Matrix.String())
				fmt.Fprintf(stdout, "%s on %s: ACC %.2f%%  BWT %+.2f%%  FWT %+.2f%%  extra memory %d B  %.0f s",
					method, stream, 100*res.ACC, 100*res.BWT, 100*res.FWT, res.ExtraBytes, res.Wall.Seconds())
				if dir != "" {
					fmt.Fprintf(stdout, "; run folder %s", dir)
				}
				fmt.Fprintln(stdout)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&stream, "stream", continual.PermutedMNIST, "task stream: "+strings.Join(continual.StreamNames, ", "))
	f.StringVar(&method, "method", continual.MHLOP, "method: "+strings.Join(continual.Methods, ", ")+", "+methodHLOPSNN+", "+methodFinetuneSNN)
	f.IntVar(&tasks, "tasks", 0, "number of tasks (0 = stream default: 10 permuted/rotated, 5 split)")
	f.IntVar(&epochs, "epochs", rc.Net.Epochs, "epochs per task")
	f.IntVar(&tlimit, "train-limit", continual.DefaultTrainLimit, "training samples per task (0 = all)")
	f.IntVar(&telimit, "test-limit", continual.DefaultTestLimit, "test samples per task (0 = all)")
	f.Uint64Var(&seed, "seed", 1, "seed of every random stream")
	f.Float64Var(&lr, "lr", 0.1, "SGD learning rate (momentum 0.9)")
	f.StringVar(&hidden, "hidden", "", "hidden layer sizes, comma separated (default 1000)")
	f.StringVar(&out, "out", "runs", "folder that receives run folders (empty = no run folder)")
	f.IntVar(&validation, "validation", 0, "hold out this many samples of the dataset's training split and score on them instead of the test split (tuning; 0 = test split)")
	f.Float64Var(&rc.Hyper.HLOP.Energy, "hlop-energy", rc.Hyper.HLOP.Energy, "hlop: input-layer energy fraction the lateral subspace captures per task")
	f.Float64Var(&rc.Hyper.HLOP.EnergyHidden, "hlop-energy-hidden", rc.Hyper.HLOP.EnergyHidden, "hlop: the same for the hidden layers' inputs")
	f.Float64Var(&rc.Hyper.HLOP.EnergyStep, "hlop-energy-step", rc.Hyper.HLOP.EnergyStep, "hlop: per task, the unprotected energy 1−E shrinks by this fraction of its first value (0 = fixed targets)")
	f.IntVar(&rc.Hyper.HLOP.Samples, "hlop-samples", rc.Hyper.HLOP.Samples, "hlop: samples of each finished task used for Hebbian learning")
	f.IntVar(&rc.Hyper.HLOP.K, "hlop-k", rc.Hyper.HLOP.K, "hlop: most lateral neurons a layer recruits per task")
	f.IntVar(&rc.Hyper.HLOP.Epochs, "hlop-epochs", rc.Hyper.HLOP.Epochs, "hlop: Hebbian epochs per group of lateral neurons")
	f.BoolVar(&asJSON, "json", false, "print one JSON summary line last")
	f.BoolVar(&quiet, "quiet", false, "no progress bar or per-task lines")
	return cmd
}
