package netspec

import (
	"math"

	"github.com/engram-lab/engram/neuron"
)

// CUBAParams are the parameters of the current-based LIF neuron of
// benchmark 2 ("CUBA") of Brette et al. (2007), after Vogels & Abbott (2005),
// written as in Brian2's examples/CUBA.py:
//
//	τm dv/dt = −(v − EL) + ge + gi          (unless refractory)
//	τe dge/dt = −ge        τi dgi/dt = −gi   (ge, gi in mV)
//	v ≥ VTh → spike, v ← VReset, held for TRef
//
// Unlike neuron.LIF (one synaptic time constant) excitatory and inhibitory
// currents decay with their own time constants. Integration is exact (the
// linear system's propagator, Rotter & Diesmann 1999); a spike of weight w on
// the Exc channel adds w to ge, on the Inh channel subtracts w from gi, at the
// start of the step. Refractoriness counts as neuron.LIF: a neuron that fires
// in step s is held at VReset for round(TRef/dt) steps.
//
// This model lives in netspec because the neuron package has no two-time-
// constant current LIF yet; it belongs in neuron/ (as neuron.CUBA) and should
// move there.
type CUBAParams struct {
	TauM   float32 `toml:"tau_m"`   // membrane time constant, ms (Brette 2007: 20)
	TauE   float32 `toml:"tau_e"`   // excitatory current time constant, ms (Brette 2007: 5)
	TauI   float32 `toml:"tau_i"`   // inhibitory current time constant, ms (Brette 2007: 10)
	EL     float32 `toml:"e_l"`     // resting potential, mV (Brette 2007 / Brian2 CUBA.py: −49)
	VTh    float32 `toml:"v_th"`    // threshold, mV (−50)
	VReset float32 `toml:"v_reset"` // reset, mV (−60)
	TRef   float32 `toml:"t_ref"`   // refractory period, ms (5)
	VInit  float32 `toml:"v_init"`  // initial membrane potential, mV (−60)
}

// DefaultCUBA returns the parameters of Brian2's examples/CUBA.py.
func DefaultCUBA() CUBAParams {
	return CUBAParams{TauM: 20, TauE: 5, TauI: 10, EL: -49, VTh: -50, VReset: -60, TRef: 5, VInit: -60}
}

// CUBA is a population of two-current LIF neurons (see CUBAParams).
type CUBA struct {
	P  CUBAParams
	V  []float32 // membrane potential, mV
	Ge []float32 // excitatory current, mV
	Gi []float32 // inhibitory current (≤ 0), mV
	R  []int32   // remaining refractory steps

	am, ae, ai, pe, pi float32
	refSteps           int32
}

var _ neuron.Model = (*CUBA)(nil)

// NewCUBA returns n CUBA neurons with parameters p.
func NewCUBA(n int, p CUBAParams) *CUBA {
	return &CUBA{P: p, V: make([]float32, n), Ge: make([]float32, n), Gi: make([]float32, n), R: make([]int32, n)}
}

func (m *CUBA) Len() int { return len(m.V) }

func (m *CUBA) Init(dt float32, _ uint64) {
	h := float64(dt)
	dec := func(tau float32) float32 {
		if tau <= 0 {
			return 0
		}
		return float32(math.Exp(-h / float64(tau)))
	}
	m.am, m.ae, m.ai = dec(m.P.TauM), dec(m.P.TauE), dec(m.P.TauI)
	m.pe = psc(h, float64(m.P.TauM), float64(m.P.TauE))
	m.pi = psc(h, float64(m.P.TauM), float64(m.P.TauI))
	m.refSteps = int32(math.Round(float64(m.P.TRef) / h))
	m.Reset()
}

// psc is the voltage a unit current decaying with τs adds over one step h
// to a membrane of time constant τm (see neuron.LIF), in float64.
func psc(h, tm, ts float64) float32 {
	if ts <= 0 {
		return 0
	}
	if d := ts - tm; d*d < 1e-12*tm*tm {
		return float32(h / tm * math.Exp(-h/tm))
	}
	return float32(ts / (ts - tm) * (math.Exp(-h/ts) - math.Exp(-h/tm)))
}

func (m *CUBA) Reset() {
	for i := range m.V {
		m.V[i] = m.P.VInit
		m.Ge[i], m.Gi[i], m.R[i] = 0, 0, 0
	}
}

func (m *CUBA) State(name string) []float32 {
	switch name {
	case "v":
		return m.V
	case "ge":
		return m.Ge
	case "gi":
		return m.Gi
	}
	return nil
}

// Step integrates neurons lo..hi-1 exactly over one step.
func (m *CUBA) Step(lo, hi int, _ uint64, in neuron.Input, spk []uint8) {
	v, ge, gi, ref := m.V[lo:hi], m.Ge[lo:hi], m.Gi[lo:hi], m.R[lo:hi]
	exc, inh := in.Exc[lo:hi], in.Inh[lo:hi]
	s := spk[lo:hi]
	ge, gi, ref, exc, inh, s = ge[:len(v)], gi[:len(v)], ref[:len(v)], exc[:len(v)], inh[:len(v)], s[:len(v)]
	el, vth, vr := m.P.EL, m.P.VTh, m.P.VReset
	am, ae, ai, pe, pi := m.am, m.ae, m.ai, m.pe, m.pi
	for k := range v {
		e := ge[k] + exc[k]
		i := gi[k] - inh[k]
		vk := el + (v[k]-el)*am + e*pe + i*pi
		ge[k], gi[k] = e*ae, i*ai
		var f uint8
		if r := ref[k]; r > 0 {
			ref[k] = r - 1
			vk = vr
		} else if vk >= vth {
			f = 1
			vk = vr
			ref[k] = m.refSteps
		}
		v[k], s[k] = vk, f
	}
}
