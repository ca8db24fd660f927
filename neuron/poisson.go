package neuron

import "github.com/engram-lab/engram/internal/rng"

// Poisson is a population of independent Poisson spike sources (a Bernoulli
// approximation on the time grid): neuron i fires in step s iff
//
//	rng.Uniform(key, i, s) < Rate[i]·dt/1000
//
// so the spike probability per step is p = rate·dt (rate in Hz, dt in ms),
// exact for a Bernoulli process and within O(p²) of a Poisson process; keep
// rate·dt/1000 ≪ 1 (rates above 1000/dt Hz saturate at one spike per step).
// The draw depends only on (key, i, step), so spikes are identical for any
// worker partition. Synaptic input is ignored. Rate is settable at any time.
type Poisson struct {
	Rate []float32 // firing rate per neuron, Hz

	key   uint64
	scale float32 // dt/1000
}

var _ Model = (*Poisson)(nil)

// NewPoisson returns n sources all firing at rate Hz.
func NewPoisson(n int, rate float32) *Poisson {
	r := make([]float32, n)
	for i := range r {
		r[i] = rate
	}
	return &Poisson{Rate: r}
}

func (m *Poisson) Len() int { return len(m.Rate) }

func (m *Poisson) Init(dt float32, key uint64) {
	m.key = key
	m.scale = dt / 1000
}

// Reset does nothing: a Poisson source has no state besides its rates.
func (m *Poisson) Reset() {}

func (m *Poisson) State(name string) []float32 {
	if name == "rate" {
		return m.Rate
	}
	return nil
}

func (m *Poisson) Step(lo, hi int, step uint64, _ Input, spk []uint8) {
	rate, s := m.Rate[lo:hi], spk[lo:hi]
	for k := range rate {
		if rng.Uniform(m.key, uint64(lo+k), step) < rate[k]*m.scale {
			s[k] = 1
		} else {
			s[k] = 0
		}
	}
}
