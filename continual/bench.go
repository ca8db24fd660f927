package continual

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/plot"
)

// BenchOptions sets `engram bench continual`.
type BenchOptions struct {
	Streams, Methods []string
	Tasks            int // permuted/rotated tasks (split streams have 5)
	TrainLimit       int // per task
	TestLimit        int // per task
	Epochs           int
	Seed             uint64
	// Parts selects the tables: "methods", "fewshot", "labelnoise",
	// "shift", "perturb" (nil = all).
	Parts []string
	// PlotDir, when not empty, receives the accuracy-over-time curves of
	// the concept-shift and perturbation experiments (PNG and SVG).
	PlotDir string
	Log     func(string)
}

// DefaultBench returns the bench defaults: every method on every stream
// with 10000 training and 1000 test samples per task, 1 epoch (smaller than
// the `engram continual` defaults so the whole table fits in an hour on
// one core).
func DefaultBench() BenchOptions {
	return BenchOptions{Streams: []string{PermutedMNIST, RotatedMNIST, SplitMNIST, SplitMNISTClass, SplitFashion},
		Methods: Methods, Tasks: 10, TrainLimit: 10000, TestLimit: 1000, Epochs: 1, Seed: 1}
}

func (o BenchOptions) want(p string) bool { return len(o.Parts) == 0 || slices.Contains(o.Parts, p) }

func (o BenchOptions) log(s string) {
	if o.Log != nil {
		o.Log(s)
	}
}

// Bench runs the selected parts and returns their markdown.
func Bench(ctx context.Context, o BenchOptions) (string, error) {
	var b strings.Builder
	c := DefaultConfig()
	c.Epochs, c.Seed = o.Epochs, o.Seed
	h := DefaultHyper()
	if o.want("methods") {
		fmt.Fprintf(&b, "Method × stream (784-%v-10 ReLU MLP, SGD η = %g, momentum %g, batch %d, %d epoch(s) per task, %d train / %d test samples per task, seed %d). ACC, BWT, FWT in %%; extra memory beyond the network's own weights.\n\n",
			c.Hidden, c.LR, c.Momentum, c.Batch, o.Epochs, o.TrainLimit, o.TestLimit, o.Seed)
		b.WriteString("| stream | method | ACC | BWT | FWT | extra memory (bytes) | wall s |\n|---|---|---|---|---|---|---|\n")
		for _, sn := range o.Streams {
			s, err := Build(sn, Options{Tasks: o.Tasks, TrainLimit: o.TrainLimit, TestLimit: o.TestLimit, Seed: o.Seed}, nil)
			if err != nil {
				return b.String(), err
			}
			for _, m := range o.Methods {
				l, err := New(m, s, c, h)
				if err != nil {
					return b.String(), err
				}
				res, err := RunContext(ctx, s, l, nil, nil)
				if err != nil {
					return b.String(), err
				}
				line := fmt.Sprintf("| %s | %s | %.2f | %+.2f | %+.2f | %d | %.0f |", sn, m, 100*res.ACC, 100*res.BWT, 100*res.FWT, res.ExtraBytes, res.Wall.Seconds())
				o.log(line)
				b.WriteString(line + "\n")
			}
		}
		b.WriteString("\n")
	}
	if o.want("fewshot") {
		if err := benchFewShot(ctx, &b, o, c, h); err != nil {
			return b.String(), err
		}
	}
	if o.want("labelnoise") {
		tr, te, err := dataset.Load(dataset.NameMNIST)
		if err != nil {
			return b.String(), err
		}
		lc := c
		lc.Epochs = 10
		n, nt := min(o.TrainLimit, 3000), min(o.TestLimit*5, te.N)
		rows, err := LabelNoiseExperiment(tr.Head(n), te.Head(nt), []float64{0, 0.2, 0.4}, lc, h, o.Log)
		if err != nil {
			return b.String(), err
		}
		fmt.Fprintf(&b, "P44 neural variability vs label noise: MNIST, first %d training samples with symmetric label noise, %d epochs, clean test on %d samples; noise σ = %g.\n\n",
			n, lc.Epochs, nt, h.Noisy.Sigma)
		b.WriteString("| label noise | SGD test % | SGD + weight noise test % | difference |\n|---|---|---|---|\n")
		for _, r := range rows {
			fmt.Fprintf(&b, "| %.0f %% | %.2f | %.2f | %+.2f |\n", 100*r.Frac, 100*r.Plain, 100*r.Noisy, 100*(r.Noisy-r.Plain))
		}
		b.WriteString("\n")
	}
	if o.want("shift") || o.want("perturb") {
		tr, te, err := dataset.Load(dataset.NameMNIST)
		if err != nil {
			return b.String(), err
		}
		if o.want("shift") {
			res := benchShift(&b, tr, te, o)
			if o.PlotDir != "" {
				if err := shiftCurves(res, o.PlotDir); err != nil {
					return b.String(), err
				}
			}
		}
		if o.want("perturb") {
			if err := benchPerturb(&b, tr, o); err != nil {
				return b.String(), err
			}
		}
	}
	return b.String(), nil
}

func benchFewShot(ctx context.Context, b *strings.Builder, o BenchOptions, c Config, h Hyper) error {
	fc := c
	fc.Epochs, fc.Batch = 20, 10
	fmt.Fprintf(b, "P18 few-shot continual learning: 5 training samples per class per task, %d epochs per task, batch %d, %d test samples per task.\n\n", fc.Epochs, fc.Batch, o.TestLimit)
	b.WriteString("| stream | method | ACC | BWT | forgetting | extra memory (bytes) |\n|---|---|---|---|---|---|\n")
	for _, sn := range []string{PermutedMNIST, SplitMNIST} {
		s, err := Build(sn, Options{Tasks: min(o.Tasks, 5), Shots: 5, TestLimit: o.TestLimit, Seed: o.Seed}, nil)
		if err != nil {
			return err
		}
		for _, m := range []string{MFineTune, MFastSlow} {
			l, err := New(m, s, fc, h)
			if err != nil {
				return err
			}
			res, err := RunContext(ctx, s, l, nil, nil)
			if err != nil {
				return err
			}
			line := fmt.Sprintf("| %s (%d tasks) | %s | %.2f | %+.2f | %.2f | %d |", sn, len(s.Tasks), m, 100*res.ACC, 100*res.BWT, 100*res.Forgetting, res.ExtraBytes)
			o.log(line)
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("\n")
	return nil
}

// ShiftRates are the per-block shift probabilities of the P16 table.
var ShiftRates = []float64{0, 0.02, 0.05, 0.1, 0.2, 0.4}

// ShiftScheduleName names ShiftSchedule in tables.
const ShiftScheduleName = "0.02→0.2→0.05→0.4"

// ShiftSchedule is the changing-rate stream of P16: the rate steps
// 0.02 → 0.2 → 0.05 → 0.4 every 50 blocks.
func ShiftSchedule(t int) float64 {
	return []float64{0.02, 0.2, 0.05, 0.4}[min(t/50, 3)]
}

// benchShift writes the tuned P16 table: validation streams from the first
// ShiftValidationImages training images choose the fixed rates and the
// need-modulated setting; test streams from the test images plus the
// remaining training images score them (ShiftTuned, DefaultTuned).
func benchShift(b *strings.Builder, tr, te *dataset.Set, o BenchOptions) *TunedResult {
	to := DefaultTuned()
	to.Log = o.Log
	val, tst := ShiftPools(tr, te, ShiftValidationImages)
	res := ShiftTuned(val, tst, to)
	c := res.Need
	sp := fmt.Sprintf("e* = %g", c.SetPoint)
	if c.Signal == NeedSurprise {
		sp = fmt.Sprintf("β = %g", c.Slow)
	}
	fmt.Fprintf(b, "P16 need-modulated learning rate under concept shift, tuned on validation: MNIST streams of %d samples in blocks of %d, one shift = two labels swap; online 784-%d-10 MLP, plain SGD batch %d; prequential accuracy (each block scored before training on it). "+
		"Validation streams (seeds %v) are drawn from the first %d training images, test streams (seeds %v) from the %d test images plus the last %d training images. "+
		"Plain learner: fixed η from %v, chosen per rate on validation (oracle that knows the rate) and once for all rates (single best: η = %g). "+
		"Need-modulated learner: one setting for all rates, chosen on validation among %d candidates (%s): signal %s, η₀ = %g, κ = %g, α = %g, %s. Shifts: mean shift events per test stream. Mean ± sd over the test seeds; advantages paired per seed.\n\n",
		to.Stream.Samples, to.Stream.Block, c.Hidden, c.Batch, to.ValSeeds, ShiftValidationImages, to.TestSeeds, te.N, tr.N-ShiftValidationImages,
		to.FixedLRs, res.SingleLR, len(to.Need), needGridText(to.Need), c.Signal, c.LR, c.Gain, c.Alpha, sp)
	if len(res.Alt) > 0 {
		b.WriteString("For the record (not selected): the best candidate of the other signal on validation,")
		for _, a := range res.Alt {
			p := fmt.Sprintf("e* = %g", a.SetPoint)
			if a.Signal == NeedSurprise {
				p = fmt.Sprintf("β = %g", a.Slow)
			}
			fmt.Fprintf(b, " %s η₀ = %g, κ = %g, α = %g, %s;", a.Signal, a.LR, a.Gain, a.Alpha, p)
		}
		b.WriteString(" its test accuracy and its difference to the oracle are the last columns.\n\n")
	}
	fmt.Fprintf(b, "| shift probability per block | shifts | oracle η | fixed η oracle %% | fixed η = %g %% | need-modulated %% | need − oracle | need − single η | need mean η |", res.SingleLR)
	sep := "|---|---|---|---|---|---|---|---|---|"
	for _, a := range res.Alt {
		fmt.Fprintf(b, " %s need %% | %s − oracle |", a.Signal, a.Signal)
		sep += "---|---|"
	}
	b.WriteString("\n" + sep + "\n")
	pm := func(s Stat) string { return fmt.Sprintf("%.2f ± %.2f", 100*s.Mean, 100*s.SD) }
	pd := func(s Stat) string { return fmt.Sprintf("%+.2f ± %.2f", 100*s.Mean, 100*s.SD) }
	for _, r := range res.Rows {
		fmt.Fprintf(b, "| %s | %.1f | %g | %s | %s | %s | %s | %s | %.3f |", r.Rate, r.Shifts.Mean, r.OracleLR, pm(r.Oracle), pm(r.Single), pm(r.Need), pd(r.AdvOracle), pd(r.AdvSingle), r.NeedLR.Mean)
		for i := range r.Alt {
			fmt.Fprintf(b, " %s | %s |", pm(r.Alt[i]), pd(r.AltAdv[i]))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	return res
}

// needGridText summarises need candidates per signal as the sets of
// values they take, e.g. "setpoint η₀ ∈ {0.15 0.2} × κ ∈ {2 3}".
func needGridText(g []NeedConfig) string {
	var parts []string
	for _, sig := range []string{NeedSetPoint, NeedSurprise} {
		var lrs, ks, bs []float32
		for _, c := range g {
			if c.Signal != sig {
				continue
			}
			for _, v := range []struct {
				s *[]float32
				x float32
			}{{&lrs, c.LR}, {&ks, c.Gain}, {&bs, c.Slow}} {
				if !slices.Contains(*v.s, v.x) {
					*v.s = append(*v.s, v.x)
				}
			}
		}
		if len(lrs) == 0 {
			continue
		}
		t := fmt.Sprintf("%s η₀ ∈ %v × κ ∈ %v", sig, lrs, ks)
		if sig == NeedSurprise {
			t += fmt.Sprintf(" × β ∈ %v", bs)
		}
		parts = append(parts, strings.NewReplacer("[", "{", "]", "}").Replace(t))
	}
	return strings.Join(parts, "; ")
}

// smooth returns the running mean of a over windows of w blocks, with x in
// samples seen (block index × block size).
func smooth(a []float64, w, block int) plot.Series {
	var s plot.Series
	for i := range a {
		lo := max(0, i-w+1)
		m := 0.0
		for _, v := range a[lo : i+1] {
			m += v
		}
		s.X = append(s.X, float64((i+1)*block))
		s.Y = append(s.Y, 100*m/float64(i+1-lo))
	}
	return s
}

func shiftCurves(res *TunedResult, dir string) error {
	for _, r := range res.Rows {
		if r.Rate != "0.2" && !strings.Contains(r.Rate, "→") {
			continue
		}
		var ss []plot.Series
		for i, name := range []string{fmt.Sprintf("fixed η = %g (oracle)", r.OracleLR), fmt.Sprintf("fixed η = %g (single best)", res.SingleLR), "need-modulated"} {
			s := smooth(r.Curves[i].Acc, 10, 100)
			s.Name = name
			ss = append(ss, s)
		}
		fig, err := plot.LearningCurves(ss, "shift rate "+r.Rate+": prequential accuracy, 10-block mean", "samples seen", "accuracy %")
		if err != nil {
			return err
		}
		name := "shift-rate-" + strings.NewReplacer("→", "-", ".", "p").Replace(r.Rate)
		if err := plot.Save(fig, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

func benchPerturb(b *strings.Builder, tr *dataset.Set, o BenchOptions) error {
	c := DefaultPerturb()
	sh := ConceptShift(tr, ShiftOptions{Samples: 21000, Block: 100, Seed: o.Seed})
	fmt.Fprintf(b, "P25 multi-scale homeostasis on a perturbed online learner: MNIST stream of %d blocks of 100, weight shocks w += %g·rms(W)·ξ before blocks %v; collapse = accuracy < 50 %% within 3 blocks of a shock; recovery = blocks until accuracy ≥ 95 %% of the 5 blocks before the shock.\n\n",
		len(sh.Blocks), c.Sigma, c.Shocks)
	var curves []plot.Series
	b.WriteString("| learner | mean accuracy % | collapses | mean recovery (blocks) | not recovered | recovery per shock |\n|---|---|---|---|---|---|\n")
	for _, g := range []struct {
		name  string
		guard bool
		cfg   PerturbConfig
	}{
		{"plain SGD", false, c},
		{"multi-scale guard (4 scales)", true, c},
		{"ultra-fast clip only", true, PerturbConfig{LR: c.LR, Batch: c.Batch, Hidden: c.Hidden, Sigma: c.Sigma, Shocks: c.Shocks, Clip: c.Clip, Surge: c.Surge}},
		{"slow rollback only", true, PerturbConfig{LR: c.LR, Batch: c.Batch, Hidden: c.Hidden, Sigma: c.Sigma, Shocks: c.Shocks, Rollback: c.Rollback, Surge: c.Surge}},
	} {
		r := RunPerturbed(sh.Blocks, sh.Classes, g.cfg, g.guard, o.Seed)
		o.log(g.name + ": " + r.String())
		fmt.Fprintf(b, "| %s | %.2f | %d/%d | %.1f | %d | %v |\n", g.name, 100*r.Mean, r.Collapses, len(r.Collapsed), r.MeanRecov, r.Unrecov, r.Recovery)
		s := smooth(r.Acc, 1, 100)
		s.Name = g.name
		curves = append(curves, s)
	}
	b.WriteString("\n")
	if o.PlotDir == "" {
		return nil
	}
	fig, err := plot.LearningCurves(curves[:2], "weight shocks: prequential accuracy per block", "samples seen", "accuracy %")
	if err != nil {
		return err
	}
	return plot.Save(fig, filepath.Join(o.PlotDir, "perturbation"))
}
