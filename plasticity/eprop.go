package plasticity

import "github.com/engram-lab/engram/synapse"

func init() {
	Register("eprop", func() Rule { return NewEProp() })
}

var _ Modulated = (*EProp)(nil)

// EProp is a three-factor rule with factorized eligibility, the local part
// of e-prop for LIF neurons (Bellec et al. 2020; Gerstner et al. 2018):
//
//	ε_i^t   = α ε_i^{t−1} + z_i^{t−1}             presynaptic trace, α = exp(−dt/TauM)
//	ψ_j^t   = (γ/θ) max(0, 1 − |v_j^t − VTh|/θ)    pseudo-derivative, θ = VTh − VRest
//	e_ji^t  = ψ_j^t ε_i^t                          eligibility (factorized: pre × post)
//	ē_ji^t  = κ ē_ji^{t−1} + e_ji^t                filtered eligibility, κ = exp(−dt/TauOut)
//	Δw_ji   = Eta · M^t · ē_ji^t                   per step, M = broadcast learning signal
//
// Only ē is stored per synapse; ε and ψ are per neuron. V, when set, is the
// postsynaptic membrane potential (mV; e.g. the LIF model's State("v")),
// read at AdvancePost, i.e. the value after the previous step, the same step
// as the spikes the traces hold. With V nil, ψ_j is the postsynaptic spike
// of the previous step (a spike-based post factor). The sign convention is
// Bellec's with L = −M: positive M potentiates active eligibilities.
//
// Defaults: TauM = 20 ms, TauOut = 20 ms (κ), γ = 0.3 (Bellec 2020 code);
// VTh = −50 mV, VRest = −60 mV (the LIF defaults of Brette 2007);
// Eta = 0.01 weight units per unit M·ē; w ∈ [0, 1].
type EProp struct {
	TauM   float32   `toml:"tau_m"`   // presynaptic trace time constant, ms (Bellec 2020: τm = 20)
	TauOut float32   `toml:"tau_out"` // eligibility filter κ time constant, ms (Bellec 2020: 20)
	Gamma  float32   `toml:"gamma"`   // pseudo-derivative height (Bellec 2020: 0.3)
	VTh    float32   `toml:"v_th"`    // threshold of the post neurons, mV (Brette 2007 LIF: −50)
	VRest  float32   `toml:"v_rest"`  // rest of the post neurons, mV (Brette 2007 LIF: −60)
	Eta    float32   `toml:"eta"`     // learning rate, weight units per unit M·ē
	W      Bounds    `toml:"w"`       // hard weight bounds ([0, 1])
	V      []float32 `toml:"-"`       // postsynaptic membrane potentials (mV), optional

	m              float32
	eps, psi, ebar []float32
	ka, kk         float32
}

// NewEProp returns EProp with the defaults above.
func NewEProp() *EProp {
	return &EProp{TauM: 20, TauOut: 20, Gamma: 0.3, VTh: -50, VRest: -60, Eta: 0.01, W: Bounds{0, 1}}
}

func (r *EProp) Init(c *synapse.CSR, dt float32) {
	r.eps = make([]float32, c.NPre)
	r.psi = make([]float32, c.NPost)
	r.ebar = make([]float32, c.Len())
	r.ka, r.kk = decay(dt, r.TauM), decay(dt, r.TauOut)
}

// FilteredEligibility returns ē per synapse (indexed like the matrix's W).
func (r *EProp) FilteredEligibility() []float32 { return r.ebar }

// PreTrace returns ε per presynaptic neuron.
func (r *EProp) PreTrace() []float32 { return r.eps }

// PostFactor returns ψ per postsynaptic neuron.
func (r *EProp) PostFactor() []float32 { return r.psi }

func (r *EProp) SetModulator(m float32) { r.m = m }

func (r *EProp) AdvancePre(lo, hi int, spk []uint8) { advance(r.eps, r.ka, lo, hi, spk, false) }

func (r *EProp) AdvancePost(lo, hi int, spk []uint8) {
	if r.V == nil {
		for j := lo; j < hi; j++ {
			r.psi[j] = float32(spk[j])
		}
		return
	}
	th := r.VTh - r.VRest
	for j := lo; j < hi; j++ {
		d := r.V[j] - r.VTh
		if d < 0 {
			d = -d
		}
		r.psi[j] = r.Gamma / th * max(0, 1-d/th)
	}
}

// OnPre and OnPost do nothing: the eligibility is updated every step in
// SynapseStep from the neuron-wise factors.
func (r *EProp) OnPre(*synapse.CSR, int, int, int)          {}
func (r *EProp) OnPost(*synapse.CSR, int, []int32, []int32) {}

func (r *EProp) SynapseStep(c *synapse.CSR, cols *synapse.Columns, lo, hi int) {
	g := r.Eta * r.m
	for j := lo; j < hi; j++ {
		p0, p1 := cols.Ptr[j], cols.Ptr[j+1]
		syn, pre := cols.Syn[p0:p1], cols.Pre[p0:p1]
		psi := r.psi[j]
		for k, s := range syn {
			e := r.kk*r.ebar[s] + psi*r.eps[pre[k]]
			r.ebar[s] = e
			if g != 0 {
				c.W[s] = r.W.Clip(c.W[s] + g*e)
			}
		}
	}
}
