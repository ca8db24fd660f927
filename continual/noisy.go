package continual

import (
	"math/rand/v2"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

// NoisyConfig sets artificial neural variability (Xie et al. 2021, P44).
type NoisyConfig struct {
	// Sigma is the standard deviation σ of the Gaussian weight noise
	// (default 0.01, our choice: about a third of the initial weight scale
	// 1/√784 ≈ 0.036 of the first layer; Xie et al. use σ ~ 0.01).
	Sigma float32 `toml:"sigma"`
}

// DefaultNoisy returns the defaults documented on NoisyConfig.
func DefaultNoisy() NoisyConfig { return NoisyConfig{Sigma: 0.01} }

// Noisy is neural variable SGD (NVRM-SGD, Xie et al. 2021): every
// minibatch the gradient is taken at a freshly perturbed copy of the
// weights and applied to the unperturbed ones,
//
//	ε ~ N(0, σ² I),   g = ∇L(θ + ε),   θ ← θ − η g (with the shared momentum),
//
// which minimises the expected loss E_ε L(θ + ε) (the neural variable
// risk). Prediction uses θ without noise. The noise stream is
// rng.Named(seed, "weight-noise"). No extra memory beyond one scratch copy
// of the noise (counted).
type Noisy struct {
	base
	C   NoisyConfig
	r   *rand.Rand
	eps [][]float32
}

// NewNoisy returns the learner over the network of b.
func NewNoisy(b base, c NoisyConfig) *Noisy {
	if c.Sigma < 0 {
		c.Sigma = DefaultNoisy().Sigma
	}
	n := &Noisy{base: b, C: c, r: rng.Named(b.Cfg.Seed, "weight-noise")}
	for _, p := range b.Net.Params() {
		n.eps = append(n.eps, make([]float32, len(p.W)))
	}
	return n
}

// NoisyStep computes the gradient at θ+ε with grad, then restores θ (the
// caller then applies its optimizer). eps receives the noise drawn from r.
func NoisyStep(ps []*rate.Param, eps [][]float32, sigma float32, r *rand.Rand, grad func()) {
	for k, p := range ps {
		e := eps[k]
		for i := range e {
			e[i] = sigma * float32(r.NormFloat64())
		}
		rate.Axpy(1, e, p.W)
	}
	grad()
	for k, p := range ps {
		rate.Axpy(-1, eps[k], p.W)
	}
}

// Learn trains on task t.
func (n *Noisy) Learn(s *Stream, t int, tick func()) {
	mask := s.Mask(t)
	ps := n.Net.Params()
	n.fit(s.Tasks[t].Train, mask, t, func(x []float32, y []uint8, nb int) {
		NoisyStep(ps, n.eps, n.C.Sigma, n.r, func() { n.Net.Grad(x, y, nb, mask) })
		n.opt.step(ps, nil)
	}, tick)
}

// ExtraBytes is the noise scratch buffer, P floats.
func (n *Noisy) ExtraBytes() int64 { return 4 * int64(n.Net.NumParams()) }
