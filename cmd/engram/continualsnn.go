package main

import (
	"context"
	"fmt"
	"time"

	"github.com/engram-lab/engram/continual"
	"github.com/engram-lab/engram/continual/spiking"
	"github.com/engram-lab/engram/runlog"
)

// Spiking methods of `engram continual`: the spiking learner of package
// continual/spiking (local rules only) with and without HLOP.
const (
	methodHLOPSNN     = "hlop-snn"
	methodFinetuneSNN = "finetune-snn"
)

// snnRunConfig is what a spiking continual run depends on (its config.toml).
type snnRunConfig struct {
	Stream     string         `toml:"stream"`
	Method     string         `toml:"method"`
	Tasks      int            `toml:"tasks"`
	TrainLimit int            `toml:"train_limit"`
	TestLimit  int            `toml:"test_limit"`
	SNN        spiking.Config `toml:"snn"`
}

// runContinualSNN runs a spiking method on a stream and writes the same run
// folder files as the rate methods (config, run info, per-task metrics,
// result.json, accuracy matrix).
func runContinualSNN(ctx context.Context, rc snnRunConfig, outRoot string, progress func(done, total int), log func(string)) (*continual.Result, string, error) {
	rc.SNN.HLOP = rc.Method == methodHLOPSNN
	st, err := continual.Build(rc.Stream, continual.Options{Tasks: rc.Tasks, TrainLimit: rc.TrainLimit, TestLimit: rc.TestLimit, Seed: rc.SNN.Seed}, nil)
	if err != nil {
		return nil, "", err
	}
	var run *runlog.Run
	dir := ""
	if outRoot != "" {
		if run, err = runlog.New(outRoot, "continual-"+rc.Stream+"-"+rc.Method); err != nil {
			return nil, "", err
		}
		defer run.Close()
		dir = run.Dir()
		if err := run.SaveConfig(rc); err != nil {
			return nil, dir, err
		}
		if err := run.SaveInfo(rc.SNN.Seed, map[string]any{"stream": rc.Stream, "method": rc.Method}); err != nil {
			return nil, dir, err
		}
	}
	start := time.Now()
	last := ""
	sres, err := spiking.Run(ctx, rc.SNN, st, func(p spiking.Progress) {
		if progress != nil && p.Phase == "train" && p.Total > 0 {
			progress(p.Task*p.Total+p.Done, p.Tasks*p.Total)
		}
		if now := fmt.Sprintf("task %d/%d: %s", p.Task+1, p.Tasks, p.Phase); log != nil && now != last {
			last = now
			log(fmt.Sprintf("%s (%.0f s)", now, time.Since(start).Seconds()))
		}
	})
	if err != nil {
		return nil, dir, err
	}
	res := &continual.Result{Method: rc.Method, Stream: rc.Stream, Matrix: sres.Matrix, ACC: sres.ACC, BWT: sres.BWT,
		FWT: sres.FWT, Forgetting: sres.Matrix.Forgetting(), Wall: time.Since(start)}
	if sres.Net != nil {
		for _, l := range sres.Net.Lat { // HLOP's lateral neurons: the method's extra memory
			if l != nil {
				res.ExtraBytes += int64(4 * len(l.H))
			}
		}
	}
	if run != nil {
		met, err := run.Metrics()
		if err != nil {
			return res, dir, err
		}
		for t := range sres.Matrix.T() {
			r := runlog.Row{"task": t}
			for j := range sres.Matrix.T() {
				r[fmt.Sprintf("acc_task%d", j)] = sres.Matrix.R[t][j]
			}
			if err := met.Log(r); err != nil {
				return res, dir, err
			}
		}
		if err := continual.WriteRunFiles(run, res); err != nil {
			return res, dir, err
		}
	}
	return res, dir, nil
}
