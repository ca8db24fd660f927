package neuron

import "math"

// CUBAParams are the parameters of the current-based LIF neuron with separate
// excitatory and inhibitory synaptic time constants of benchmark 2 ("CUBA")
// of Brette et al. (2007), after Vogels & Abbott (2005), written as in
// Brian2's examples/CUBA.py:
//
//	τm dv/dt = −(v − EL) + ge + gi          (unless refractory)
//	τe dge/dt = −ge        τi dgi/dt = −gi   (ge, gi in mV)
//	v ≥ VTh → spike, v ← VReset, held for TRef
//
// Integration is exact (the propagator of the linear system, Rotter &
// Diesmann 1999): over one step h,
//
//	v  ← EL + (v − EL)·e^{−h/τm} + ge·Pe + gi·Pi,  Px = τx/(τx−τm)·(e^{−h/τx} − e^{−h/τm})
//	ge ← ge·e^{−h/τe}                              gi ← gi·e^{−h/τi}
//
// so a single spike of weight w on the Exc channel at time 0 gives the PSP
// w·τe/(τe−τm)·(e^{−t/τe} − e^{−t/τm}) (and −w·… with τi on the Inh channel).
// A spike of weight w on Exc adds w to ge, on Inh subtracts w from gi, at
// the start of the step. A neuron that fires in step s is held at VReset for
// round(TRef/dt) steps (counted in integers, so float rounding of TRef/dt
// cannot add or drop a step).
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

var _ Model = (*CUBA)(nil)

// NewCUBA returns n CUBA neurons with parameters p.
func NewCUBA(n int, p CUBAParams) *CUBA {
	return &CUBA{P: p, V: make([]float32, n), Ge: make([]float32, n), Gi: make([]float32, n), R: make([]int32, n)}
}

func (m *CUBA) Len() int { return len(m.V) }

func (m *CUBA) Init(dt float32, _ uint64) {
	m.am, m.ae, m.ai = decay(dt, m.P.TauM), decay(dt, m.P.TauE), decay(dt, m.P.TauI)
	m.pe = pscFactor(dt, m.P.TauM, m.P.TauE)
	m.pi = pscFactor(dt, m.P.TauM, m.P.TauI)
	m.refSteps = int32(math.Round(float64(m.P.TRef) / float64(dt)))
	m.Reset()
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

// Step integrates neurons lo..hi-1 exactly over one step. in.Ext is ignored.
func (m *CUBA) Step(lo, hi int, _ uint64, in Input, spk []uint8) {
	k := m.consts()
	cubaSIMD(&k, m.V[lo:hi], m.Ge[lo:hi], m.Gi[lo:hi], m.R[lo:hi], in.Exc[lo:hi], in.Inh[lo:hi], spk[lo:hi], false, nil, 0)
}

// StepFused is Step that also zeroes in.Exc and in.Inh over [lo, hi) after
// reading them and appends the indices of the neurons that fired to list, in
// ascending order (the engine's fast path: one pass instead of three). It
// allocates nothing if list has room for hi−lo more indices.
func (m *CUBA) StepFused(lo, hi int, _ uint64, in Input, spk []uint8, list []int32) []int32 {
	k := m.consts()
	return cubaSIMD(&k, m.V[lo:hi], m.Ge[lo:hi], m.Gi[lo:hi], m.R[lo:hi], in.Exc[lo:hi], in.Inh[lo:hi], spk[lo:hi], true, list, lo)
}

func (m *CUBA) consts() cubaK {
	return cubaK{el: m.P.EL, vth: m.P.VTh, vr: m.P.VReset, am: m.am, ae: m.ae, ai: m.ai,
		pe: m.pe, pi: m.pi, refSteps: m.refSteps}
}

// cubaK holds the per-step constants of CUBA's update.
type cubaK struct {
	el, vth, vr, am, ae, ai, pe, pi float32
	refSteps                        int32
}

// cubaScalar is CUBA's update, one neuron per iteration. The vector kernel
// (cubaSIMD: AVX2 assembly by default on amd64, archsimd with
// GOEXPERIMENT=simd) performs the same float32 operations in
// the same order (the conversions stop multiply–add fusion), so results are
// bit-identical whichever kernel, and whatever partition, updates a neuron.
// With fused set it then zeroes exc and inh and appends off+k for each
// neuron k that fired to list (see StepFused).
func cubaScalar(c *cubaK, v, ge, gi []float32, ref []int32, exc, inh []float32, s []uint8, fused bool, list []int32, off int) []int32 {
	n := len(v)
	ge, gi, ref, exc, inh, s = ge[:n], gi[:n], ref[:n], exc[:n], inh[:n], s[:n]
	el, vth, vr, am, ae, ai, pe, pi, rs := c.el, c.vth, c.vr, c.am, c.ae, c.ai, c.pe, c.pi, c.refSteps
	for k := range v {
		e := ge[k] + exc[k]
		i := gi[k] - inh[k]
		vk := float32(float32(el+float32((v[k]-el)*am))+float32(e*pe)) + float32(i*pi)
		ge[k], gi[k] = e*ae, i*ai
		var f uint8
		if r := ref[k]; r > 0 {
			ref[k] = r - 1
			vk = vr
		} else if vk >= vth {
			f = 1
			vk = vr
			ref[k] = rs
		}
		v[k], s[k] = vk, f
	}
	if fused {
		list = fuseAfter(exc, inh, s, list, off)
	}
	return list
}
