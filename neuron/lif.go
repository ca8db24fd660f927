package neuron

// LIFParams are the parameters of a current-based leaky integrate-and-fire
// neuron with exponentially decaying synaptic currents.
//
//	τm dv/dt = −(v − EL) + I + Iext        τs dI/dt = −I
//	v ≥ VTh → spike, v ← VReset, held for TRef
//
// Integration is exact for piecewise-constant Iext (Rotter & Diesmann 1999):
// the synaptic current's contribution over one step has the closed form
// I·τs/(τs−τm)·(e^{−dt/τs} − e^{−dt/τm}). Synaptic input is in mV: a spike of
// weight w makes I jump by w. Defaults follow the CUBA benchmark of
// Brette et al. (2007) (τm = 20 ms, θ = −50 mV, reset −60 mV, 5 ms refractory).
type LIFParams struct {
	TauM   float32 `toml:"tau_m"`   // membrane time constant, ms (Brette 2007: 20)
	TauSyn float32 `toml:"tau_syn"` // synaptic current time constant, ms (Brette 2007: 5 exc); 0 = delta synapses
	EL     float32 `toml:"e_l"`     // resting potential, mV (Brette 2007: −49 for CUBA's effective rest; default −60)
	VTh    float32 `toml:"v_th"`    // threshold, mV (Brette 2007: −50)
	VReset float32 `toml:"v_reset"` // reset, mV (Brette 2007: −60)
	TRef   float32 `toml:"t_ref"`   // absolute refractory period, ms (Brette 2007: 5)
	VInit  float32 `toml:"v_init"`  // initial membrane potential, mV
}

// DefaultLIF returns the CUBA-benchmark parameters of Brette et al. (2007).
func DefaultLIF() LIFParams {
	return LIFParams{TauM: 20, TauSyn: 5, EL: -60, VTh: -50, VReset: -60, TRef: 5, VInit: -60}
}

// LIF is a population of current-based LIF neurons.
type LIF struct {
	P LIFParams
	V []float32 // membrane potential, mV
	I []float32 // synaptic current, mV
	R []float32 // remaining refractory time, ms

	am, as, psc, dt float32 // per-step factors set by Init
}

var _ Model = (*LIF)(nil)

// NewLIF returns n LIF neurons with parameters p.
func NewLIF(n int, p LIFParams) *LIF {
	return &LIF{P: p, V: make([]float32, n), I: make([]float32, n), R: make([]float32, n)}
}

func (m *LIF) Len() int { return len(m.V) }

func (m *LIF) Init(dt float32, key uint64) {
	m.dt = dt
	m.am = decay(dt, m.P.TauM)
	m.as = decay(dt, m.P.TauSyn)
	switch {
	case m.P.TauSyn <= 0:
		m.psc = 0
	case m.P.TauSyn == m.P.TauM:
		// limit τs → τm of τs/(τs−τm)(e^{−h/τs} − e^{−h/τm}) = (h/τ) e^{−h/τ}
		m.psc = dt / m.P.TauM * m.am
	default:
		m.psc = m.P.TauSyn / (m.P.TauSyn - m.P.TauM) * (m.as - m.am)
	}
	m.Reset()
}

func (m *LIF) Reset() {
	for i := range m.V {
		m.V[i] = m.P.VInit
		m.I[i] = 0
		m.R[i] = 0
	}
}

func (m *LIF) State(name string) []float32 {
	switch name {
	case "v":
		return m.V
	case "i":
		return m.I
	}
	return nil
}

// Step integrates neurons lo..hi-1 exactly over one step. Input arriving in
// this step is added to I at the start of the step (delta synapses when
// TauSyn = 0 add it to v directly).
func (m *LIF) Step(lo, hi int, _ uint64, in Input, spk []uint8) {
	p := &m.P
	v, cur, ref := m.V[lo:hi], m.I[lo:hi], m.R[lo:hi]
	exc, inh := in.Exc[lo:hi], in.Inh[lo:hi]
	var ext []float32
	if in.Ext != nil {
		ext = in.Ext[lo:hi]
	}
	s := spk[lo:hi]
	for k := range v {
		x := exc[k] - inh[k]
		var drive float32
		if ext != nil {
			drive = ext[k]
		}
		vk := v[k]
		if m.psc == 0 {
			vk += x
			x = 0
		}
		ik := cur[k] + x
		if ref[k] > 0 {
			ref[k] -= m.dt
			vk = p.VReset
		} else {
			vk = p.EL + (vk-p.EL)*m.am + drive*(1-m.am) + ik*m.psc
		}
		cur[k] = ik * m.as
		if vk >= p.VTh && ref[k] <= 0 {
			s[k] = 1
			vk = p.VReset
			ref[k] = p.TRef
		} else {
			s[k] = 0
		}
		v[k] = vk
	}
}
