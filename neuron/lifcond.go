package neuron

import "math"

// COBAParams are the parameters of a conductance-based leaky integrate-and-fire
// neuron with exponentially decaying excitatory and inhibitory conductances
// (benchmark 1 "COBA" of Brette et al. 2007, after Vogels & Abbott 2005).
//
//	C dv/dt = gL(EL − v) + ge(Ee − v) + gi(Ei − v) + Iext
//	τe dge/dt = −ge        τi dgi/dt = −gi
//	v ≥ VTh → spike, v ← VReset, held for TRef
//
// Units: C pF, g nS, v mV, Iext pA, t ms (pA/nS = mV, pF/nS = ms).
//
// Integration: the conductances decay exactly (ge ← ge·e^{−dt/τe}). The voltage
// uses exponential Euler, i.e. the exact solution of the linear ODE with ge, gi
// and Iext held at their start-of-step values over the step:
//
//	gT = gL + ge + gi
//	v∞ = (gL·EL + ge·Ee + gi·Ei + Iext)/gT
//	v  ← v∞ + (v − v∞)·exp(−dt·gT/C)
//
// This is exact when the conductances are constant and first-order accurate
// in dt otherwise; it is unconditionally stable and keeps v between the
// reversal potentials. Synaptic input Exc and Inh are conductance jumps (nS,
// ≥ 0) added at the start of the step; Ext is a current in pA held for the
// step. Defaults are those of Brette et al. (2007), benchmark 1.
type COBAParams struct {
	C      float32 `toml:"c"`       // membrane capacitance, pF (Brette 2007: 200)
	GL     float32 `toml:"g_l"`     // leak conductance, nS (Brette 2007: 10, so τm = C/gL = 20 ms)
	EL     float32 `toml:"e_l"`     // leak reversal / rest, mV (Brette 2007: −60)
	EE     float32 `toml:"e_e"`     // excitatory reversal, mV (Brette 2007: 0)
	EI     float32 `toml:"e_i"`     // inhibitory reversal, mV (Brette 2007: −80)
	TauE   float32 `toml:"tau_e"`   // excitatory conductance time constant, ms (Brette 2007: 5)
	TauI   float32 `toml:"tau_i"`   // inhibitory conductance time constant, ms (Brette 2007: 10)
	VTh    float32 `toml:"v_th"`    // threshold, mV (Brette 2007: −50)
	VReset float32 `toml:"v_reset"` // reset, mV (Brette 2007: −60)
	TRef   float32 `toml:"t_ref"`   // absolute refractory period, ms (Brette 2007: 5)
	VInit  float32 `toml:"v_init"`  // initial membrane potential, mV (default: EL)
}

// DefaultCOBA returns the COBA-benchmark parameters of Brette et al. (2007).
func DefaultCOBA() COBAParams {
	return COBAParams{C: 200, GL: 10, EL: -60, EE: 0, EI: -80, TauE: 5, TauI: 10,
		VTh: -50, VReset: -60, TRef: 5, VInit: -60}
}

// COBA is a population of conductance-based LIF neurons.
type COBA struct {
	P  COBAParams
	V  []float32 // membrane potential, mV
	Ge []float32 // excitatory conductance, nS
	Gi []float32 // inhibitory conductance, nS
	R  []float32 // remaining refractory time, ms

	ae, ai, dtOverC, dt, halfDt float32
}

var _ Model = (*COBA)(nil)

// NewCOBA returns n conductance-based LIF neurons with parameters p.
func NewCOBA(n int, p COBAParams) *COBA {
	return &COBA{P: p, V: make([]float32, n), Ge: make([]float32, n),
		Gi: make([]float32, n), R: make([]float32, n)}
}

func (m *COBA) Len() int { return len(m.V) }

func (m *COBA) Init(dt float32, key uint64) {
	m.dt, m.halfDt = dt, dt/2
	m.ae = decay(dt, m.P.TauE)
	m.ai = decay(dt, m.P.TauI)
	m.dtOverC = dt / m.P.C
	m.Reset()
}

func (m *COBA) Reset() {
	for i := range m.V {
		m.V[i] = m.P.VInit
		m.Ge[i], m.Gi[i], m.R[i] = 0, 0, 0
	}
}

func (m *COBA) State(name string) []float32 {
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

// Step advances neurons lo..hi-1 by one step (see COBAParams for the scheme).
// Conductances keep integrating input during the refractory period. The
// membrane factor e^{−dt·gT/C} is expf32 (float32, relative error < 8e-8).
func (m *COBA) Step(lo, hi int, _ uint64, in Input, spk []uint8) {
	var ext []float32
	if in.Ext != nil {
		ext = in.Ext[lo:hi]
	}
	k := cobaConst(m)
	cobaSIMD(&k, m.V[lo:hi], m.Ge[lo:hi], m.Gi[lo:hi], m.R[lo:hi], in.Exc[lo:hi], in.Inh[lo:hi], ext, spk[lo:hi], false, nil, 0)
}

// StepFused is Step that also zeroes in.Exc and in.Inh over [lo, hi) after
// reading them and appends the indices of the neurons that fired to list, in
// ascending order (the engine's fast path: one pass instead of three). It
// allocates nothing if list has room for hi−lo more indices.
func (m *COBA) StepFused(lo, hi int, _ uint64, in Input, spk []uint8, list []int32) []int32 {
	var ext []float32
	if in.Ext != nil {
		ext = in.Ext[lo:hi]
	}
	k := cobaConst(m)
	return cobaSIMD(&k, m.V[lo:hi], m.Ge[lo:hi], m.Gi[lo:hi], m.R[lo:hi], in.Exc[lo:hi], in.Inh[lo:hi], ext, spk[lo:hi], true, list, lo)
}

// cobaK holds the per-step constants of COBA's update.
type cobaK struct {
	gl, gLEL, ee, ei, negDtOverC, ae, ai, vth, vreset, tref, dt, halfDt float32
}

func cobaConst(m *COBA) cobaK {
	p := &m.P
	return cobaK{gl: p.GL, gLEL: p.GL * p.EL, ee: p.EE, ei: p.EI, negDtOverC: -m.dtOverC,
		ae: m.ae, ai: m.ai, vth: p.VTh, vreset: p.VReset, tref: p.TRef, dt: m.dt, halfDt: m.halfDt}
}

// cobaScalar is the update of COBA.Step for one neuron per iteration. The
// vector kernel (cobaSIMD) performs the same float32 operations in the same
// order, so both give bit-identical results and a neuron's trajectory does
// not depend on whether it falls into a vector block or a tail. ext may be
// nil; the other slices have len(v) elements at least. With fused set it
// then zeroes exc and inh and appends off+k for each neuron k that fired to
// list (see StepFused).
func cobaScalar(c *cobaK, v, ge, gi, ref, exc, inh, ext []float32, s []uint8, fused bool, list []int32, off int) []int32 {
	n := len(v)
	ge, gi, ref, exc, inh, s = ge[:n], gi[:n], ref[:n], exc[:n], inh[:n], s[:n]
	if ext != nil {
		ext = ext[:n]
	}
	gl, gLEL, ee, ei, a := c.gl, c.gLEL, c.ee, c.ei, c.negDtOverC
	ae, ai, vth, vr, tref, dt, half := c.ae, c.ai, c.vth, c.vreset, c.tref, c.dt, c.halfDt
	for k := range v {
		gek := ge[k] + exc[k]
		gik := gi[k] + inh[k]
		gT := (gl + gek) + gik
		num := float32(gLEL+float32(gek*ee)) + float32(gik*ei)
		if ext != nil {
			num += ext[k]
		}
		vinf := num / gT
		// e := expf32(gT·a), inlined by hand (a call would spill the loop's
		// registers); the same operations as expf32, so the same result
		x := float32(gT * a)
		if x < expMin {
			x = expMin
		}
		t := float32(x*expLog2e) + expMagic
		nf := t - expMagic
		r := float32(x - float32(nf*expLn2Hi))
		r = float32(r - float32(nf*expLn2Lo))
		p := float32(expP0*r) + expP1
		p = float32(p*r) + expP2
		p = float32(p*r) + expP3
		p = float32(p*r) + expP4
		p = float32(p*r) + expP5
		p = float32(float32(p*float32(r*r))+r) + 1
		e := p * math.Float32frombits(uint32(int32(math.Float32bits(t))-(int32(math.Float32bits(expMagic))-127))<<23)
		vk := vinf + float32((v[k]-vinf)*e)
		ge[k] = gek * ae
		gi[k] = gik * ai
		rk := ref[k]
		var f uint8
		if rk > half {
			ref[k] = rk - dt
			vk = vr
		} else if vk >= vth {
			f = 1
			vk = vr
			ref[k] = tref
		} else {
			ref[k] = 0
		}
		s[k] = f
		v[k] = vk
	}
	if fused {
		list = fuseAfter(exc, inh, s, list, off)
	}
	return list
}
