package raterules

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
	"github.com/engram-lab/engram/rate/learn"
)

// Recipe is a full training recipe for an MLP trained by bp, fa, dfa or
// drtp: optimizer, learning-rate schedule, regularisation, input
// normalisation and the validation split used to choose it.
type Recipe struct {
	Rule   string
	Sizes  []int     // layer widths, input first
	Act    rate.Kind // hidden activation
	Epochs int
	Batch  int
	// Opt is "adam" (Kingma & Ba defaults) or "momentum" (heavy ball, Mu).
	Opt string
	LR  float32 // learning rate at the start of training
	Mu  float32 // momentum coefficient for Opt "momentum" (0.9 usual)
	// Sched is the learning-rate schedule over training progress t ∈ [0, 1)
	// (updated every minibatch): "exp" LR·LRDecay^epoch, "cosine"
	// LR·½(1 + cos πt), "linear" LR·(1 − t).
	Sched   string
	LRDecay float32 // factor per epoch for Sched "exp"
	// WD is L2 weight decay on the weight matrices (not biases), added to
	// the update as WD·W.
	WD float32
	// Drop and InDrop are the dropout probabilities of the hidden layers
	// and of the input (0 = none).
	Drop, InDrop float32
	// Norm is the input normalisation: "" (pixels in [0, 1]), "center"
	// (minus the per-pixel training mean) or "std" (centred, then divided
	// by the global standard deviation of the training pixels).
	Norm string
	// FBScale multiplies the fixed random feedback matrices (DFA/DRTP B_k,
	// FA's B); 0 means 1. Adam is invariant to it, SGD is not.
	FBScale float32
	// Val > 0 holds out the last Val training images: the net is trained on
	// the others and evaluated on them (the test set is not touched);
	// Val = 0 trains on all 60000 and evaluates on the test set.
	Val int
	// Limit > 0 uses only the first Limit training images (before the
	// validation split); for tests.
	Limit int
	Seed  uint64
}

// DFARecipe is the recipe of the DFA claim, chosen on the validation split
// (last 10000 training images; docs/rate.md lists every run):
// 784-800-800-10 tanh, cross-entropy, Adam LR 3e-3 with a cosine decay to 0
// over 30 epochs (per minibatch), batch 100, pixels minus their training
// mean, dropout 0.1 on the input and 0.3 on both hidden layers (the DFA
// signal e·B_k is masked like the activity), seed 1. Val 0: the claim
// trains on all 60000 images and reports the test set.
var DFARecipe = Recipe{Rule: "dfa", Sizes: []int{784, 800, 800, 10}, Act: rate.Tanh, Epochs: 30, Batch: 100,
	Opt: "adam", LR: 3e-3, Mu: 0.9, Sched: "cosine", Norm: "center", Drop: 0.3, InDrop: 0.1, Seed: 1}

// EpochLog is one epoch of a recipe run.
type EpochLog struct {
	Epoch     int // from 1
	TrainLoss float64
	Acc       float64 // validation accuracy (Val > 0) or test accuracy
	LR        float32 // learning rate at the end of the epoch
}

// RecipeResult is a finished recipe run.
type RecipeResult struct {
	Row
	Split string // "val" (accuracy on the held-out training images) or "test"
	Log   []EpochLog
	net   *recipeNet
}

// SaveWeights writes the trained parameters (float32 little endian, in
// Params order) to path, for TestRecipe.
func (res RecipeResult) SaveWeights(path string) error {
	var buf []byte
	for _, p := range res.net.Params() {
		for _, v := range p.W {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	return os.WriteFile(path, buf, 0o644)
}

// TestRecipe loads the weights SaveWeights wrote for a run of r (r.Val > 0:
// trained on the first N − Val images) and returns their accuracy on the
// test set, inputs normalised with the statistics of the same training part.
func TestRecipe(r Recipe, path, name string) (float64, error) {
	tr, te, err := load(name)
	if err != nil {
		return 0, err
	}
	if r.Limit > 0 {
		tr = tr.Head(r.Limit)
	}
	if r.Val > 0 {
		tr = tr.Head(tr.N - r.Val)
	}
	ss, err := normalise(r.Norm, tr, te)
	if err != nil {
		return 0, err
	}
	net, err := newRecipeNet(r)
	if err != nil {
		return 0, err
	}
	buf, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	for _, p := range net.Params() {
		if len(buf) < 4*len(p.W) {
			return 0, fmt.Errorf("raterules: %s holds too few weights", path)
		}
		for i := range p.W {
			p.W[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
		}
		buf = buf[4*len(p.W):]
	}
	if len(buf) != 0 {
		return 0, fmt.Errorf("raterules: %s holds %d extra bytes", path, len(buf))
	}
	return learn.Evaluate(net, ss[1]), nil
}

// lrAt returns the learning rate after fraction t of training, in epoch ep.
func (r Recipe) lrAt(t float64, ep int) float32 {
	switch r.Sched {
	case "cosine":
		return r.LR * float32(0.5*(1+math.Cos(math.Pi*t)))
	case "linear":
		return r.LR * float32(1-t)
	case "exp", "":
		d := r.LRDecay
		if d <= 0 {
			d = 1
		}
		return r.LR * float32(math.Pow(float64(d), float64(ep)))
	}
	panic(fmt.Sprintf("raterules: unknown schedule %q", r.Sched))
}

// recipeNet is the MLP of a recipe with dropout layers inserted.
type recipeNet struct {
	m       *learn.MLP
	seq     *rate.Seq
	drops   []*rate.Dropout // after each hidden activation
	inDrop  *rate.Dropout
	dz, tgt []float32
	fb      []float32
}

func newRecipeNet(r Recipe) (*recipeNet, error) {
	rule, err := learn.ParseRule(r.Rule)
	if err != nil {
		return nil, err
	}
	m := learn.NewMLP(rule, r.Sizes, r.Act, r.Seed)
	if s := r.FBScale; s != 0 && s != 1 {
		for _, b := range m.B {
			for i := range b {
				b[i] *= s
			}
		}
		for _, d := range m.Dense {
			for i := range d.Feedback {
				d.Feedback[i] *= s
			}
		}
	}
	n := &recipeNet{m: m, seq: &rate.Seq{}}
	g := rng.Named(r.Seed, "dropout")
	if r.InDrop > 0 {
		n.inDrop = rate.NewDropout(r.Sizes[0], r.InDrop, g)
		n.seq.Layers = append(n.seq.Layers, n.inDrop)
	}
	for k, d := range m.Dense {
		n.seq.Layers = append(n.seq.Layers, d)
		if k < len(m.Acts) {
			dr := rate.NewDropout(m.Acts[k].D, r.Drop, g)
			n.drops = append(n.drops, dr)
			n.seq.Layers = append(n.seq.Layers, m.Acts[k], dr)
		}
	}
	return n, nil
}

func (n *recipeNet) setTrain(on bool) {
	for _, d := range n.drops {
		d.Train = on
	}
	if n.inDrop != nil {
		n.inDrop.Train = on
	}
}

// Grad is learn.MLP.Grad with dropout: the direct feedback of DFA/DRTP is
// masked by the same dropout mask as the forward activity.
func (n *recipeNet) Grad(x []float32, y []uint8, b int) float64 {
	m := n.m
	z := n.seq.Forward(x, b)
	k := len(z) / b
	n.dz = growF(n.dz, b*k)
	loss := rate.CrossEntropy(z, y, b, k, n.dz)
	if m.Rule == learn.BP || m.Rule == learn.FA {
		n.seq.Backward(n.dz)
		return loss
	}
	last := len(m.Dense) - 1
	m.Dense[last].ParamGrad(n.dz)
	sig := n.dz
	if m.Rule == learn.DRTP {
		n.tgt = growF(n.tgt, b*k)
		rate.OneHot(n.tgt, y, k, -1/float32(b), 0)
		sig = n.tgt
	}
	for l := 0; l < last; l++ {
		h := m.Acts[l].D
		n.fb = growF(n.fb, b*h)
		rate.Gemm(false, false, b, h, k, 1, sig, m.B[l], 0, n.fb)
		d := n.drops[l].Backward(n.fb[:b*h])
		m.Dense[l].ParamGrad(m.Acts[l].Backward(d))
	}
	return loss
}

func growF(s []float32, n int) []float32 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float32, n)
}

func (n *recipeNet) Params() []*rate.Param { return n.seq.Params() }

// Predict returns the logits with dropout off.
func (n *recipeNet) Predict(x []float32, b int) []float32 {
	n.setTrain(false)
	defer n.setTrain(true)
	return n.seq.Predict(x, b, 1000)
}

// normalise returns copies of the sets with the recipe's input
// normalisation, its statistics taken from tr.
func normalise(mode string, sets ...*dataset.Set) ([]*dataset.Set, error) {
	if mode == "" || mode == "none" {
		return sets, nil
	}
	if mode != "center" && mode != "std" {
		return nil, fmt.Errorf("raterules: unknown input normalisation %q", mode)
	}
	tr := sets[0]
	d := tr.Steps * tr.Dim
	mean := make([]float64, d)
	for i := 0; i < tr.N; i++ {
		for j, v := range tr.X[i*d : (i+1)*d] {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(tr.N)
	}
	scale := 1.0
	if mode == "std" {
		var ss float64
		for i := 0; i < tr.N; i++ {
			for j, v := range tr.X[i*d : (i+1)*d] {
				e := float64(v) - mean[j]
				ss += e * e
			}
		}
		scale = 1 / math.Sqrt(ss/float64(tr.N*d))
	}
	out := make([]*dataset.Set, len(sets))
	for k, s := range sets {
		c := *s
		c.X = make([]float32, len(s.X))
		for i := 0; i < s.N; i++ {
			for j := 0; j < d; j++ {
				c.X[i*d+j] = float32((float64(s.X[i*d+j]) - mean[j]) * scale)
			}
		}
		out[k] = &c
	}
	return out, nil
}

// RunRecipe trains r on MNIST (or the named dataset) and returns per-epoch
// accuracy on the validation split (r.Val > 0) or the test set; log, when
// not nil, is called after every epoch.
func RunRecipe(r Recipe, name string, log func(EpochLog)) (RecipeResult, error) {
	tr, te, err := load(name)
	if err != nil {
		return RecipeResult{}, err
	}
	if r.Limit > 0 {
		tr = tr.Head(r.Limit)
	}
	res := RecipeResult{Split: "test"}
	eval := te
	if r.Val > 0 {
		if r.Val >= tr.N {
			return res, fmt.Errorf("raterules: validation split %d ≥ %d training images", r.Val, tr.N)
		}
		idx := make([]int, r.Val)
		for i := range idx {
			idx[i] = tr.N - r.Val + i
		}
		eval = tr.Subset(idx)
		tr = tr.Head(tr.N - r.Val)
		res.Split = "val"
	}
	ss, err := normalise(r.Norm, tr, eval)
	if err != nil {
		return res, err
	}
	tr, eval = ss[0], ss[1]
	net, err := newRecipeNet(r)
	if err != nil {
		return res, err
	}
	var opt rate.Optimizer
	setLR := func(lr float32) {}
	switch r.Opt {
	case "adam", "":
		a := &rate.Adam{LR: r.LR}
		opt, setLR = a, func(lr float32) { a.LR = lr }
	case "momentum":
		o := &rate.Momentum{LR: r.LR, Mu: r.Mu}
		opt, setLR = o, func(lr float32) { o.LR = lr }
	case "sgd":
		o := &rate.SGD{LR: r.LR}
		opt, setLR = o, func(lr float32) { o.LR = lr }
	default:
		return res, fmt.Errorf("raterules: unknown optimizer %q", r.Opt)
	}
	d := tr.Steps * tr.Dim
	sh := rng.Named(r.Seed, "shuffle")
	xb := make([]float32, r.Batch*d)
	yb := make([]uint8, r.Batch)
	nb := tr.N / r.Batch
	total := float64(r.Epochs * nb)
	params := net.Params()
	var trainTime time.Duration
	start := time.Now()
	var lr float32
	for ep := 0; ep < r.Epochs; ep++ {
		t0 := time.Now()
		perm := sh.Perm(tr.N)
		var sum float64
		for b := 0; b < nb; b++ {
			for j := 0; j < r.Batch; j++ {
				s := perm[b*r.Batch+j]
				copy(xb[j*d:(j+1)*d], tr.X[s*d:(s+1)*d])
				yb[j] = tr.Y[s]
			}
			lr = r.lrAt(float64(ep*nb+b)/total, ep)
			setLR(lr)
			sum += net.Grad(xb, yb, r.Batch)
			if r.WD > 0 {
				for _, p := range params {
					if p.Name == "W" {
						rate.Axpy(r.WD, p.W, p.G)
					}
				}
			}
			opt.Step(params)
		}
		trainTime += time.Since(t0)
		e := EpochLog{Epoch: ep + 1, TrainLoss: sum / float64(nb), Acc: learn.Evaluate(net, eval), LR: lr}
		res.Log = append(res.Log, e)
		if log != nil {
			log(e)
		}
	}
	last := res.Log[len(res.Log)-1]
	res.net = net
	res.Row = Row{Rule: r.Rule, Dataset: name, Arch: archString(r.Sizes, r.Act), Epochs: r.Epochs, TestAcc: last.Acc,
		SamplesPerSec: float64(r.Epochs*nb*r.Batch) / trainTime.Seconds(), Wall: time.Since(start)}
	return res, nil
}
