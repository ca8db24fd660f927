package neuron

import "math"

// Graded is a population of non-spiking (rate) units. It mirrors Model, but
// StepRate writes each unit's graded output (for example a firing rate or
// an activation) into out instead of spikes. Like Model.Step, StepRate
// touches only units in [lo, hi), allocates nothing and draws noise only
// from counter-based streams keyed by (key, index, step).
type Graded interface {
	Len() int
	Init(dt float32, key uint64)
	Reset()
	StepRate(lo, hi int, step uint64, in Input, out []float32)
	State(name string) []float32
}

// Activation selects a rate unit's transfer function f.
type Activation int

const (
	Tanh    Activation = iota // f(x) = tanh(x)
	ReLU                      // f(x) = max(0, x)
	Sigmoid                   // f(x) = 1/(1+e^{−x})
	Linear                    // f(x) = x
)

// Apply returns f(x).
func (f Activation) Apply(x float32) float32 {
	switch f {
	case Tanh:
		return float32(math.Tanh(float64(x)))
	case ReLU:
		return max(x, 0)
	case Sigmoid:
		return float32(1 / (1 + math.Exp(-float64(x))))
	}
	return x
}

// RateParams are the parameters of leaky rate units
//
//	τ dr/dt = −r + f(x),   x = Exc − Inh + Ext + Bias
//
// integrated exactly with x held over the step: r ← f(x) + (r − f(x))e^{−dt/τ}.
// τ = 0 gives the memoryless unit r = f(x). Units of r and x are those of the
// caller (dimensionless or Hz); τ is in ms (default 10 ms, a typical
// rate-network time constant, e.g. Sussillo & Abbott 2009).
type RateParams struct {
	Tau   float32    `toml:"tau"`  // time constant, ms (default 10)
	F     Activation `toml:"f"`    // transfer function (default Tanh)
	Bias  float32    `toml:"bias"` // constant added to the input
	RInit float32    `toml:"r_init"`
}

// DefaultRate returns τ = 10 ms tanh units starting at r = 0.
func DefaultRate() RateParams { return RateParams{Tau: 10, F: Tanh} }

// Rate is a population of leaky rate units.
type Rate struct {
	P RateParams
	R []float32 // rate / activation

	a float32
}

var _ Graded = (*Rate)(nil)

// NewRate returns n rate units with parameters p.
func NewRate(n int, p RateParams) *Rate { return &Rate{P: p, R: make([]float32, n)} }

func (m *Rate) Len() int { return len(m.R) }

func (m *Rate) Init(dt float32, key uint64) {
	m.a = decay(dt, m.P.Tau)
	m.Reset()
}

func (m *Rate) Reset() {
	for i := range m.R {
		m.R[i] = m.P.RInit
	}
}

func (m *Rate) State(name string) []float32 {
	if name == "r" {
		return m.R
	}
	return nil
}

// StepRate advances units lo..hi-1 and writes r into out[lo:hi]. Exc and Inh
// may be nil (no synaptic input).
func (m *Rate) StepRate(lo, hi int, _ uint64, in Input, out []float32) {
	r, o := m.R[lo:hi], out[lo:hi]
	var exc, inh, ext []float32
	if in.Exc != nil {
		exc = in.Exc[lo:hi]
	}
	if in.Inh != nil {
		inh = in.Inh[lo:hi]
	}
	if in.Ext != nil {
		ext = in.Ext[lo:hi]
	}
	f, a, b := m.P.F, m.a, m.P.Bias
	for k := range r {
		x := b
		if exc != nil {
			x += exc[k]
		}
		if inh != nil {
			x -= inh[k]
		}
		if ext != nil {
			x += ext[k]
		}
		fx := f.Apply(x)
		rk := fx + (r[k]-fx)*a
		r[k] = rk
		o[k] = rk
	}
}
