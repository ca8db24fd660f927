package neuron

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
// Conductances keep integrating input during the refractory period.
func (m *COBA) Step(lo, hi int, _ uint64, in Input, spk []uint8) {
	p := &m.P
	v, ge, gi, ref := m.V[lo:hi], m.Ge[lo:hi], m.Gi[lo:hi], m.R[lo:hi]
	exc, inh := in.Exc[lo:hi], in.Inh[lo:hi]
	var ext []float32
	if in.Ext != nil {
		ext = in.Ext[lo:hi]
	}
	s := spk[lo:hi]
	gLEL := p.GL * p.EL
	for k := range v {
		gek := ge[k] + exc[k]
		gik := gi[k] + inh[k]
		vk := v[k]
		refractory := ref[k] > m.halfDt
		if refractory {
			ref[k] -= m.dt
			vk = p.VReset
		} else {
			ref[k] = 0
			var drive float32
			if ext != nil {
				drive = ext[k]
			}
			gT := p.GL + gek + gik
			vinf := (gLEL + gek*p.EE + gik*p.EI + drive) / gT
			vk = vinf + (vk-vinf)*float32(exp(-float64(m.dtOverC*gT)))
		}
		ge[k] = gek * m.ae
		gi[k] = gik * m.ai
		if !refractory && vk >= p.VTh {
			s[k] = 1
			vk = p.VReset
			ref[k] = p.TRef
		} else {
			s[k] = 0
		}
		v[k] = vk
	}
}
