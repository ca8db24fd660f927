package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-lab/engram/bench/raterules"
	"github.com/engram-lab/engram/dataset"
)

func newBenchRate(stdout, stderr io.Writer) *cobra.Command {
	var (
		epochs, fashion int
		mdPath          string
		claimsOnly      bool
		torchReps       int
		threads         int
		python, script  string
		skipMNIST       bool
		only            string
	)
	cmd := &cobra.Command{
		Use:   "rate-rules",
		Short: "Rate-network rules: claims table, and BP/FA/DFA/DRTP/EP/SoftHebb on the same MLP (MNIST, Fashion-MNIST)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var pick []string
			if only != "" {
				if mdPath != "" {
					return fmt.Errorf("--md writes the whole section: run it without --only")
				}
				pick = strings.Split(only, ",")
			}
			var md bytes.Buffer
			out := io.MultiWriter(stdout, &md)
			raterules.Progress = func(l string) { fmt.Fprintln(stderr, time.Now().Format("15:04:05"), l) }
			fmt.Fprintf(out, "Machine: %s, %d cores; %s. Command: `%s`\n\n", cpuModel(), runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"), commandLine())
			if epochs < raterules.DefaultEpochs {
				fmt.Fprintf(out, "**Reduced run:** %d MNIST epochs (the full benchmark uses %d), %d Fashion-MNIST epochs; the MNIST claims below are measured at this length.\n\n", epochs, raterules.DefaultEpochs, fashion)
			}
			fmt.Fprintf(out, "Load average at start: %s\n\n", loadAvg())
			// The section is rewritten after every part, marked as in
			// progress, so an interrupted run still leaves its measurements.
			flush := func() error {
				if mdPath == "" {
					return nil
				}
				return writeSection(mdPath, "rate-rules", md.String()+"_(run in progress)_\n")
			}
			var fast, slow []claimRow
			for _, c := range raterules.Claims(epochs) {
				if pick != nil && !slices.Contains(pick, c.Rule) {
					continue
				}
				r := claimRow{c.Rule, c.Source, c.Claim, c.Test, c.Measure}
				if raterules.OnMNIST(c.Rule) {
					slow = append(slow, r)
				} else {
					fast = append(fast, r)
				}
			}
			if pick != nil && len(fast)+len(slow) == 0 {
				return fmt.Errorf("--only %q: no claim of that name (names: the rule column of the claims table)", only)
			}
			if len(fast) > 0 {
				fmt.Fprintln(out, "Claims on synthetic data:")
				fmt.Fprintln(out)
				if _, err := writeClaims(cmd.Context(), out, fast); err != nil {
					return err
				}
				fmt.Fprintln(out)
			}
			if err := flush(); err != nil {
				return err
			}
			if torchReps > 0 {
				if err := torchCompare(out, stderr, torchReps, threads, python, script); err != nil {
					return err
				}
				if err := flush(); err != nil {
					return err
				}
			}
			if len(slow) > 0 {
				fmt.Fprintf(out, "Claims on MNIST (%d epochs):\n\n", epochs)
				if _, err := writeClaims(cmd.Context(), out, slow); err != nil {
					return err
				}
				fmt.Fprintln(out)
			}
			if err := flush(); err != nil {
				return err
			}
			if !claimsOnly && !skipMNIST {
				fmt.Fprintln(out, "| rule | dataset | net | epochs | test accuracy % | samples/s | wall s |")
				fmt.Fprintln(out, "|---|---|---|---|---|---|---|")
				pr := func(r raterules.Row) {
					fmt.Fprintf(out, "| %s | %s | %s | %d | %.2f | %.0f | %.0f |\n", r.Rule, r.Dataset, r.Arch, r.Epochs, 100*r.TestAcc, r.SamplesPerSec, r.Wall.Seconds())
					flush()
				}
				if _, err := raterules.Compare(raterules.Rules, []string{dataset.NameMNIST}, epochs, pr); err != nil {
					return err
				}
				if fashion > 0 {
					if _, err := raterules.Compare(raterules.Rules, []string{dataset.NameFashionMNIST}, fashion, pr); err != nil {
						return err
					}
				}
				fmt.Fprintln(out)
			}
			fmt.Fprintf(out, "Load average at end: %s\n\n", loadAvg())
			if mdPath != "" {
				return writeSection(mdPath, "rate-rules", md.String())
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&epochs, "epochs", raterules.DefaultEpochs, "MNIST training epochs for the MNIST claims and the comparison")
	f.IntVar(&fashion, "fashion-epochs", 3, "Fashion-MNIST epochs in the comparison (0 = skip)")
	f.BoolVar(&claimsOnly, "claims-only", false, "only the claims table")
	f.StringVar(&mdPath, "md", "", "also write the tables into this markdown file (between bench markers)")
	f.IntVar(&torchReps, "torch-reps", 3, "alternating engram/PyTorch BP MLP epochs each for the speed comparison (0 = skip)")
	f.IntVar(&threads, "threads", 2, "threads on both sides of the speed comparison (GOMAXPROCS, torch.set_num_threads)")
	f.StringVar(&python, "python", "/usr/bin/python3", "Python with torch (Debian python3-torch) for the speed comparison")
	f.StringVar(&script, "torch-script", "bench/peers/torch_mlp.py", "PyTorch side of the speed comparison")
	f.BoolVar(&skipMNIST, "skip-compare", false, "skip the MNIST/Fashion-MNIST comparison table")
	f.StringVar(&only, "only", "", "measure only these claims (comma-separated rule names of the claims table, e.g. softhebb,eqprop (MNIST)); not with --md")
	return cmd
}

// torchCompare trains the BP MLP 784-1000-10 ReLU (Adam 1e-3, batch 100) for
// one MNIST epoch alternately in engram (raterules.Speed, in this process
// with GOMAXPROCS = threads) and in PyTorch (script, torch.set_num_threads =
// threads), reps times each, and writes the medians and their ratio.
func torchCompare(out, log io.Writer, reps, threads int, python, script string) error {
	dir, err := dataset.MNISTDir()
	if err != nil {
		return err
	}
	var g, t, ga, ta []float64
	version := ""
	prev := runtime.GOMAXPROCS(threads)
	defer runtime.GOMAXPROCS(prev)
	for r := 0; r < reps; r++ {
		row, err := raterules.Speed()
		if err != nil {
			return err
		}
		cmd := exec.Command(python, script, dir, strconv.Itoa(threads))
		cmd.Env = append(os.Environ(), "OMP_NUM_THREADS="+strconv.Itoa(threads), "OPENBLAS_NUM_THREADS="+strconv.Itoa(threads))
		b, err := cmd.Output()
		if err != nil {
			// no torch here: say so in the table instead of failing the benchmark
			fmt.Fprintf(out, "PyTorch speed comparison not run: `%s %s` failed (%v); install Debian's python3-torch.\n\n", python, script, err)
			return nil
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		var tr struct {
			EpochS  float64 `json:"epoch_s"`
			TestAcc float64 `json:"test_acc"`
			Torch   string  `json:"torch"`
		}
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &tr); err != nil {
			return fmt.Errorf("torch side output %q: %w", b, err)
		}
		version = tr.Torch
		g, ga = append(g, row.Wall.Seconds()), append(ga, row.TestAcc)
		t, ta = append(t, tr.EpochS), append(ta, tr.TestAcc)
		fmt.Fprintf(log, "%s speed rep %d: engram %.2f s (%.2f %%), torch %.2f s (%.2f %%)\n", time.Now().Format("15:04:05"), r+1, row.Wall.Seconds(), 100*row.TestAcc, tr.EpochS, 100*tr.TestAcc)
	}
	gm, tm := midValue(g), midValue(t)
	fmt.Fprintf(out, "BP MLP 784-1000-10 ReLU, one MNIST epoch (cross-entropy, Adam 1e-3, batch 100), %d threads each side, %d alternating runs each (training loop only):\n\n", threads, reps)
	fmt.Fprintln(out, "| | epoch s (median) | runs s | samples/s | test acc % (runs) |")
	fmt.Fprintln(out, "|---|---|---|---|---|")
	fmt.Fprintf(out, "| engram (gonum Sgemm, float32) | %.2f | %s | %.0f | %s |\n", gm, fmtList(g, 1), 60000/gm, fmtList(ga, 100))
	fmt.Fprintf(out, "| PyTorch %s | %.2f | %s | %.0f | %s |\n\n", version, tm, fmtList(t, 1), 60000/tm, fmtList(ta, 100))
	fmt.Fprintf(out, "Ratio PyTorch/engram epoch time: **%.2f** (> 1: engram faster).\n\n", tm/gm)
	return nil
}

func fmtList(x []float64, scale float64) string {
	p := make([]string, len(x))
	for i, v := range x {
		p[i] = fmt.Sprintf("%.2f", scale*v)
	}
	return strings.Join(p, ", ")
}

// midValue is the median of x (the mean of the two middle values for an
// even count).
func midValue(x []float64) float64 {
	s := slices.Sorted(slices.Values(x))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ") + " (1, 5, 15 min)"
}
