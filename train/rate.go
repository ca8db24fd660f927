package train

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"time"

	"github.com/engram-lab/engram/config"
	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/modelfile"
	"github.com/engram-lab/engram/rate"
	"github.com/engram-lab/engram/rate/learn"
	"github.com/engram-lab/engram/runlog"
)

// RateConfig is the configuration of a rate-network run (`engram train
// --model mlp|cnn --rule …`), saved as the run folder's config.toml.
type RateConfig struct {
	// Data names the dataset (see dataset.Load); cnn needs square
	// single-channel images (MNIST, Fashion-MNIST).
	Data       string `toml:"data"`
	TrainLimit int    `toml:"train_limit"` // > 0: first TrainLimit training samples only
	TestLimit  int    `toml:"test_limit"`  // > 0: first TestLimit test samples only
	// Model is mlp (dense layers) or cnn (convolutional front end).
	Model string `toml:"model"`
	// Rule is bp, fa, dfa, drtp, ep or softhebb for mlp; bp or softhebb for
	// cnn (docs/rate.md describes each rule).
	Rule string `toml:"rule"`
	// Hidden are the hidden-layer widths of mlp (softhebb: the SoftHebb
	// layer's width; ep: exactly one layer); for cnn, Hidden[0] is the number
	// of 5×5 kernels.
	Hidden []int `toml:"hidden"`
	// Act is the hidden activation of the bp/fa/dfa/drtp MLP (tanh, relu,
	// sigmoid, …).
	Act    string `toml:"act"`
	Epochs int    `toml:"epochs"`
	Batch  int    `toml:"batch"`
	// LR is Adam's learning rate in the first epoch (Kingma & Ba 2015 default
	// 1e-3; EP uses 3e-4); LRDecay multiplies it after every epoch.
	LR      float64 `toml:"lr"`
	LRDecay float64 `toml:"lr_decay"`
	// HebbEpochs are the unsupervised epochs of a SoftHebb layer, run before
	// the readout's Epochs.
	HebbEpochs int    `toml:"hebb_epochs"`
	Seed       uint64 `toml:"seed"`
}

// DefaultRateConfig returns the settings of bench/raterules for a model and
// rule: 784-1000-10 tanh MLP, Adam 1e-3 ×0.85/epoch, batch 100 (EP: hard
// sigmoid, Adam 3e-4, batch 50; SoftHebb: 1000 units, one Hebbian epoch);
// cnn: 32 (bp) or 96 (softhebb, Journé et al. 2023) 5×5 kernels.
func DefaultRateConfig(model, rule string) RateConfig {
	c := RateConfig{Data: "mnist", Model: model, Rule: rule, Hidden: []int{1000}, Act: "tanh", Epochs: 10,
		Batch: 100, LR: 1e-3, LRDecay: 0.85, HebbEpochs: 1, Seed: 1}
	switch {
	case model == "cnn" && rule == "softhebb":
		c.Hidden, c.Epochs, c.LRDecay = []int{96}, 5, 0.7
	case model == "cnn":
		c.Hidden, c.Act = []int{32}, "relu"
	case rule == "ep":
		c.Act, c.Batch, c.LR = "hard-sigmoid", 50, 3e-4
	}
	return c
}

// RateOptions are the command-line level settings of a rate run.
type RateOptions struct {
	Config   RateConfig
	OutRoot  string    // folder that receives run folders (default "runs")
	Name     string    // run name prefix (default "<model>-<rule>-<data>")
	Progress io.Writer // progress bar destination; nil = none
	Log      io.Writer // one line per epoch; nil = none
	// Train and Test, when both are set, are used instead of loading
	// Config.Data (the limits still apply).
	Train, Test *dataset.Set
}

// rateNet is a rate model trained by descending the updates it stores in
// its parameters' gradients (learn.Gradder) with named tensors to save.
type rateNet struct {
	g       learn.Gradder
	logits  func() []float32 // last training batch's logits
	tensors func() []modelfile.Tensor
	hebb    func(x []float32, n int) // unsupervised step (SoftHebb), nil otherwise
}

func buildRate(c RateConfig, in, classes int) (*rateNet, error) {
	if len(c.Hidden) == 0 {
		return nil, fmt.Errorf("rate: hidden must name at least one layer width")
	}
	act, err := rate.ParseKind(c.Act)
	if err != nil {
		return nil, err
	}
	switch c.Model {
	case "mlp":
		sizes := append(append([]int{in}, c.Hidden...), classes)
		switch c.Rule {
		case "bp", "fa", "dfa", "drtp":
			r, _ := learn.ParseRule(c.Rule)
			m := learn.NewMLP(r, sizes, act, c.Seed)
			return &rateNet{g: m, logits: func() []float32 { return m.Dense[len(m.Dense)-1].Output() },
				tensors: func() []modelfile.Tensor {
					ts := paramTensors(m.Params())
					for k, b := range m.B {
						ts = append(ts, modelfile.F32("feedback"+strconv.Itoa(k), []int{classes, len(b) / classes}, b))
					}
					for k, d := range m.Dense {
						if d.Feedback != nil {
							ts = append(ts, modelfile.F32("feedback"+strconv.Itoa(k), []int{d.Out, d.In}, d.Feedback))
						}
					}
					return ts
				}}, nil
		case "ep":
			if len(c.Hidden) != 1 {
				return nil, fmt.Errorf("rate: ep is implemented with one hidden layer, got %v", c.Hidden)
			}
			e := learn.NewEP(sizes, c.Seed)
			return &rateNet{g: e, tensors: func() []modelfile.Tensor { return paramTensors(e.Params()) }}, nil
		case "softhebb":
			l := learn.NewSoftHebb(c.Hidden[0], in, 3, c.Seed)
			d := learn.DefaultSoftHebb()
			l.Tau, l.LR = d.Tau, d.LR
			l.Positive()
			net := learn.NewSoftHebbNet(l, classes, c.Seed)
			return &rateNet{g: net, logits: func() []float32 { return net.Readout.Output() }, hebb: l.Step,
				tensors: func() []modelfile.Tensor {
					return append(paramTensors(net.Params()), modelfile.F32("softhebb.W", []int{l.K, l.D}, l.W))
				}}, nil
		}
	case "cnn":
		side := int(math.Round(math.Sqrt(float64(in))))
		if side*side != in {
			return nil, fmt.Errorf("rate: cnn needs square single-channel images, got %d inputs", in)
		}
		switch c.Rule {
		case "bp":
			s := newConvNet(side, c.Hidden[0], classes, act, c.Seed)
			return &rateNet{g: s, logits: func() []float32 { return s.z },
				tensors: func() []modelfile.Tensor { return paramTensors(s.Params()) }}, nil
		case "softhebb":
			d := learn.DefaultSoftHebbConv()
			l := learn.NewSoftHebbConv(1, side, side, c.Hidden[0], d.KernelSize, d.InitNorm, c.Seed)
			l.Mean, l.Std = 0.1307, 0.3081 // MNIST pixel mean and std (learn.TrainSoftHebbConv's values)
			l.TInv, l.LR, l.Power, l.PoolSize, l.PoolStride, l.LearnStride, l.NormLR = d.TInv, d.LR, d.Power, d.PoolSize, d.PoolStride, d.LearnStride, d.NormLR
			r := rate.NewDense(l.FeatureDim(), classes, rng.Named(c.Seed, "readout"))
			r.NoInputGrad = true
			net := &learn.SoftHebbConvNet{Layer: l, Readout: r}
			return &rateNet{g: net, logits: func() []float32 { return r.Output() }, hebb: l.Step,
				tensors: func() []modelfile.Tensor {
					return append(paramTensors(net.Params()), modelfile.F32("softhebb.W", []int{l.Conv.K, l.Conv.KH * l.Conv.KW}, l.Conv.Wt.W))
				}}, nil
		}
	default:
		return nil, fmt.Errorf("rate: unknown model %q (want mlp or cnn)", c.Model)
	}
	return nil, fmt.Errorf("rate: rule %q is not available for model %s (mlp: bp, fa, dfa, drtp, ep, softhebb; cnn: bp, softhebb)", c.Rule, c.Model)
}

func paramTensors(ps []*rate.Param) []modelfile.Tensor {
	ts := make([]modelfile.Tensor, len(ps))
	for i, p := range ps {
		ts[i] = modelfile.F32("param"+strconv.Itoa(i)+"."+p.Name, []int{len(p.W)}, p.W)
	}
	return ts
}

// convNet is the backprop CNN of --model cnn --rule bp: conv 5×5 (K
// kernels, same padding) → act → 2×2 max pool → dense → logits.
type convNet struct {
	seq *rate.Seq
	z   []float32
	dz  []float32
}

func newConvNet(side, k, classes int, act rate.Kind, seed uint64) *convNet {
	r := rng.Named(seed, "cnn")
	conv := rate.NewConv2D(1, side, side, k, 5, 5, 1, 2, r)
	pool := rate.NewMaxPool(k, side, side, 2, 2)
	return &convNet{seq: &rate.Seq{Layers: []rate.Layer{conv, rate.NewAct(act, conv.OutDim()), pool,
		rate.NewDense(pool.OutDim(), classes, r)}}}
}

func (c *convNet) Grad(x []float32, y []uint8, n int) float64 {
	c.z = c.seq.Forward(x, n)
	k := c.seq.OutDim()
	c.dz = growF(c.dz, n*k)
	loss := rate.CrossEntropy(c.z, y, n, k, c.dz)
	c.seq.Backward(c.dz)
	return loss
}
func (c *convNet) Params() []*rate.Param { return c.seq.Params() }
func (c *convNet) Predict(x []float32, n int) []float32 {
	return c.seq.Predict(x, n, 100)
}

func growF(b []float32, n int) []float32 {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]float32, n)
}

// RunRate trains a rate network as opt says, writing the same run folder as
// Run (config.toml, run.json, metrics.jsonl/csv, checkpoints/last.safetensors
// after every epoch, model.safetensors) with a progress bar per epoch. On
// cancellation of ctx it stops between minibatches and keeps the last
// epoch's checkpoint. Rate runs cannot be resumed (the checkpoint holds the
// weights, not the optimizer state).
func RunRate(ctx context.Context, opt RateOptions) (*Result, error) {
	start := time.Now()
	rc := opt.Config
	if rc.Epochs < 1 || rc.Batch < 1 {
		return nil, fmt.Errorf("rate: epochs (%d) and batch (%d) must be ≥ 1", rc.Epochs, rc.Batch)
	}
	trainSet, testSet := opt.Train, opt.Test
	if trainSet == nil || testSet == nil {
		var err error
		if trainSet, testSet, err = dataset.Load(rc.Data); err != nil {
			return nil, err
		}
	}
	if rc.TrainLimit > 0 && rc.TrainLimit < trainSet.N {
		trainSet = trainSet.Head(rc.TrainLimit)
	}
	if rc.TestLimit > 0 && rc.TestLimit < testSet.N {
		testSet = testSet.Head(rc.TestLimit)
	}
	d := trainSet.Steps * trainSet.Dim
	if rc.Batch > trainSet.N {
		return nil, fmt.Errorf("rate: batch %d larger than the %d training samples", rc.Batch, trainSet.N)
	}
	net, err := buildRate(rc, d, trainSet.Classes)
	if err != nil {
		return nil, err
	}
	root := opt.OutRoot
	if root == "" {
		root = "runs"
	}
	name := opt.Name
	if name == "" {
		name = sanitize(rc.Model + "-" + rc.Rule + "-" + rc.Data)
	}
	run, err := runlog.New(root, name)
	if err != nil {
		return nil, err
	}
	defer run.Close()
	if err := run.SaveConfig(rc); err != nil {
		return nil, err
	}
	if err := run.SaveInfo(rc.Seed, map[string]any{"data": rc.Data, "model": rc.Model, "rule": rc.Rule,
		"train_samples": trainSet.N, "test_samples": testSet.N}); err != nil {
		return nil, err
	}
	metrics, err := run.Metrics()
	if err != nil {
		return nil, err
	}
	res := &Result{RunDir: run.Dir(), ValAccuracy: math.NaN()}
	xb := make([]float32, rc.Batch*d)
	yb := make([]uint8, rc.Batch)
	gather := func(perm []int, i int) {
		for j := 0; j < rc.Batch; j++ {
			s := perm[i+j]
			copy(xb[j*d:(j+1)*d], trainSet.X[s*d:(s+1)*d])
			yb[j] = trainSet.Y[s]
		}
	}
	interrupted := func(e int, err error) error {
		return fmt.Errorf("interrupted in epoch %d; the checkpoint of epoch %d is kept in %s: %w", e, e-1, run.Dir(), err)
	}
	if net.hebb != nil {
		sh := rng.Named(rc.Seed, "hebb-shuffle")
		for e := 1; e <= rc.HebbEpochs; e++ {
			bar := newBar(opt.Progress, trainSet.N, fmt.Sprintf("hebbian %d/%d", e, rc.HebbEpochs))
			perm := sh.Perm(trainSet.N)
			for i := 0; i+rc.Batch <= trainSet.N; i += rc.Batch {
				if err := ctx.Err(); err != nil {
					bar.finish()
					return res, interrupted(1, err)
				}
				gather(perm, i)
				net.hebb(xb, rc.Batch)
				bar.update(i+rc.Batch, 0)
			}
			bar.finish()
		}
	}
	optim := &rate.Adam{LR: float32(rc.LR)}
	sh := rng.Named(rc.Seed, "shuffle")
	var sps []float64
	for e := 1; e <= rc.Epochs; e++ {
		bar := newBar(opt.Progress, trainSet.N, fmt.Sprintf("epoch %d/%d", e, rc.Epochs))
		perm := sh.Perm(trainSet.N)
		t0 := time.Now()
		var lossSum float64
		nb, done, correct := 0, 0, 0
		for i := 0; i+rc.Batch <= trainSet.N; i += rc.Batch {
			if err := ctx.Err(); err != nil {
				bar.finish()
				return res, interrupted(e, err)
			}
			gather(perm, i)
			lossSum += net.g.Grad(xb, yb, rc.Batch)
			if net.logits != nil {
				z := net.logits()
				correct += int(math.Round(rate.Accuracy(z, yb, rc.Batch, len(z)/rc.Batch) * float64(rc.Batch)))
			}
			optim.Step(net.g.Params())
			nb++
			done += rc.Batch
			bar.update(done, correct)
		}
		bar.finish()
		secs := time.Since(t0).Seconds()
		optim.LR *= float32(rc.LRDecay)
		testAcc := learn.Evaluate(net.g, testSet)
		trainAcc := math.NaN()
		if net.logits != nil {
			trainAcc = float64(correct) / float64(done)
		}
		row := runlog.Row{"epoch": e, "train_accuracy": trainAcc, "train_loss": lossSum / float64(nb), "test_accuracy": testAcc,
			"samples_per_s": float64(done) / secs, "epoch_seconds": secs, "peak_rss_bytes": runlog.PeakRSS(),
			"wall_seconds": time.Since(start).Seconds()}
		if err := metrics.Log(row); err != nil {
			return res, err
		}
		if err := saveRate(filepath.Join(run.CheckpointDir(), checkpointName), "rate-checkpoint", net, rc, e); err != nil {
			return res, err
		}
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "epoch %d: train %.2f%%  loss %.4f  test %.2f%%  %.0f samples/s  (%.1f s)\n",
				e, 100*trainAcc, lossSum/float64(nb), 100*testAcc, float64(done)/secs, secs)
		}
		res.Epochs, res.TrainAccuracy, res.TestAccuracy = e, trainAcc, testAcc
		sps = append(sps, float64(done)/secs)
	}
	res.ModelPath = run.Path(modelName)
	if err := saveRate(res.ModelPath, "rate-model", net, rc, rc.Epochs); err != nil {
		return res, err
	}
	res.SamplesPerSec = median(sps)
	res.WallSeconds = time.Since(start).Seconds()
	res.PeakRSS = runlog.PeakRSS()
	return res, nil
}

func saveRate(path, kind string, net *rateNet, rc RateConfig, epoch int) error {
	text, err := config.Encode(rc)
	if err != nil {
		return err
	}
	f := &modelfile.File{Meta: map[string]string{modelfile.KeyKind: kind, modelfile.KeyConfig: text, "epoch": strconv.Itoa(epoch)}}
	f.Add(net.tensors()...)
	return modelfile.Write(path, f)
}
