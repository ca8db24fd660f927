package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/config"
	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/runlog"
	"github.com/engram-lab/engram/train"
)

// benchRow is one configuration of the flagship benchmark.
type benchRow struct {
	Name string
	Data string
	Mod  func(*train.RunConfig)
}

func flagshipTasks() []benchRow {
	return []benchRow{
		{"MNIST", "mnist", nil},
		{"Fashion-MNIST", "fashion-mnist", nil},
		{"MNIST with 5 % readout connectivity", "mnist", func(rc *train.RunConfig) { rc.Model.ReadoutDensity = 0.05 }},
		// Fashion-MNIST's encoder and model settings (chosen on its
		// validation data) on MNIST
		{"MNIST with the SoftHebb encoder", "mnist", func(rc *train.RunConfig) {
			rc.Model, rc.Encoder = train.ModelDefaults(dataset.NameFashionMNIST), train.EncoderDefaults(dataset.NameFashionMNIST)
		}},
		{"row-wise sequential MNIST", "smnist", nil},
		{"cue accumulation", "cue", nil},
	}
}

func flagshipAblations() []benchRow {
	return []benchRow{
		{"full model (readout connectivity 100 %)", "mnist", nil},
		{"no modulatory populations (direct broadcast alignment)", "mnist", func(rc *train.RunConfig) { rc.Model.ModNeurons = 0 }},
		{"readout-only learning (hidden frozen)", "mnist", func(rc *train.RunConfig) { rc.Model.HiddenLearning = false }},
		{"no recurrence", "mnist", func(rc *train.RunConfig) { rc.Model.Recurrent = false }},
		{"no augmentation (augment_shift 0)", "mnist", func(rc *train.RunConfig) { rc.Model.AugmentShift = 0 }},
		{"random sparse instead of small-world", "mnist", func(rc *train.RunConfig) { rc.Model.RandomSparse = true }},
		{"readout connectivity 20 %", "mnist", func(rc *train.RunConfig) { rc.Model.ReadoutDensity = 0.2 }},
		{"readout connectivity 5 %", "mnist", func(rc *train.RunConfig) { rc.Model.ReadoutDensity = 0.05 }},
	}
}

func memoryRows() []benchRow {
	var rows []benchRow
	for _, T := range []int{25, 100, 400} {
		rows = append(rows, benchRow{fmt.Sprintf("T = %d steps", T), "mnist", func(rc *train.RunConfig) { rc.Model.T = T }})
	}
	return rows
}

type benchResult struct {
	acc, sps, rss, wall []float64
}

func newBenchFlagship(stdout, stderr io.Writer) *cobra.Command {
	var (
		seeds            int
		epochs, limit    int
		tlimit           int
		only, tasks      string
		mdPath           string
		memLimit, memEps int
		jobs             int
	)
	cmd := &cobra.Command{
		Use:   "flagship",
		Short: "Accuracy table (mean ± std over seeds), ablations and memory-vs-T of the flagship",
		Long: `Runs each configuration as a child process "engram train --json" so peak memory is
measured per run, and prints markdown tables: tasks (mean ± std over --seeds), ablations
(seed 1), and peak RSS for T = 25, 100, 400 steps per sample.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			self, err := os.Executable()
			if err != nil {
				return err
			}
			tmp, err := os.MkdirTemp("", "engram-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			var md bytes.Buffer
			out := io.MultiWriter(stdout, &md)
			runOne := func(r benchRow, seed uint64, ep, lim int) (map[string]float64, error) {
				rc := train.RunDefaults(r.Data)
				if r.Mod != nil {
					r.Mod(&rc)
				}
				if ep > 0 {
					rc.Model.Epochs = ep
				}
				rc.TrainLimit, rc.TestLimit = lim, tlimit
				rc.Model.Seed = seed
				text, err := config.Encode(rc)
				if err != nil {
					return nil, err
				}
				path := filepath.Join(tmp, fmt.Sprintf("run-%d-seed%d.toml", time.Now().UnixNano(), seed))
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					return nil, err
				}
				c := exec.CommandContext(cmd.Context(), self, "train", "--config", path, "--json", "--quiet", "--no-plots", "--out", tmp)
				c.Stderr = stderr
				b, err := c.Output()
				var sum runlog.Summary
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				if jerr := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); jerr != nil {
					return nil, fmt.Errorf("%s seed %d: %v (%v)", r.Name, seed, err, jerr)
				}
				if !sum.OK {
					return nil, fmt.Errorf("%s seed %d: %s", r.Name, seed, sum.Error)
				}
				m := map[string]float64(sum.Metrics)
				m["rss"] = float64(sum.PeakRSSBytes)
				m["wall"] = sum.WallSeconds
				fmt.Fprintf(stderr, "bench: %s seed %d: %.2f%% %.0f samples/s %.0f s\n", r.Name, seed, 100*m["test_accuracy"], m["samples_per_s"], sum.WallSeconds)
				return m, nil
			}
			collect := func(r benchRow, n int, ep, lim int) (benchResult, error) {
				// seeds run as separate child processes, up to jobs at a
				// time; results are kept in seed order
				ms := make([]map[string]float64, n)
				errs := make([]error, n)
				sem := make(chan struct{}, max(jobs, 1))
				var wg sync.WaitGroup
				for s := 1; s <= n; s++ {
					wg.Add(1)
					sem <- struct{}{}
					go func() {
						defer func() { <-sem; wg.Done() }()
						ms[s-1], errs[s-1] = runOne(r, uint64(s), ep, lim)
					}()
				}
				wg.Wait()
				var br benchResult
				if err := errors.Join(errs...); err != nil {
					return br, err
				}
				for _, m := range ms {
					br.acc = append(br.acc, 100*m["test_accuracy"])
					br.sps = append(br.sps, m["samples_per_s"])
					br.rss = append(br.rss, m["rss"]/(1<<20))
					br.wall = append(br.wall, m["wall"])
				}
				return br, nil
			}
			if err := checkTaskNames(tasks); err != nil {
				return err
			}
			cpu := cpuModel()
			fmt.Fprintf(out, "Machine: %s, %d cores; %s. Command: `%s`\n\n", cpu, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), commandLine())
			if only == "" || only == "tasks" {
				fmt.Fprintf(out, "| task | test accuracy %% (mean ± std, %d seeds) | samples/s (median) | wall s per run (median) | peak RSS MiB |\n|---|---|---|---|---|\n", seeds)
				for _, r := range flagshipTasks() {
					if !selected(tasks, r) {
						continue
					}
					br, err := collect(r, seeds, epochs, limit)
					if err != nil {
						return err
					}
					fmt.Fprintf(out, "| %s | %.2f ± %.2f | %.0f | %.0f | %.0f |\n", r.Name, mean(br.acc), std(br.acc), median(br.sps), median(br.wall), maxOf(br.rss))
				}
				fmt.Fprintln(out)
			}
			if only == "" || only == "ablations" {
				length := "the model's epochs"
				if epochs > 0 {
					length = fmt.Sprintf("%d epochs", epochs)
				}
				if limit > 0 {
					length += fmt.Sprintf(", %d training samples", limit)
				}
				fmt.Fprintf(out, "| ablation (MNIST, seed 1, %s) | test accuracy %% | samples/s | peak RSS MiB |\n|---|---|---|---|\n", length)
				for _, r := range flagshipAblations() {
					br, err := collect(r, 1, epochs, limit)
					if err != nil {
						return err
					}
					fmt.Fprintf(out, "| %s | %.2f | %.0f | %.0f |\n", r.Name, br.acc[0], br.sps[0], br.rss[0])
				}
				fmt.Fprintln(out)
			}
			if only == "" || only == "memory" {
				fmt.Fprintf(out, "| time steps per sample (MNIST, %d samples, %d epoch) | peak RSS MiB | samples/s |\n|---|---|---|\n", memLimit, memEps)
				for _, r := range memoryRows() {
					br, err := collect(r, 1, memEps, memLimit)
					if err != nil {
						return err
					}
					fmt.Fprintf(out, "| %s | %.0f | %.0f |\n", r.Name, br.rss[0], br.sps[0])
				}
				fmt.Fprintln(out)
			}
			if mdPath != "" {
				return writeSection(mdPath, "flagship", md.String())
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&seeds, "seeds", 3, "seeds per task")
	f.IntVar(&epochs, "epochs", 0, "epochs per run (0 = the model default)")
	f.IntVar(&limit, "limit", 0, "training samples per run (0 = all)")
	f.IntVar(&tlimit, "test-limit", 0, "test samples per run (0 = all)")
	f.StringVar(&only, "only", "", "run one part: tasks, ablations or memory")
	f.StringVar(&tasks, "tasks", "", "comma-separated task names or datasets of the task table to run (default all), e.g. mnist,smnist")
	f.StringVar(&mdPath, "md", "", "also write the tables into this markdown file (between bench markers)")
	f.IntVar(&jobs, "jobs", 1, "seeds run at the same time (each a child process; samples/s then share the CPUs)")
	f.IntVar(&memLimit, "memory-limit", 2000, "training samples for the memory-vs-T runs")
	f.IntVar(&memEps, "memory-epochs", 1, "epochs for the memory-vs-T runs")
	return cmd
}

// selected reports whether row r is named by the comma-separated list
// (its name or its dataset, case-insensitive; an empty list selects all).
// The bare dataset "mnist" selects the plain MNIST row only.
func selected(list string, r benchRow) bool {
	if list == "" {
		return true
	}
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if strings.EqualFold(t, r.Name) || (strings.EqualFold(t, r.Data) && (r.Mod == nil)) {
			return true
		}
	}
	return false
}

// checkTaskNames reports the names of a --tasks list that select no row
// of the task table.
func checkTaskNames(list string) error {
	if list == "" {
		return nil
	}
	var known []string
	for _, r := range flagshipTasks() {
		known = append(known, fmt.Sprintf("%q", r.Name))
	}
	for _, t := range strings.Split(list, ",") {
		hit := false
		for _, r := range flagshipTasks() {
			hit = hit || selected(t, r)
		}
		if !hit {
			return fmt.Errorf("bench flagship: --tasks %q matches no task; use a dataset (mnist, fashion-mnist, smnist, cue) or a task name: %s", strings.TrimSpace(t), strings.Join(known, ", "))
		}
	}
	return nil
}

// writeSection replaces (or appends) the block between
// <!-- bench:NAME --> and <!-- /bench:NAME --> in a markdown file.
func writeSection(path, name, body string) error {
	open, close := "<!-- bench:"+name+" -->", "<!-- /bench:"+name+" -->"
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(old)
	block := open + "\n" + body + close
	if i, j := strings.Index(s, open), strings.Index(s, close); i >= 0 && j > i {
		s = s[:i] + block + s[j+len(close):]
	} else {
		if s != "" && !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		s += "\n" + block + "\n"
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(s), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if i := strings.IndexByte(l, ':'); i >= 0 {
				return strings.TrimSpace(l[i+1:])
			}
		}
	}
	return runtime.GOARCH
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func std(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	m, s := mean(x), 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)-1))
}

func median(x []float64) float64 { return slices.Sorted(slices.Values(x))[len(x)/2] }

func maxOf(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	return m
}
