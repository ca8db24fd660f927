package learn

import (
	"fmt"
	"math"
	"time"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// Rule selects how an MLP's hidden layers receive their learning signal.
type Rule int

// Learning signals for the hidden layers of an MLP. The output layer always
// uses its own local error e = softmax(z) − onehot(y).
const (
	BP   Rule = iota // backpropagation: δ_k = (δ_{k+1} W_{k+1}) ⊙ f'(a_k)
	FA               // feedback alignment (Lillicrap et al. 2016): W_{k+1} replaced by a fixed random B_{k+1}
	DFA              // direct feedback alignment (Nøkland 2016): δ_k = (e B_k) ⊙ f'(a_k)
	DRTP             // direct random target projection (Frenkel et al. 2021): δ_k = (−y* B_k) ⊙ f'(a_k)
)

var ruleNames = [...]string{"bp", "fa", "dfa", "drtp"}

func (r Rule) String() string { return ruleNames[r] }

// ParseRule returns the rule with the given name (bp, fa, dfa, drtp).
func ParseRule(s string) (Rule, error) {
	for i, n := range ruleNames {
		if n == s {
			return Rule(i), nil
		}
	}
	return 0, fmt.Errorf("learn: unknown MLP rule %q", s)
}

// MLP is a dense network Dense→act→…→Dense (logits) trained with
// cross-entropy and one of the rules above.
type MLP struct {
	Rule  Rule
	Net   *rate.Seq
	Dense []*rate.Dense
	Acts  []*rate.Act
	// B[k] is hidden layer k's fixed random feedback: for DFA and DRTP a
	// classes×H_k matrix; for FA Dense[k+1].Feedback is used instead.
	B       [][]float32
	classes int
	dz, tgt []float32
	fb      []float32
}

// NewMLP builds the network with rate.NewMLP from the stream
// rng.Named(seed, "mlp") and draws feedback matrices from
// rng.Named(seed, "feedback"). FA's B has the forward init's distribution
// (uniform ±1/√in); DFA/DRTP's B_k is uniform ±1/√classes, so e·B_k has the
// scale of a backpropagated error through one layer.
func NewMLP(rule Rule, sizes []int, act rate.Kind, seed uint64) *MLP {
	m := &MLP{Rule: rule, Net: rate.NewMLP(sizes, act, rng.Named(seed, "mlp")), classes: sizes[len(sizes)-1]}
	for _, l := range m.Net.Layers {
		switch l := l.(type) {
		case *rate.Dense:
			m.Dense = append(m.Dense, l)
		case *rate.Act:
			m.Acts = append(m.Acts, l)
		}
	}
	g := rng.Named(seed, "feedback")
	for k := range m.Acts {
		h := m.Acts[k].D
		switch rule {
		case FA:
			d := m.Dense[k+1]
			d.Feedback = make([]float32, d.Out*d.In)
			rate.Uniform(d.Feedback, 1/math.Sqrt(float64(d.In)), g)
		case DFA, DRTP:
			b := make([]float32, m.classes*h)
			rate.Uniform(b, 1/math.Sqrt(float64(m.classes)), g)
			m.B = append(m.B, b)
		}
	}
	return m
}

// Grad runs the forward pass on the n×in batch x, stores the rule's weight
// updates (as gradients to descend) in the parameters' G and returns the
// batch-mean cross-entropy.
func (m *MLP) Grad(x []float32, y []uint8, n int) float64 {
	z := m.Net.Forward(x, n)
	k := m.classes
	m.dz = grow(m.dz, n*k)
	loss := rate.CrossEntropy(z, y, n, k, m.dz)
	switch m.Rule {
	case BP, FA:
		m.Net.Backward(m.dz)
		return loss
	}
	last := len(m.Dense) - 1
	m.Dense[last].ParamGrad(m.dz)
	sig := m.dz // DFA: e/n
	if m.Rule == DRTP {
		m.tgt = grow(m.tgt, n*k)
		rate.OneHot(m.tgt, y, k, -1/float32(n), 0)
		sig = m.tgt
	}
	for l := 0; l < last; l++ {
		h := m.Acts[l].D
		m.fb = grow(m.fb, n*h)
		rate.Gemm(false, false, n, h, k, 1, sig, m.B[l], 0, m.fb)
		m.Dense[l].ParamGrad(m.Acts[l].Backward(m.fb[:n*h]))
	}
	return loss
}

func grow(b []float32, n int) []float32 {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]float32, n)
}

// TrainConfig holds the minibatch training loop's settings.
type TrainConfig struct {
	Epochs int
	Batch  int     // minibatch size
	LR     float32 // Adam learning rate (Kingma & Ba 2015 default 1e-3)
	Seed   uint64  // seeds the per-epoch shuffle, stream "shuffle"
	// LRDecay multiplies the learning rate after every epoch (1 = none).
	LRDecay float32
	Log     func(epoch int, loss, testAcc float64)
}

// Result reports a training run.
type Result struct {
	TestAcc, TrainLoss float64
	SamplesPerSec      float64 // training samples per second of wall time (excluding evaluation)
	Wall               time.Duration
}

// Gradder is a model trained by descending the updates it stores in its
// parameters' gradients.
type Gradder interface {
	Grad(x []float32, y []uint8, n int) float64
	Params() []*rate.Param
	Predict(x []float32, n int) []float32 // n×classes scores
}

// Params returns the trainable tensors.
func (m *MLP) Params() []*rate.Param { return m.Net.Params() }

// Predict returns the logits of the n×in batch x.
func (m *MLP) Predict(x []float32, n int) []float32 { return m.Net.Predict(x, n, 1000) }

// Train runs Adam on the updates of g over the training set for cfg.Epochs
// epochs with a fresh shuffle each epoch and returns the test accuracy.
func Train(g Gradder, train, test *dataset.Set, cfg TrainConfig) Result {
	d := train.Steps * train.Dim
	opt := &rate.Adam{LR: cfg.LR}
	sh := rng.Named(cfg.Seed, "shuffle")
	xb := make([]float32, cfg.Batch*d)
	yb := make([]uint8, cfg.Batch)
	var res Result
	var trainTime time.Duration
	start := time.Now()
	for ep := 0; ep < cfg.Epochs; ep++ {
		t0 := time.Now()
		perm := sh.Perm(train.N)
		var sum float64
		nb := 0
		for i := 0; i+cfg.Batch <= train.N; i += cfg.Batch {
			for j := 0; j < cfg.Batch; j++ {
				s := perm[i+j]
				copy(xb[j*d:(j+1)*d], train.X[s*d:(s+1)*d])
				yb[j] = train.Y[s]
			}
			sum += g.Grad(xb, yb, cfg.Batch)
			opt.Step(g.Params())
			nb++
		}
		trainTime += time.Since(t0)
		res.TrainLoss = sum / float64(nb)
		if cfg.LRDecay > 0 {
			opt.LR *= cfg.LRDecay
		}
		if cfg.Log != nil || ep == cfg.Epochs-1 {
			res.TestAcc = Evaluate(g, test)
			if cfg.Log != nil {
				cfg.Log(ep, res.TrainLoss, res.TestAcc)
			}
		}
	}
	res.Wall = time.Since(start)
	res.SamplesPerSec = float64(cfg.Epochs*(train.N/cfg.Batch)*cfg.Batch) / trainTime.Seconds()
	return res
}

// Evaluate returns the accuracy of g's predictions on s.
func Evaluate(g Gradder, s *dataset.Set) float64 {
	d := s.Steps * s.Dim
	c := 0
	for i := 0; i < s.N; i += 1000 {
		n := min(1000, s.N-i)
		out := g.Predict(s.X[i*d:(i+n)*d], n)
		k := len(out) / n
		for j := 0; j < n; j++ {
			if rate.Argmax(out[j*k:(j+1)*k]) == int(s.Y[i+j]) {
				c++
			}
		}
	}
	return float64(c) / float64(s.N)
}
