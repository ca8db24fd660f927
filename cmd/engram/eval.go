package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/runlog"
	"github.com/engram-lab/engram/train"
)

func newEval(stdout, stderr io.Writer) *cobra.Command {
	var (
		model, data string
		limit       int
		asJSON      bool
	)
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Score a saved model on a dataset's test set",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			if model == "" {
				return fmt.Errorf("eval: --model is required (a model.safetensors or a checkpoint)")
			}
			_, rc, err := train.ReadModel(model)
			if err != nil {
				return err
			}
			if data != "" {
				rc.Data = data
			}
			rc.TestLimit = limit
			rc.TrainLimit = 1
			m, _, test, err := train.OpenModel(model, rc)
			if err != nil {
				return err
			}
			acc, _ := m.Evaluate(test)
			secs := time.Since(start).Seconds()
			if asJSON {
				return runlog.WriteJSONLine(stdout, runlog.Summary{Command: "eval", OK: true, Seed: rc.Model.Seed,
					WallSeconds: secs, PeakRSSBytes: runlog.PeakRSS(), RunDir: filepath.Dir(model),
					Metrics: runlog.Floats{"test_accuracy": acc, "test_samples": float64(test.N)}})
			}
			fmt.Fprintf(stdout, "%s on %s test set (%d samples): accuracy %.2f%%\n", model, rc.Data, test.N, 100*acc)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&model, "model", "", "model or checkpoint file (safetensors)")
	f.StringVar(&data, "data", "", "dataset (default: the one the model was trained on)")
	f.IntVar(&limit, "limit", 0, "evaluate on the first N test samples only (0 = all)")
	f.BoolVar(&asJSON, "json", false, "print one JSON summary line")
	return cmd
}

func newPlot(stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "plot RUN_DIR",
		Short: "Redraw a run folder's pictures and report.html from its model and metrics",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			path := filepath.Join(dir, "model.safetensors")
			_, rc, err := train.ReadModel(path)
			if err != nil {
				return err
			}
			rc.TrainLimit = 1
			m, enc, test, err := train.OpenModel(path, rc)
			if err != nil {
				return err
			}
			report, err := train.Pictures(dir, m, enc, test)
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, report)
			return nil
		},
	}
}
