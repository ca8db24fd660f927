package train

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/BurntSushi/toml"

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
	// Rule is bp, fa, dfa, drtp, ep or softhebb for mlp; bp, fa, dfa, drtp or
	// softhebb for cnn (docs/rate.md and learn.CNN describe each rule).
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
// cnn: 32 (bp, fa, dfa, drtp; ReLU) or 96 (softhebb, Journé et al. 2023)
// 5×5 kernels.
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
	// Resume is a rate run folder to continue from its last checkpoint;
	// Config is then read from the checkpoint (OutRoot and Name are unused).
	Resume string
	// AfterEpoch, when not nil, is called after each epoch's checkpoint is
	// written (epoch 0: after SoftHebb's unsupervised phase); tests use it to
	// interrupt a run at a known point.
	AfterEpoch func(epoch int)
}

// rateNet is a rate model trained by descending the updates it stores in
// its parameters' gradients (learn.Gradder), with the named tensors that
// hold its whole state.
type rateNet struct {
	g      learn.Gradder
	logits func() []float32 // last training batch's logits
	// vars are the tensors saved in model files and checkpoints and
	// restored on resume: the parameters, then rule state (fixed feedback
	// matrices, SoftHebb weights). The slices are the model's own.
	vars []rateVar
	hebb func(x []float32, n int) // unsupervised step (SoftHebb), nil otherwise
}

// rateVar is one named tensor of a rate model's state.
type rateVar struct {
	name  string
	shape []int
	v     []float32
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
			vars := paramVars(m.Params())
			for k, b := range m.B {
				vars = append(vars, rateVar{"feedback" + strconv.Itoa(k), []int{classes, len(b) / classes}, b})
			}
			for k, d := range m.Dense {
				if d.Feedback != nil {
					vars = append(vars, rateVar{"feedback" + strconv.Itoa(k), []int{d.Out, d.In}, d.Feedback})
				}
			}
			return &rateNet{g: m, logits: func() []float32 { return m.Dense[len(m.Dense)-1].Output() }, vars: vars}, nil
		case "ep":
			if len(c.Hidden) != 1 {
				return nil, fmt.Errorf("rate: ep is implemented with one hidden layer, got %v", c.Hidden)
			}
			e := learn.NewEP(sizes, c.Seed)
			return &rateNet{g: e, vars: paramVars(e.Params())}, nil
		case "softhebb":
			l := learn.NewSoftHebb(c.Hidden[0], in, 3, c.Seed)
			d := learn.DefaultSoftHebb()
			l.Tau, l.LR = d.Tau, d.LR
			l.Positive()
			net := learn.NewSoftHebbNet(l, classes, c.Seed)
			return &rateNet{g: net, logits: func() []float32 { return net.Readout.Output() }, hebb: l.Step,
				vars: append(paramVars(net.Params()), rateVar{"softhebb.W", []int{l.K, l.D}, l.W})}, nil
		}
	case "cnn":
		side := int(math.Round(math.Sqrt(float64(in))))
		if side*side != in {
			return nil, fmt.Errorf("rate: cnn needs square single-channel images, got %d inputs", in)
		}
		switch c.Rule {
		case "bp", "fa", "dfa", "drtp":
			r, _ := learn.ParseRule(c.Rule)
			m := learn.NewCNN(r, side, c.Hidden[0], classes, act, c.Seed)
			vars := paramVars(m.Params())
			if m.Out.Feedback != nil {
				vars = append(vars, rateVar{"feedback", []int{m.Out.Out, m.Out.In}, m.Out.Feedback})
			}
			if m.B != nil {
				vars = append(vars, rateVar{"feedback", []int{classes, len(m.B) / classes}, m.B})
			}
			return &rateNet{g: m, logits: m.Logits, vars: vars}, nil
		case "softhebb":
			d := learn.DefaultSoftHebbConv()
			l := learn.NewSoftHebbConv(1, side, side, c.Hidden[0], d.KernelSize, d.InitNorm, c.Seed)
			l.Mean, l.Std = 0.1307, 0.3081 // MNIST pixel mean and std (learn.TrainSoftHebbConv's values)
			l.TInv, l.LR, l.Power, l.PoolSize, l.PoolStride, l.LearnStride, l.NormLR = d.TInv, d.LR, d.Power, d.PoolSize, d.PoolStride, d.LearnStride, d.NormLR
			r := rate.NewDense(l.FeatureDim(), classes, rng.Named(c.Seed, "readout"))
			r.NoInputGrad = true
			net := &learn.SoftHebbConvNet{Layer: l, Readout: r}
			return &rateNet{g: net, logits: func() []float32 { return r.Output() }, hebb: l.Step,
				vars: append(paramVars(net.Params()), rateVar{"softhebb.W", []int{l.Conv.K, l.Conv.KH * l.Conv.KW}, l.Conv.Wt.W})}, nil
		}
	default:
		return nil, fmt.Errorf("rate: unknown model %q (want mlp or cnn)", c.Model)
	}
	return nil, fmt.Errorf("rate: rule %q is not available for model %s (mlp: bp, fa, dfa, drtp, ep, softhebb; cnn: bp, fa, dfa, drtp, softhebb)", c.Rule, c.Model)
}

func paramVars(ps []*rate.Param) []rateVar {
	vs := make([]rateVar, len(ps))
	for i, p := range ps {
		vs[i] = rateVar{"param" + strconv.Itoa(i) + "." + p.Name, []int{len(p.W)}, p.W}
	}
	return vs
}

// RunRate trains a rate network as opt says, writing the same run folder as
// Run (config.toml, run.json, metrics.jsonl/csv, checkpoints/last.safetensors,
// model.safetensors) with a progress bar per epoch. On cancellation of ctx it
// stops between minibatches, keeps the last epoch's checkpoint and returns
// an error wrapping context.Canceled that names the folder to resume.
//
// Resuming (opt.Resume, `engram train --resume DIR`): the checkpoint, written
// atomically and checksummed after every epoch (and after the Hebbian phase
// of softhebb, as epoch 0), holds the configuration, the epoch, every model
// tensor (parameters, the fixed random feedback matrices of fa/dfa/drtp,
// SoftHebb's weights) and Adam's state (learning rate after decay, step
// count, both moments). The feedback matrices are also re-derived from the
// seed by the model's constructor; the saved copies overwrite them. The
// minibatch order of epoch e is a permutation drawn from
// rng.Named(seed, "shuffle/e"), so a resumed run replays the interrupted
// epoch from its start and ends with weights and metrics bit-identical to an
// uninterrupted run (TestRunRateResume). A run interrupted during the
// Hebbian phase has no checkpoint and must be restarted.
func RunRate(ctx context.Context, opt RateOptions) (*Result, error) {
	start := time.Now()
	rc := opt.Config
	var ck *modelfile.File
	first := 1 // first epoch to train
	if opt.Resume != "" {
		var err error
		if ck, rc, first, err = readRateCheckpoint(filepath.Join(opt.Resume, "checkpoints", checkpointName)); err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
		first++
	}
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
	optim := &rate.Adam{LR: float32(rc.LR)}
	var run *runlog.Run
	if ck != nil {
		if err := restoreRate(ck, net, optim); err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
		if run, err = runlog.Open(opt.Resume); err != nil {
			return nil, err
		}
	} else {
		if run, err = newRun(opt.OutRoot, opt.Name, sanitize(rc.Model+"-"+rc.Rule+"-"+rc.Data)); err != nil {
			return nil, err
		}
		if err := run.SaveConfig(rc); err != nil {
			run.Close()
			return nil, err
		}
	}
	defer run.Close()
	if err := run.SaveInfo(rc.Seed, map[string]any{"data": rc.Data, "model": rc.Model, "rule": rc.Rule,
		"train_samples": trainSet.N, "test_samples": testSet.N, "resumed_from_epoch": first - 1}); err != nil {
		return nil, err
	}
	metrics, err := run.Metrics()
	if err != nil {
		return nil, err
	}
	res := &Result{RunDir: run.Dir(), ValAccuracy: math.NaN()}
	ckPath := filepath.Join(run.CheckpointDir(), checkpointName)
	saved := ck != nil // a checkpoint exists to resume from
	xb := make([]float32, rc.Batch*d)
	yb := make([]uint8, rc.Batch)
	gather := func(perm []int, i int) {
		for j := 0; j < rc.Batch; j++ {
			s := perm[i+j]
			copy(xb[j*d:(j+1)*d], trainSet.X[s*d:(s+1)*d])
			yb[j] = trainSet.Y[s]
		}
	}
	if net.hebb != nil && ck == nil {
		sh := rng.Named(rc.Seed, "hebb-shuffle")
		for e := 1; e <= rc.HebbEpochs; e++ {
			bar := newBar(opt.Progress, trainSet.N, fmt.Sprintf("hebbian %d/%d", e, rc.HebbEpochs))
			perm := sh.Perm(trainSet.N)
			for i := 0; i+rc.Batch <= trainSet.N; i += rc.Batch {
				if err := ctx.Err(); err != nil {
					bar.finish()
					return res, fmt.Errorf("interrupted in Hebbian epoch %d, before the first checkpoint (%s cannot be resumed): %w", e, run.Dir(), err)
				}
				gather(perm, i)
				net.hebb(xb, rc.Batch)
				bar.update(i+rc.Batch, 0)
			}
			bar.finish()
		}
		if err := saveRate(ckPath, "rate-checkpoint", net, optim, rc, 0); err != nil {
			return res, err
		}
		saved = true
		if opt.AfterEpoch != nil {
			opt.AfterEpoch(0)
		}
	}
	var sps []float64
	for e := first; e <= rc.Epochs; e++ {
		bar := newBar(opt.Progress, trainSet.N, fmt.Sprintf("epoch %d/%d", e, rc.Epochs))
		perm := rng.Named(rc.Seed, "shuffle/"+strconv.Itoa(e)).Perm(trainSet.N)
		t0 := time.Now()
		var lossSum float64
		nb, done, correct := 0, 0, 0
		for i := 0; i+rc.Batch <= trainSet.N; i += rc.Batch {
			if err := ctx.Err(); err != nil {
				bar.finish()
				if !saved {
					return res, fmt.Errorf("interrupted in epoch %d, before the first checkpoint (%s cannot be resumed): %w", e, run.Dir(), err)
				}
				return res, fmt.Errorf("interrupted in epoch %d; the checkpoint of epoch %d is kept — resume with: engram train --resume %s: %w", e, e-1, run.Dir(), err)
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
		if err := saveRate(ckPath, "rate-checkpoint", net, optim, rc, e); err != nil {
			return res, err
		}
		saved = true
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "epoch %d: train %.2f%%  loss %.4f  test %.2f%%  %.0f samples/s  (%.1f s)\n",
				e, 100*trainAcc, lossSum/float64(nb), 100*testAcc, float64(done)/secs, secs)
		}
		res.Epochs, res.TrainAccuracy, res.TestAccuracy = e, trainAcc, testAcc
		sps = append(sps, float64(done)/secs)
		if opt.AfterEpoch != nil {
			opt.AfterEpoch(e)
		}
	}
	if res.Epochs == 0 { // resumed a finished run
		res.Epochs, res.TrainAccuracy = rc.Epochs, math.NaN()
		res.TestAccuracy = learn.Evaluate(net.g, testSet)
	}
	res.ModelPath = run.Path(modelName)
	if err := saveRate(res.ModelPath, "rate-model", net, nil, rc, rc.Epochs); err != nil {
		return res, err
	}
	res.SamplesPerSec = median(sps)
	res.WallSeconds = time.Since(start).Seconds()
	res.PeakRSS = runlog.PeakRSS()
	return res, nil
}

// Checkpoint tensors of the optimizer: its learning rate (after the decays
// applied so far), step count, and per parameter i its moments optim.m.i and
// optim.v.i (absent before the first step).
const (
	optimLR   = "optim.lr"
	optimStep = "optim.step"
)

// saveRate writes the model's tensors and, when optim is not nil, Adam's
// state, with the configuration and epoch in the metadata.
func saveRate(path, kind string, net *rateNet, optim *rate.Adam, rc RateConfig, epoch int) error {
	text, err := config.Encode(rc)
	if err != nil {
		return err
	}
	f := &modelfile.File{Meta: map[string]string{modelfile.KeyKind: kind, modelfile.KeyConfig: text, "epoch": strconv.Itoa(epoch)}}
	for _, v := range net.vars {
		f.Add(modelfile.F32(v.name, v.shape, v.v))
	}
	if optim != nil {
		params := net.g.Params()
		st := optim.State(params)
		f.Add(modelfile.F32(optimLR, []int{1}, []float32{st.LR}), modelfile.I64(optimStep, []int{1}, []int64{int64(st.Step)}))
		for _, slot := range []string{"m", "v"} {
			for i, b := range st.Slots[slot] {
				if b != nil {
					f.Add(modelfile.F32("optim."+slot+"."+strconv.Itoa(i), []int{len(b)}, b))
				}
			}
		}
	}
	return modelfile.Write(path, f)
}

// readRateCheckpoint reads (and verifies the checksum of) a rate checkpoint
// and returns it with its configuration and epoch.
func readRateCheckpoint(path string) (*modelfile.File, RateConfig, int, error) {
	var rc RateConfig
	f, err := modelfile.Read(path)
	if err != nil {
		return nil, rc, 0, err
	}
	if f.Kind() != "rate-checkpoint" {
		return nil, rc, 0, fmt.Errorf("%s: kind %q, not a rate-network checkpoint", path, f.Kind())
	}
	if err := config.Decode(path+" (embedded config)", f.Meta[modelfile.KeyConfig], &rc); err != nil {
		return nil, rc, 0, err
	}
	epoch, err := strconv.Atoi(f.Meta["epoch"])
	if err != nil || epoch < 0 {
		return nil, rc, 0, fmt.Errorf("%s: bad epoch %q", path, f.Meta["epoch"])
	}
	return f, rc, epoch, nil
}

// restoreRate copies a checkpoint's tensors into net and optim.
func restoreRate(f *modelfile.File, net *rateNet, optim *rate.Adam) error {
	get := func(name string, n int) ([]float32, error) {
		t, ok := f.Get(name)
		if !ok {
			return nil, fmt.Errorf("checkpoint has no tensor %q", name)
		}
		v, err := t.Float32s()
		if err != nil {
			return nil, err
		}
		if len(v) != n {
			return nil, fmt.Errorf("checkpoint tensor %q has %d values, the model %d", name, len(v), n)
		}
		return v, nil
	}
	for _, rv := range net.vars {
		v, err := get(rv.name, len(rv.v))
		if err != nil {
			return err
		}
		copy(rv.v, v)
	}
	lr, err := get(optimLR, 1)
	if err != nil {
		return err
	}
	t, ok := f.Get(optimStep)
	if !ok {
		return fmt.Errorf("checkpoint has no tensor %q", optimStep)
	}
	step, err := t.Int64s()
	if err != nil || len(step) != 1 {
		return fmt.Errorf("checkpoint tensor %q: want one int64 (%v)", optimStep, err)
	}
	params := net.g.Params()
	st := rate.OptState{LR: lr[0], Step: int(step[0]), Slots: map[string][][]float32{}}
	for _, slot := range []string{"m", "v"} {
		bufs := make([][]float32, len(params))
		for i, p := range params {
			name := "optim." + slot + "." + strconv.Itoa(i)
			if _, ok := f.Get(name); !ok && st.Step == 0 {
				continue
			}
			if bufs[i], err = get(name, len(p.W)); err != nil {
				return err
			}
		}
		st.Slots[slot] = bufs
	}
	return optim.SetState(params, st)
}

// ReadRateRun reports whether dir is the folder of a rate-network run (its
// config.toml has a top-level model string, mlp or cnn, where the flagship's
// is a [model] table) and returns the saved configuration.
func ReadRateRun(dir string) (RateConfig, bool, error) {
	var rc RateConfig
	path := filepath.Join(dir, "config.toml")
	b, err := os.ReadFile(path)
	if err != nil {
		return rc, false, err
	}
	var head map[string]any
	if _, err := toml.Decode(string(b), &head); err != nil {
		return rc, false, fmt.Errorf("%s: %w", path, err)
	}
	if _, ok := head["model"].(string); !ok {
		return rc, false, nil
	}
	if err := config.Decode(path, string(b), &rc); err != nil {
		return rc, true, err
	}
	return rc, true, nil
}
