package continual

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/engram-lab/engram/plot"
	"github.com/engram-lab/engram/runlog"
)

// RunConfig is everything one `engram continual` run depends on; it is
// written to the run folder's config.toml.
type RunConfig struct {
	Stream     string  `toml:"stream"`
	Method     string  `toml:"method"`
	Tasks      int     `toml:"tasks"`       // 0 = the stream's default
	TrainLimit int     `toml:"train_limit"` // training samples per task
	TestLimit  int     `toml:"test_limit"`  // test samples per task
	MaxAngle   float64 `toml:"max_angle"`   // rotated stream only
	// Validation > 0 scores on that many held-out training samples
	// instead of the test split (Options.Validation).
	Validation int    `toml:"validation"`
	Net        Config `toml:"net"`
	Hyper      Hyper  `toml:"hyper"`
}

// DefaultRunConfig is HLOP on permuted MNIST with the package defaults.
func DefaultRunConfig() RunConfig {
	return RunConfig{Stream: PermutedMNIST, Method: MHLOP, TrainLimit: DefaultTrainLimit, TestLimit: DefaultTestLimit,
		Net: DefaultConfig(), Hyper: DefaultHyper()}
}

// Experiment runs rc, writing a run folder under outRoot (none if outRoot
// is empty). progress, when not nil, is called with (done, total)
// minibatches. The context stops the run between tasks.
func Experiment(ctx context.Context, rc RunConfig, outRoot string, progress func(done, total int), log func(string)) (*Result, string, error) {
	return experiment(ctx, rc, outRoot, nil, progress, log)
}

func experiment(ctx context.Context, rc RunConfig, outRoot string, load Loader, progress func(done, total int), log func(string)) (*Result, string, error) {
	rc.Net = rc.Net.withDefaults()
	s, err := Build(rc.Stream, Options{Tasks: rc.Tasks, TrainLimit: rc.TrainLimit, TestLimit: rc.TestLimit, Seed: rc.Net.Seed, MaxAngle: rc.MaxAngle, Validation: rc.Validation}, load)
	if err != nil {
		return nil, "", err
	}
	l, err := New(rc.Method, s, rc.Net, rc.Hyper)
	if err != nil {
		return nil, "", err
	}
	var run *runlog.Run
	var met *runlog.Metrics
	if outRoot != "" {
		if run, err = runlog.New(outRoot, "continual-"+rc.Stream+"-"+rc.Method); err != nil {
			return nil, "", err
		}
		defer run.Close()
		if err := run.SaveConfig(rc); err != nil {
			return nil, run.Dir(), err
		}
		if err := run.SaveInfo(rc.Net.Seed, map[string]any{"stream": rc.Stream, "method": rc.Method}); err != nil {
			return nil, run.Dir(), err
		}
		if met, err = run.Metrics(); err != nil {
			return nil, run.Dir(), err
		}
	}
	total, done := TotalSteps(s, rc.Net), 0
	tick := func() {
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	start := time.Now()
	res, err := RunContext(ctx, s, l, tick, func(t int, row []float64) {
		mean := 0.0
		for _, v := range row[:t+1] {
			mean += v
		}
		mean /= float64(t + 1)
		if log != nil {
			log(fmt.Sprintf("after task %d (%s): accuracy on tasks seen %.2f%%, on this task %.2f%%, %.0f s",
				t, s.Tasks[t].Name, 100*mean, 100*row[t], time.Since(start).Seconds()))
			if h, ok := l.(*HLOP); ok && t < len(h.Kept) {
				log(fmt.Sprintf("  hlop: lateral neurons recruited per layer %v (total %v), energy captured per layer %.4f",
					h.Kept[t], h.Total(), h.Cap[t]))
			}
		}
		if met != nil {
			r := runlog.Row{"task": t, "task_name": s.Tasks[t].Name, "acc_seen": mean, "acc_this": row[t],
				"wall_s": time.Since(start).Seconds(), "peak_rss": runlog.PeakRSS()}
			for j, v := range row {
				r[fmt.Sprintf("acc_task%d", j)] = v
			}
			_ = met.Log(r)
		}
	})
	if err != nil {
		return nil, dirOf(run), err
	}
	if run != nil {
		if err := writeRunFiles(run, res); err != nil {
			return res, run.Dir(), err
		}
	}
	return res, dirOf(run), nil
}

func dirOf(r *runlog.Run) string {
	if r == nil {
		return ""
	}
	return r.Dir()
}

// WriteRunFiles writes result.json, accuracy_matrix.md and the accuracy
// matrix picture of res into run (used by callers that run their own
// learner, such as the spiking HLOP of package continual/spiking).
func WriteRunFiles(run *runlog.Run, res *Result) error { return writeRunFiles(run, res) }

func writeRunFiles(run *runlog.Run, res *Result) error {
	m := res.Matrix
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(run.Path("result.json"), b, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(run.Path("accuracy_matrix.md"), []byte(m.String()), 0o644); err != nil {
		return err
	}
	fig, err := plot.Matrix(m.Flat(), m.T(), m.T(), fmt.Sprintf("%s on %s: accuracy (row = after task, column = task)", res.Method, res.Stream))
	if err != nil {
		return err
	}
	return plot.Save(fig, run.Path("accuracy_matrix"))
}
