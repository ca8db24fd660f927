package continual

import (
	"context"
	"fmt"
	"time"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
)

// Learner is a continual-learning method: it is shown the tasks of a stream
// one at a time and must answer on all of them.
type Learner interface {
	// Name is the method's name (as accepted by New).
	Name() string
	// Learn trains on task t of s; tick is called once per minibatch
	// (it may be nil).
	Learn(s *Stream, t int, tick func())
	// Predict returns the n×classes scores of the n×dim batch x.
	Predict(x []float32, n int) []float32
	// ExtraBytes is the memory the method keeps beyond the network's own
	// weights (float32 = 4 bytes; stored samples count 4 bytes per feature
	// plus 1 per label).
	ExtraBytes() int64
}

// Result is one method on one stream.
type Result struct {
	Method     string        `json:"method"`
	Stream     string        `json:"stream"`
	Matrix     *Matrix       `json:"matrix"`
	ACC        float64       `json:"acc"`
	BWT        float64       `json:"bwt"`
	FWT        float64       `json:"fwt"`
	Forgetting float64       `json:"forgetting"`
	ExtraBytes int64         `json:"extra_bytes"`
	Wall       time.Duration `json:"wall_ns"`
}

// Evaluate returns the accuracy of l on task t of s (masked as the
// stream's scenario says).
func Evaluate(l Learner, s *Stream, t int) float64 {
	te := s.Tasks[t].Test
	return EvaluateSet(l, te, s.Classes, s.Mask(t))
}

// EvaluateSet returns the accuracy of l on set te with k outputs, only the
// outputs in mask competing (nil = all).
func EvaluateSet(l Learner, te *dataset.Set, k int, mask []int) float64 {
	if te.N == 0 {
		return 0
	}
	d := te.Steps * te.Dim
	c := 0.0
	for i := 0; i < te.N; i += 500 {
		n := min(500, te.N-i)
		sc := l.Predict(te.X[i*d:(i+n)*d], n)
		c += Score(sc, te.Y[i:i+n], n, k, mask) * float64(n)
	}
	return c / float64(te.N)
}

// Run trains l on every task of s in order and fills the accuracy matrix:
// Base from l before any training, then row i after task i. after, when
// not nil, is called after each task with its row.
func Run(s *Stream, l Learner, tick func(), after func(t int, row []float64)) *Result {
	r, _ := RunContext(context.Background(), s, l, tick, after)
	return r
}

// RunContext is Run that stops between tasks when ctx is done, returning
// ctx's error.
func RunContext(ctx context.Context, s *Stream, l Learner, tick func(), after func(t int, row []float64)) (*Result, error) {
	names := make([]string, len(s.Tasks))
	for i, t := range s.Tasks {
		names[i] = t.Name
	}
	m := NewMatrix(names)
	for j := range s.Tasks {
		m.Base[j] = Evaluate(l, s, j)
	}
	start := time.Now()
	for i := range s.Tasks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l.Learn(s, i, tick)
		for j := range s.Tasks {
			m.R[i][j] = Evaluate(l, s, j)
		}
		if after != nil {
			after(i, m.R[i])
		}
	}
	return &Result{Method: l.Name(), Stream: s.Name, Matrix: m, ACC: m.ACC(), BWT: m.BWT(), FWT: m.FWT(),
		Forgetting: m.Forgetting(), ExtraBytes: l.ExtraBytes(), Wall: time.Since(start)}, nil
}

// TotalSteps is the number of minibatches a run of s makes (for progress
// bars): Steps of each task's training set.
func TotalSteps(s *Stream, c Config) int {
	c = c.withDefaults()
	n := 0
	for _, t := range s.Tasks {
		n += Steps(t.Train.N, c.Batch, c.Epochs)
	}
	return n
}

// Method names accepted by New.
const (
	MFineTune = "finetune"
	MJoint    = "joint"
	MEWC      = "ewc"
	MCLASSP   = "classp"
	MHLOP     = "hlop"
	MFastSlow = "fastslow"
	MNoisy    = "noisy"
)

// Methods lists the methods New builds for task streams.
var Methods = []string{MFineTune, MJoint, MEWC, MCLASSP, MHLOP, MFastSlow, MNoisy}

// Hyper holds every method's own settings; zero fields take the defaults of
// DefaultHyper.
type Hyper struct {
	EWC      EWCConfig      `toml:"ewc"`
	CLASSP   CLASSPConfig   `toml:"classp"`
	HLOP     HLOPConfig     `toml:"hlop"`
	FastSlow FastSlowConfig `toml:"fastslow"`
	Noisy    NoisyConfig    `toml:"noisy"`
}

// DefaultHyper returns each method's documented defaults.
func DefaultHyper() Hyper {
	return Hyper{EWC: DefaultEWC(), CLASSP: DefaultCLASSP(), HLOP: DefaultHLOP(), FastSlow: DefaultFastSlow(), Noisy: DefaultNoisy()}
}

// New builds the named method for stream s.
func New(method string, s *Stream, c Config, h Hyper) (Learner, error) {
	c = c.withDefaults()
	b := newBase(method, s, c)
	switch method {
	case MFineTune:
		return &FineTune{base: b}, nil
	case MJoint:
		return &Joint{base: b}, nil
	case MEWC:
		return NewEWC(b, h.EWC), nil
	case MCLASSP:
		return NewCLASSP(b, h.CLASSP), nil
	case MHLOP:
		return NewHLOP(b, h.HLOP), nil
	case MFastSlow:
		return NewFastSlow(b, h.FastSlow), nil
	case MNoisy:
		return NewNoisy(b, h.Noisy), nil
	}
	return nil, fmt.Errorf("continual: unknown method %q (want one of %v)", method, Methods)
}

// base is the network, config and shuffle stream every method shares.
type base struct {
	name string
	Net  *Net
	Cfg  Config
	opt  momentum
}

func newBase(name string, s *Stream, c Config) base {
	return base{name: name, Net: NewNet(s.Dim, c.Hidden, s.Classes, c.Seed), Cfg: c, opt: momentum{mu: c.Momentum, lr: c.LR}}
}

func (b *base) Name() string                         { return b.name }
func (b *base) Predict(x []float32, n int) []float32 { return b.Net.Predict(x, n) }
func (b *base) taskRNGName(t int) string             { return fmt.Sprintf("shuffle-task%d", t) }
func (b *base) fit(data *dataset.Set, mask []int, t int, step func(x []float32, y []uint8, nb int), tick func()) {
	r := rng.Named(b.Cfg.Seed, b.taskRNGName(t))
	b.opt.reset()
	batches(data, b.Cfg.Batch, b.Cfg.Epochs, r, func(x []float32, y []uint8, nb int) {
		step(x, y, nb)
		if tick != nil {
			tick()
		}
	})
}

// FineTune is plain SGD on each task in turn, the lower bound:
// θ ← θ − η ∇L_t(θ).
type FineTune struct{ base }

// Learn trains on task t.
func (f *FineTune) Learn(s *Stream, t int, tick func()) {
	mask := s.Mask(t)
	f.fit(s.Tasks[t].Train, mask, t, func(x []float32, y []uint8, nb int) {
		f.Net.Grad(x, y, nb, mask)
		f.opt.step(f.Net.Params(), nil)
	}, tick)
}

// ExtraBytes is 0.
func (f *FineTune) ExtraBytes() int64 { return 0 }

// Joint is the upper bound: it stores every training set seen so far and,
// on task t, makes Epochs passes over the union of tasks 0..t — as many
// minibatches as fine-tuning would spend on that union, Steps(ΣN, Batch,
// Epochs) — drawing samples uniformly with replacement from it (each sample
// keeps its own task's output mask; under task-incremental masks one task
// per minibatch, chosen with probability N_k/ΣN). The last task learnt thus
// sees as many samples of its own as fine-tuning gives it, and every earlier
// one is rehearsed. (Until 2026-11-27 joint made only fine-tuning's
// Steps(N_t, …) minibatches per task, so the last task got 1/(t+1) of its
// updates and joint fell below fine-tuning on split Fashion-MNIST.) Its
// extra memory is the stored data.
type Joint struct {
	base
	seen []*dataset.Set
	mask [][]int
}

// Learn trains on the union of tasks 0..t.
func (j *Joint) Learn(s *Stream, t int, tick func()) {
	j.seen = append(j.seen, s.Tasks[t].Train)
	j.mask = append(j.mask, s.Mask(t))
	cur := s.Tasks[t].Train
	d := cur.Steps * cur.Dim
	r := rng.Named(j.Cfg.Seed, j.taskRNGName(t))
	total := 0
	for _, x := range j.seen {
		total += x.N
	}
	bs := min(j.Cfg.Batch, cur.N)
	xb := make([]float32, bs*d)
	yb := make([]uint8, bs)
	steps := Steps(total, j.Cfg.Batch, j.Cfg.Epochs)
	masked := s.Scenario == TaskIL
	j.opt.reset()
	for st := 0; st < steps; st++ {
		if masked {
			// one task per minibatch so one mask applies, drawn in
			// proportion to its number of samples
			k, i := 0, r.IntN(total)
			for i >= j.seen[k].N {
				i -= j.seen[k].N
				k++
			}
			set := j.seen[k]
			for b := 0; b < bs; b++ {
				i := r.IntN(set.N)
				copy(xb[b*d:(b+1)*d], set.X[i*d:(i+1)*d])
				yb[b] = set.Y[i]
			}
			j.Net.Grad(xb, yb, bs, j.mask[k])
		} else {
			for b := 0; b < bs; b++ {
				i := r.IntN(total)
				k := 0
				for i >= j.seen[k].N {
					i -= j.seen[k].N
					k++
				}
				set := j.seen[k]
				copy(xb[b*d:(b+1)*d], set.X[i*d:(i+1)*d])
				yb[b] = set.Y[i]
			}
			j.Net.Grad(xb, yb, bs, nil)
		}
		j.opt.step(j.Net.Params(), nil)
		if tick != nil {
			tick()
		}
	}
}

// ExtraBytes counts the stored samples of the earlier tasks.
func (j *Joint) ExtraBytes() int64 {
	var b int64
	for _, s := range j.seen {
		b += int64(s.N) * int64(4*s.Steps*s.Dim+1)
	}
	return b
}
