package neuron

// ALIFParams are the parameters of a current-based adaptive LIF neuron with
// an adaptive threshold (Bellec et al. 2018, "LSNN"; Bellec et al. 2020,
// "e-prop"), written in the e-prop convention:
//
//	τm dv/dt = −(v − EL) + I + Iext        τs dI/dt = −I   (as LIF)
//	A = VTh + β·a                           (adaptive threshold, mV)
//	v ≥ A → spike z = 1
//	a ← ρ·a + z,  ρ = e^{−dt/τa}           (a is a dimensionless spike trace)
//
// After a spike, a hard reset sets v ← VReset and holds it for TRef; a soft
// reset (SoftReset = true, the e-prop choice) subtracts the base threshold
// distance, v ← v − (VTh − EL), and keeps integrating (TRef still applies if
// > 0, during which v is frozen rather than clamped). Subthreshold
// integration and the input convention (Exc − Inh in mV, Ext in mV) are
// those of LIF and exact. The threshold is the one in force at the start of
// the step; a's increment after a spike is visible from the next step.
//
// Defaults: τm = 20 ms and τa = 200 ms (e-prop, Bellec 2020); delta synapses
// (τs = 0) and a 2 ms refractory period as in e-prop; EL, VTh, VReset as
// LIF (−60, −50, −60 mV). β is task dependent in the papers (LSNN: 1.8 in
// units of the threshold with a increments of (1−ρ); e-prop: ≈0.07 for its
// short-memory tasks up to 1.8). Here β is in mV per unit of a, where a
// jumps by 1 per spike; the default 1.8 mV is our choice, giving a
// steady-state threshold rise β·f·τa = 3.6 mV at f = 10 Hz, i.e. a third of
// the 10 mV threshold distance — moderate adaptation.
type ALIFParams struct {
	TauM      float32 `toml:"tau_m"`      // membrane time constant, ms (Bellec 2020: 20)
	TauSyn    float32 `toml:"tau_syn"`    // synaptic current time constant, ms; 0 = delta synapses (Bellec 2020)
	EL        float32 `toml:"e_l"`        // resting potential, mV (as LIF: −60)
	VTh       float32 `toml:"v_th"`       // base threshold, mV (as LIF: −50)
	VReset    float32 `toml:"v_reset"`    // hard-reset value, mV (as LIF: −60)
	TRef      float32 `toml:"t_ref"`      // refractory period, ms (Bellec 2020: 2)
	TauA      float32 `toml:"tau_a"`      // adaptation time constant, ms (Bellec 2020: 200)
	Beta      float32 `toml:"beta"`       // threshold increment per unit a, mV (our choice 1.8, see type doc)
	SoftReset bool    `toml:"soft_reset"` // subtract VTh−EL instead of resetting to VReset (e-prop)
	VInit     float32 `toml:"v_init"`     // initial membrane potential, mV
}

// DefaultALIF returns the defaults documented on ALIFParams (hard reset).
func DefaultALIF() ALIFParams {
	return ALIFParams{TauM: 20, TauSyn: 0, EL: -60, VTh: -50, VReset: -60, TRef: 2,
		TauA: 200, Beta: 1.8, VInit: -60}
}

// ALIF is a population of adaptive-threshold LIF neurons.
type ALIF struct {
	P  ALIFParams
	V  []float32 // membrane potential, mV
	I  []float32 // synaptic current, mV
	A  []float32 // adaptation trace a (dimensionless)
	Th []float32 // threshold VTh + β·a for the next step, mV (read-only view)
	R  []float32 // remaining refractory time, ms

	am, as, psc, rho, dt, halfDt float32
}

var _ Model = (*ALIF)(nil)

// NewALIF returns n ALIF neurons with parameters p.
func NewALIF(n int, p ALIFParams) *ALIF {
	return &ALIF{P: p, V: make([]float32, n), I: make([]float32, n), A: make([]float32, n),
		Th: make([]float32, n), R: make([]float32, n)}
}

func (m *ALIF) Len() int { return len(m.V) }

func (m *ALIF) Init(dt float32, key uint64) {
	m.dt, m.halfDt = dt, dt/2
	m.am = decay(dt, m.P.TauM)
	m.as = decay(dt, m.P.TauSyn)
	m.rho = decay(dt, m.P.TauA)
	m.psc = pscFactor(dt, m.P.TauM, m.P.TauSyn)
	m.Reset()
}

func (m *ALIF) Reset() {
	for i := range m.V {
		m.V[i] = m.P.VInit
		m.I[i], m.A[i], m.R[i] = 0, 0, 0
		m.Th[i] = m.P.VTh
	}
}

func (m *ALIF) State(name string) []float32 {
	switch name {
	case "v":
		return m.V
	case "i":
		return m.I
	case "a":
		return m.A
	case "th":
		return m.Th
	}
	return nil
}

// Step advances neurons lo..hi-1 by one step.
func (m *ALIF) Step(lo, hi int, _ uint64, in Input, spk []uint8) {
	p := &m.P
	v, cur, a, th, ref := m.V[lo:hi], m.I[lo:hi], m.A[lo:hi], m.Th[lo:hi], m.R[lo:hi]
	exc, inh := in.Exc[lo:hi], in.Inh[lo:hi]
	var ext []float32
	if in.Ext != nil {
		ext = in.Ext[lo:hi]
	}
	s := spk[lo:hi]
	dist := p.VTh - p.EL
	for k := range v {
		x := exc[k] - inh[k]
		vk := v[k]
		if m.psc == 0 {
			vk += x
			x = 0
		}
		ik := cur[k] + x
		thr := p.VTh + p.Beta*a[k]
		refractory := ref[k] > m.halfDt
		if refractory {
			ref[k] -= m.dt
			if !p.SoftReset {
				vk = p.VReset
			} else {
				vk = v[k]
			}
		} else {
			ref[k] = 0
			var drive float32
			if ext != nil {
				drive = ext[k]
			}
			vk = p.EL + (vk-p.EL)*m.am + drive*(1-m.am) + ik*m.psc
		}
		cur[k] = ik * m.as
		var z float32
		if !refractory && vk >= thr {
			s[k] = 1
			z = 1
			if p.SoftReset {
				vk -= dist
			} else {
				vk = p.VReset
			}
			ref[k] = p.TRef
		} else {
			s[k] = 0
		}
		v[k] = vk
		a[k] = m.rho*a[k] + z
		th[k] = p.VTh + p.Beta*a[k]
	}
}
