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
		model, rule, act                           string
		hidden                                     []int
		lr                                         float64
		batch                                      int
	)
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train the flagship spiking network (default: MNIST) or a rate network (--model mlp|cnn) and write a run folder",
		Long: `Train the flagship structured recurrent spiking network with local learning.

With no arguments it trains the default model on MNIST, shows a progress bar,
and writes runs/flagship-mnist-<time>/ with config.toml, run.json,
metrics.jsonl/csv, checkpoints/, model.safetensors, pictures and report.html.
Ctrl-C stops between minibatches and keeps the last epoch's checkpoint;
resume with --resume <run folder>.

--model mlp --rule bp|fa|dfa|drtp|ep|softhebb or --model cnn --rule
bp|fa|dfa|drtp|softhebb trains a rate network instead (docs/rate.md): the
same run folder, checkpoints and --json summary; --hidden, --act, --lr and
--batch override the rule's defaults. --resume <run folder> continues a rate
run too (its model, rule and settings are read from the folder), ending with
the weights of an uninterrupted run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			if resume != "" {
				rc, isRate, err := train.ReadRateRun(resume)
				if err != nil {
					return fmt.Errorf("resume: %w", err)
				}
				if isRate {
					return resumeRate(cmd, stdout, stderr, resume, rc, asJSON, quiet)
				}
				if model != "flagship" {
					return fmt.Errorf("--resume %s is a flagship run; drop --model %s", resume, model)
				}
			}
			if model == "flagship" {
				for _, k := range []string{"rule", "hidden", "act", "lr", "batch"} {
					if cmd.Flags().Changed(k) {
						return fmt.Errorf("--%s applies to rate networks (--model mlp|cnn), not the flagship", k)
					}
				}
			} else {
				return trainRate(cmd, stdout, stderr, model, rule, rateFlags{data, act, hidden, epochs, batch, limit, tlimit, lr, seed, out, name, asJSON, quiet})
			}
			rc := train.DefaultRunConfig()
			f := cmd.Flags()
			dataFlag := ""
			if f.Changed("data") {
				dataFlag = data
			}
			if cfgPath != "" {
				// the file's [model] keys override the defaults chosen for
				// its dataset (or for --data, which overrides the file's)
				var err error
				if rc, err = train.LoadConfigFileData(cfgPath, dataFlag); err != nil {
					return err
				}
			} else if dataFlag != "" {
				// each task gets the model defaults chosen for it
				rc = train.RunDefaults(dataFlag)
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
	f.StringVar(&model, "model", "flagship", "model: flagship (spiking), mlp or cnn (rate networks, see docs/rate.md)")
	f.StringVar(&rule, "rule", "bp", "rate-network rule: bp, fa, dfa, drtp, ep, softhebb (mlp); bp, fa, dfa, drtp, softhebb (cnn)")
	f.IntSliceVar(&hidden, "hidden", nil, "rate networks: hidden-layer widths (cnn: number of kernels); default per rule")
	f.StringVar(&act, "act", "", "rate networks: hidden activation (tanh, relu, sigmoid, hard-sigmoid); default per rule")
	f.Float64Var(&lr, "lr", 0, "rate networks: Adam learning rate of the first epoch; default per rule")
	f.IntVar(&batch, "batch", 0, "rate networks: minibatch size; default per rule")
	return cmd
}

// rateFlags are the train flags that apply to rate networks.
type rateFlags struct {
	data, act     string
	hidden        []int
	epochs, batch int
	limit, tlimit int
	lr            float64
	seed          uint64
	out, name     string
	asJSON, quiet bool
}

// trainRate runs `engram train --model mlp|cnn`: the same run folder,
// checkpoints, progress bar and --json summary as the flagship.
func trainRate(cmd *cobra.Command, stdout, stderr io.Writer, model, rule string, fl rateFlags) error {
	start := time.Now()
	f := cmd.Flags()
	for _, k := range []string{"config", "workers", "validation"} {
		if f.Changed(k) {
			return fmt.Errorf("--%s applies to the flagship model only, not --model %s", k, model)
		}
	}
	rc := train.DefaultRateConfig(model, rule)
	rc.Data, rc.TrainLimit, rc.TestLimit, rc.Seed = fl.data, fl.limit, fl.tlimit, fl.seed
	if f.Changed("epochs") {
		rc.Epochs = fl.epochs
	}
	if fl.batch > 0 {
		rc.Batch = fl.batch
	}
	if fl.lr > 0 {
		rc.LR = fl.lr
	}
	if fl.act != "" {
		rc.Act = fl.act
	}
	if len(fl.hidden) > 0 {
		rc.Hidden = fl.hidden
	}
	return runRate(cmd, stdout, stderr, train.RateOptions{Config: rc, OutRoot: fl.out, Name: fl.name}, fl.asJSON, fl.quiet, start)
}

// resumeRate runs `engram train --resume DIR` for a rate run folder, whose
// config rc fixes every setting (flags that would change it are refused).
func resumeRate(cmd *cobra.Command, stdout, stderr io.Writer, dir string, rc train.RateConfig, asJSON, quiet bool) error {
	for _, k := range []string{"config", "data", "epochs", "seed", "workers", "limit", "test-limit", "validation",
		"model", "rule", "hidden", "act", "lr", "batch"} {
		if cmd.Flags().Changed(k) {
			return fmt.Errorf("--%s cannot be combined with --resume: the settings are read from %s", k, dir)
		}
	}
	return runRate(cmd, stdout, stderr, train.RateOptions{Config: rc, Resume: dir}, asJSON, quiet, time.Now())
}

// runRate trains (or resumes) a rate run and prints its summary.
func runRate(cmd *cobra.Command, stdout, stderr io.Writer, opt train.RateOptions, asJSON, quiet bool, start time.Time) error {
	rc := opt.Config
	model, rule := rc.Model, rc.Rule
	if !quiet {
		opt.Progress, opt.Log = stderr, stderr
	}
	res, err := train.RunRate(cmd.Context(), opt)
	sum := runlog.Summary{Command: "train", OK: err == nil, Seed: rc.Seed,
		WallSeconds: time.Since(start).Seconds(), PeakRSSBytes: runlog.PeakRSS()}
	if res != nil {
		sum.RunDir = res.RunDir
		sum.Metrics = runlog.Floats{"test_accuracy": res.TestAccuracy, "train_accuracy": res.TrainAccuracy,
			"samples_per_s": res.SamplesPerSec, "epochs": float64(res.Epochs)}
		if res.ModelPath != "" {
			sum.Artifacts = map[string]string{"model": res.ModelPath}
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
		fmt.Fprintf(stdout, "%s/%s: test accuracy %.2f%% after %d epochs (%.0f samples/s); run folder %s\n",
			model, rule, 100*res.TestAccuracy, res.Epochs, res.SamplesPerSec, res.RunDir)
	}
	return err
}
