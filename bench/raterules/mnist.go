package raterules

import (
	"fmt"
	"sync"
	"time"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/rate"
	"github.com/engram-lab/engram/rate/learn"
)

// DefaultEpochs is the number of training epochs of the MNIST comparison.
const DefaultEpochs = 10

// Hidden is the hidden-layer width of the compared MLP (784-Hidden-10).
const Hidden = 1000

// Rules are the rules of the MNIST comparison, in table order.
var Rules = []string{"bp", "fa", "dfa", "drtp", "ep", "softhebb"}

// Row is one line of the MNIST/Fashion-MNIST comparison.
type Row struct {
	Rule          string
	Dataset       string
	Arch          string
	Epochs        int
	TestAcc       float64 // fraction correct on the 10000 test images
	SamplesPerSec float64 // training samples per second (wall clock, evaluation excluded)
	Wall          time.Duration
}

func (r Row) String() string {
	return fmt.Sprintf("%s on %s (%s, %d epochs): %.2f %%, %.0f samples/s", r.Rule, r.Dataset, r.Arch, r.Epochs, 100*r.TestAcc, r.SamplesPerSec)
}

// Progress, when not nil, receives one line per training epoch of Run.
var Progress func(line string)

var (
	cacheMu sync.Mutex
	cache   = map[string]Row{}
	sets    = map[string][2]*dataset.Set{}
)

func load(name string) (*dataset.Set, *dataset.Set, error) {
	if s, ok := sets[name]; ok {
		return s[0], s[1], nil
	}
	tr, te, err := dataset.Load(name)
	if err != nil {
		return nil, nil, err
	}
	sets[name] = [2]*dataset.Set{tr, te}
	return tr, te, nil
}

// Run trains one rule on one dataset (cached per rule, dataset and epochs):
//
//	bp, fa, dfa, drtp  784-1000-10 tanh MLP, cross-entropy, Adam LR 1e-3 ×0.85/epoch, batch 100
//	ep                 784-1000-10 EP network, hard sigmoid, symmetric β = ±0.5, 30 free / 10 nudged
//	                   fixed-point steps, Adam LR 3e-4 ×0.85/epoch, batch 50
//	softhebb           784-1000 SoftHebb layer (1 unsupervised epoch) + linear readout trained
//	                   for the given epochs (Adam LR 1e-3, batch 100)
//
// Seed 1 throughout.
func Run(rule, name string, epochs int) (Row, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	key := fmt.Sprintf("%s/%s/%d", rule, name, epochs)
	if r, ok := cache[key]; ok {
		return r, nil
	}
	tr, te, err := load(name)
	if err != nil {
		return Row{}, err
	}
	row := Row{Rule: rule, Dataset: name, Epochs: epochs}
	var res learn.Result
	var logf func(int, float64, float64)
	if Progress != nil {
		logf = func(ep int, loss, acc float64) {
			Progress(fmt.Sprintf("%s %s epoch %d: train loss %.4f, test %.2f %%", rule, name, ep+1, loss, 100*acc))
		}
	}
	switch rule {
	case "bp", "fa", "dfa", "drtp":
		r, _ := learn.ParseRule(rule)
		m := learn.NewMLP(r, []int{784, Hidden, 10}, rate.Tanh, 1)
		row.Arch = fmt.Sprintf("784-%d-10 tanh", Hidden)
		res = learn.Train(m, tr, te, learn.TrainConfig{Epochs: epochs, Batch: 100, LR: 1e-3, LRDecay: 0.85, Seed: 1, Log: logf})
	case "ep":
		e := learn.NewEP([]int{784, Hidden, 10}, 1)
		row.Arch = fmt.Sprintf("784-%d-10 hard-sigmoid EP", Hidden)
		res = learn.Train(e, tr, te, learn.TrainConfig{Epochs: epochs, Batch: 50, LR: 3e-4, LRDecay: 0.85, Seed: 1, Log: logf})
	case "softhebb":
		c := learn.DefaultSoftHebb()
		c.ReadoutEpochs = epochs
		row.Arch = fmt.Sprintf("784-%d SoftHebb + linear readout", c.Hidden)
		_, res = learn.TrainSoftHebb(c, tr, te)
	default:
		return Row{}, fmt.Errorf("raterules: unknown rule %q (want one of %v)", rule, Rules)
	}
	row.TestAcc, row.SamplesPerSec, row.Wall = res.TestAcc, res.SamplesPerSec, res.Wall
	cache[key] = row
	return row, nil
}

// Compare runs every rule in rules on every dataset (mnist, fashion-mnist)
// for epochs epochs and returns the rows in order; progress, when not nil,
// is called after each row.
func Compare(rules, datasets []string, epochs int, progress func(Row)) ([]Row, error) {
	if epochs <= 0 {
		epochs = DefaultEpochs
	}
	var rows []Row
	for _, d := range datasets {
		for _, r := range rules {
			row, err := Run(r, d, epochs)
			if err != nil {
				return rows, err
			}
			rows = append(rows, row)
			if progress != nil {
				progress(row)
			}
		}
	}
	return rows, nil
}

// Speed trains the BP baseline of the PyTorch comparison for one MNIST
// epoch: 784-1000-10 ReLU, cross-entropy, Adam LR 1e-3, batch 100 (the
// same as bench/peers/torch_mlp.py). Wall is the training-loop time only.
func Speed() (Row, error) {
	tr, te, err := dataset.Load(dataset.NameMNIST)
	if err != nil {
		return Row{}, err
	}
	m := learn.NewBP([]int{784, 1000, 10}, rate.ReLU, 1)
	res := learn.Train(m, tr, te, learn.TrainConfig{Epochs: 1, Batch: 100, LR: 1e-3, Seed: 1})
	n := tr.N / 100 * 100
	return Row{Rule: "bp", Dataset: dataset.NameMNIST, Arch: "784-1000-10 relu", Epochs: 1, TestAcc: res.TestAcc,
		SamplesPerSec: res.SamplesPerSec, Wall: time.Duration(float64(n) / res.SamplesPerSec * float64(time.Second))}, nil
}

// MLPRun is one MLP training run of RunMLP.
type MLPRun struct {
	Rule    string
	Sizes   []int     // layer widths, input first
	Act     rate.Kind // hidden activation
	Epochs  int
	Batch   int
	LR      float32 // Adam learning rate of the first epoch
	LRDecay float32 // learning-rate factor per epoch
	Seed    uint64
}

// RunMLP trains the MLP described by c on dataset name and returns its row.
func RunMLP(c MLPRun, name string) (Row, error) {
	tr, te, err := load(name)
	if err != nil {
		return Row{}, err
	}
	r, err := learn.ParseRule(c.Rule)
	if err != nil {
		return Row{}, err
	}
	var logf func(int, float64, float64)
	if Progress != nil {
		logf = func(ep int, loss, acc float64) {
			Progress(fmt.Sprintf("%s %s %v epoch %d: train loss %.4f, test %.2f %%", c.Rule, name, c.Sizes, ep+1, loss, 100*acc))
		}
	}
	m := learn.NewMLP(r, c.Sizes, c.Act, c.Seed)
	res := learn.Train(m, tr, te, learn.TrainConfig{Epochs: c.Epochs, Batch: c.Batch, LR: c.LR, LRDecay: c.LRDecay, Seed: c.Seed, Log: logf})
	return Row{Rule: c.Rule, Dataset: name, Arch: archString(c.Sizes, c.Act), Epochs: c.Epochs,
		TestAcc: res.TestAcc, SamplesPerSec: res.SamplesPerSec, Wall: res.Wall}, nil
}

func archString(sizes []int, act rate.Kind) string {
	s := ""
	for i, v := range sizes {
		if i > 0 {
			s += "-"
		}
		s += fmt.Sprint(v)
	}
	return s + " " + act.String()
}

// DFANet is the earlier setting of the DFA claim (docs/rate.md history):
// 784-800-800-10 tanh, cross-entropy, Adam LR 1e-3 ×0.85/epoch, batch 100,
// seed 1, inputs in [0, 1]. The claim now trains DFARecipe (RunDFANet).
var DFANet = MLPRun{Sizes: []int{784, 800, 800, 10}, Act: rate.Tanh, Batch: 100, LR: 1e-3, LRDecay: 0.85, Seed: 1}

// RunDFANet trains rule (bp, fa, dfa, drtp) with DFARecipe for epochs
// epochs (the cosine schedule's horizon) on all 60000 MNIST training images
// and returns the test accuracy (cached per rule and epochs). With two
// hidden layers FA (B_{k+1} in place of W_{k+1}ᵀ, layer by layer) and DFA
// (e sent directly to each layer) differ.
func RunDFANet(rule string, epochs int) (Row, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	key := fmt.Sprintf("dfanet/%s/%d", rule, epochs)
	if r, ok := cache[key]; ok {
		return r, nil
	}
	r := DFARecipe
	r.Rule, r.Epochs, r.Val = rule, epochs, 0
	var logf func(EpochLog)
	if Progress != nil {
		logf = func(e EpochLog) {
			Progress(fmt.Sprintf("%s %v recipe epoch %d: lr %.3g, train loss %.4f, test %.2f %%", rule, r.Sizes, e.Epoch, e.LR, e.TrainLoss, 100*e.Acc))
		}
	}
	res, err := RunRecipe(r, dataset.NameMNIST, logf)
	if err == nil {
		cache[key] = res.Row
	}
	return res.Row, err
}

// RunSoftHebbConv trains learn.DefaultSoftHebbConv on MNIST with epochs
// readout epochs (cached); random skips Hebbian learning (the control with
// random kernels).
func RunSoftHebbConv(epochs int, random bool) (Row, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	key := fmt.Sprintf("softhebbconv/%d/%v", epochs, random)
	if r, ok := cache[key]; ok {
		return r, nil
	}
	tr, te, err := load(dataset.NameMNIST)
	if err != nil {
		return Row{}, err
	}
	c := learn.DefaultSoftHebbConv()
	c.ReadoutEpochs, c.Random = epochs, random
	name := "softhebb-conv"
	if random {
		name = "random-conv"
	}
	var logf func(int, float64, float64)
	if Progress != nil {
		logf = func(ep int, loss, acc float64) {
			Progress(fmt.Sprintf("%s readout epoch %d: train loss %.4f, test %.2f %%", name, ep+1, loss, 100*acc))
		}
	}
	_, res := learn.TrainSoftHebbConv(c, tr, te, logf)
	row := Row{Rule: name, Dataset: dataset.NameMNIST, Epochs: epochs, TestAcc: res.TestAcc, SamplesPerSec: res.SamplesPerSec, Wall: res.Wall,
		Arch: fmt.Sprintf("conv %d×%d×%d SoftHebb, triangle^%.1f, max-pool %d/%d, linear readout", c.Kernels, c.KernelSize, c.KernelSize, c.Power, c.PoolSize, c.PoolStride)}
	cache[key] = row
	return row, nil
}
