package continual

import (
	"fmt"

	"github.com/engram-lab/engram/internal/rng"
)

// FastSlowConfig sets the fast/slow-weight learner with two-step
// consolidation (after Wang et al. 2021, P18).
type FastSlowConfig struct {
	// Beta is the consolidation rate β of step 2, θ_s ← θ_s + β(θ_f − θ_s)
	// (default 0.5, our choice).
	Beta float32 `toml:"beta"`
	// Lambda is λ of step 1's pull of the fast weights toward the slow ones,
	// (λ/2) Σ_i Ω_i (θ_f,i − θ_s,i)² (default 100, our choice).
	Lambda float32 `toml:"lambda"`
	// Samples estimate each task's Fisher for the importance Ω (default 200).
	Samples int `toml:"samples"`
}

// DefaultFastSlow returns the defaults documented on FastSlowConfig.
func DefaultFastSlow() FastSlowConfig { return FastSlowConfig{Beta: 0.5, Lambda: 100, Samples: 200} }

// FastSlow keeps a pair of weights: fast weights θ_f learn each new task
// from θ_s, slow weights θ_s hold the consolidated knowledge and answer at
// test time. Per task, as implemented (our reading of P18's "two-step
// consolidation"; P18 itself meta-learns the slow weights):
//
//	θ_f ← θ_s
//	step 1 (fast learning, synaptic consolidation):
//	    θ_f ← θ_f − η [∇L_t(θ_f) + min(λΩ, 1/η) ⊙ (θ_f − θ_s)]   every minibatch
//	step 2 (systems consolidation):
//	    Ω   ← Ω + F_t(θ_f)                                  (diagonal Fisher)
//	    θ_s ← θ_s + β (θ_f − θ_s)
//
// The stiffness λΩ_i is capped at 1/η, as in EWC (without the cap the
// summed Fisher made class-incremental split MNIST diverge to 0 %).
// Memory: θ_s and Ω, 2P floats.
type FastSlow struct {
	base
	C     FastSlowConfig
	Slow  [][]float32
	Omega [][]float32
}

// NewFastSlow returns the learner over the network of b (whose weights are
// the fast weights; the slow weights start equal to them).
func NewFastSlow(b base, c FastSlowConfig) *FastSlow {
	d := DefaultFastSlow()
	c.Beta = orDefault(c.Beta, d.Beta)
	if c.Lambda < 0 {
		c.Lambda = d.Lambda
	}
	c.Samples = orDefault(c.Samples, d.Samples)
	f := &FastSlow{base: b, C: c}
	for _, p := range b.Net.Params() {
		f.Slow = append(f.Slow, append([]float32(nil), p.W...))
		f.Omega = append(f.Omega, make([]float32, len(p.W)))
	}
	return f
}

// Consolidate applies step 2's slow update θ_s ← θ_s + β(θ_f − θ_s).
func Consolidate(slow, fast []float32, beta float32) {
	for i, f := range fast {
		slow[i] += beta * (f - slow[i])
	}
}

// Learn runs both steps on task t and leaves the slow weights in the
// network for prediction.
func (f *FastSlow) Learn(s *Stream, t int, tick func()) {
	mask := s.Mask(t)
	ps := f.Net.Params()
	f.fit(s.Tasks[t].Train, mask, t, func(x []float32, y []uint8, nb int) {
		f.Net.Grad(x, y, nb, mask)
		maxK := 1 / f.Cfg.LR
		for k, p := range ps {
			om, sl := f.Omega[k], f.Slow[k]
			for i := range p.G {
				p.G[i] += min(f.C.Lambda*om[i], maxK) * (p.W[i] - sl[i])
			}
		}
		f.opt.step(ps, nil)
	}, tick)
	fi := Fisher(f.Net, s.Tasks[t].Train, mask, f.C.Samples, rng.Named(f.Cfg.Seed, fmt.Sprintf("fisher-task%d", t)))
	for k, p := range ps {
		for i, v := range fi[k] {
			f.Omega[k][i] += v
		}
		Consolidate(f.Slow[k], p.W, f.C.Beta)
		copy(p.W, f.Slow[k]) // θ_f ← θ_s: the next task starts from the slow weights
	}
}

// ExtraBytes is θ_s and Ω.
func (f *FastSlow) ExtraBytes() int64 { return 2 * 4 * int64(f.Net.NumParams()) }
