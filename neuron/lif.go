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
	halfDt          float32 // dt/2: refractory bookkeeping tolerance
}

var _ Model = (*LIF)(nil)

// NewLIF returns n LIF neurons with parameters p.
func NewLIF(n int, p LIFParams) *LIF {
	return &LIF{P: p, V: make([]float32, n), I: make([]float32, n), R: make([]float32, n)}
}

func (m *LIF) Len() int { return len(m.V) }

func (m *LIF) Init(dt float32, key uint64) {
	m.dt = dt
	m.halfDt = dt / 2
	m.am = decay(dt, m.P.TauM)
	m.as = decay(dt, m.P.TauSyn)
	m.psc = pscFactor(dt, m.P.TauM, m.P.TauSyn)
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

// pscFactor returns the voltage a unit synaptic current (I(0) = 1, decaying
// with τs) adds over one step h to a membrane with time constant τm:
// τs/(τs−τm)·(e^{−h/τs} − e^{−h/τm}), with the limit (h/τ)e^{−h/τ} when
// τs = τm, and 0 for delta synapses (τs ≤ 0). It is evaluated in float64
// because the difference of nearly equal exponentials cancels in float32.
func pscFactor(h, tauM, tauS float32) float32 {
	if tauS <= 0 {
		return 0
	}
	H, tm, ts := float64(h), float64(tauM), float64(tauS)
	if d := ts - tm; d*d < 1e-12*tm*tm {
		return float32(H / tm * exp(-H/tm))
	}
	return float32(ts / (ts - tm) * (exp(-H/ts) - exp(-H/tm)))
}

// Step integrates neurons lo..hi-1 exactly over one step. Input arriving in
// this step is added to I at the start of the step (delta synapses when
// TauSyn = 0 add it to v directly). A neuron that fires at the end of step s
// is held at VReset for round(TRef/dt) steps and integrates again from the
// step after; the refractory count is robust to float32 rounding of R.
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
		refractory := ref[k] > m.halfDt
		if refractory {
			ref[k] -= m.dt
			vk = p.VReset
		} else {
			ref[k] = 0
			vk = p.EL + (vk-p.EL)*m.am + drive*(1-m.am) + ik*m.psc
		}
		cur[k] = ik * m.as
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
