package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/runlog"
	"github.com/engram-lab/engram/train"
)

func newTrain(stdout, stderr io.Writer) *cobra.Command {
	var (
		cfgPath, data, out, resume, name           string
		epochs, workers, limit, tlimit, validation int
		seed                                       uint64
		asJSON, quiet, noPlots                     bool
	)
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train the flagship spiking network (default: MNIST) and write a run folder",
		Long: `Train the flagship structured recurrent spiking network with local learning.

With no arguments it trains the default model on MNIST, shows a progress bar,
and writes runs/flagship-mnist-<time>/ with config.toml, run.json,
metrics.jsonl/csv, checkpoints/, model.safetensors, pictures and report.html.
Ctrl-C stops between minibatches and keeps the last epoch's checkpoint;
resume with --resume <run folder>.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			rc := train.DefaultRunConfig()
			if cfgPath != "" {
				var err error
				if rc, err = train.LoadConfigFile(cfgPath); err != nil {
					return err
				}
			}
			f := cmd.Flags()
			if f.Changed("data") {
				rc.Data = data
				if cfgPath == "" {
					// a temporal task gets the model defaults chosen for it
					rc.Model = train.ModelDefaults(data)
				}
			}
			if f.Changed("epochs") {
				rc.Model.Epochs = epochs
			}
			if f.Changed("seed") {
				rc.Model.Seed = seed
			}
			if f.Changed("workers") {
				rc.Model.Workers = workers
			}
			if f.Changed("limit") {
				rc.TrainLimit = limit
			}
			if f.Changed("test-limit") {
				rc.TestLimit = tlimit
			}
			if f.Changed("validation") {
				rc.Validation = validation
			}
			opt := train.Options{Config: rc, OutRoot: out, Name: name, Resume: resume, NoPlots: noPlots}
			if !quiet {
				opt.Progress, opt.Log = stderr, stderr
			}
			res, err := train.Run(cmd.Context(), opt)
			sum := runlog.Summary{Command: "train", OK: err == nil, Seed: rc.Model.Seed,
				WallSeconds: time.Since(start).Seconds(), PeakRSSBytes: runlog.PeakRSS()}
			if res != nil {
				sum.RunDir = res.RunDir
				sum.Metrics = runlog.Floats{"test_accuracy": res.TestAccuracy, "train_accuracy": res.TrainAccuracy,
					"samples_per_s": res.SamplesPerSec, "epochs": float64(res.Epochs), "val_accuracy": res.ValAccuracy}
				sum.Artifacts = map[string]string{"model": res.ModelPath, "report": res.Report}
			}
			if err != nil {
				sum.Error = err.Error()
			}
			if asJSON {
				if werr := runlog.WriteJSONLine(stdout, sum); werr != nil && err == nil {
					err = werr
				}
			} else if err == nil {
				fmt.Fprintf(stdout, "test accuracy %.2f%% after %d epochs (%.0f samples/s); run folder %s\n",
					100*res.TestAccuracy, res.Epochs, res.SamplesPerSec, res.RunDir)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfgPath, "config", "", "TOML run configuration (see configs/); unknown keys are errors")
	f.StringVar(&data, "data", "mnist", "dataset: mnist, fashion-mnist, smnist, cue, idx:DIR")
	f.IntVar(&epochs, "epochs", 0, "number of epochs (default from the config)")
	f.Uint64Var(&seed, "seed", 1, "seed of every random stream")
	f.IntVar(&workers, "workers", 2, "worker goroutines (results are identical for any value)")
	f.IntVar(&limit, "limit", 0, "train on the first N samples only (0 = all)")
	f.IntVar(&tlimit, "test-limit", 0, "evaluate on the first N test samples only (0 = all)")
	f.IntVar(&validation, "validation", 0, "hold out the last N training samples as a validation set")
	f.StringVar(&out, "out", "runs", "folder that receives run folders")
	f.StringVar(&name, "name", "", "run name prefix (default flagship-<data>)")
	f.StringVar(&resume, "resume", "", "resume the run in this folder from its last checkpoint")
	f.BoolVar(&asJSON, "json", false, "print one JSON summary line last")
	f.BoolVar(&quiet, "quiet", false, "no progress bar or per-epoch lines")
	f.BoolVar(&noPlots, "no-plots", false, "skip pictures and report.html")
	return cmd
}
