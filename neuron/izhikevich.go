package neuron

import "math"

// IzhikevichParams are the parameters of the Izhikevich (2003) simple model:
//
//	v' = 0.04v² + 5v + 140 − u + I
//	u' = a(b·v − u)
//	v ≥ VPeak (30 mV) → spike, v ← c, u ← u + d
//
// v is in mV and t in ms; I, a, b, c, d are in the model's own
// (dimensionless) units. I = Ext + Exc − Inh, each held constant over the
// step (as in Izhikevich's network code, where a spike of weight w adds w to
// I for the step: with dt ≠ 1 ms the charge a weight delivers scales with dt).
//
// Integration: forward Euler on n = ceil(dt/MaxSub) equal sub-steps of
// h ≤ MaxSub (default 0.5 ms, the half-step of Izhikevich 2003's code);
// within a sub-step v is updated first and u uses the new v, as in the
// paper's code. The spike test runs after every sub-step; a neuron fires at
// most once per step (spk = 1 if any sub-step crossed).
//
// Presets (Izhikevich 2003, Fig. 2): RS a=0.02 b=0.2 c=−65 d=8; IB a=0.02
// b=0.2 c=−55 d=4; CH a=0.02 b=0.2 c=−50 d=2; FS a=0.1 b=0.2 c=−65 d=2;
// LTS a=0.02 b=0.25 c=−65 d=2. The initial state is v = −65, u = b·v
// (paper's code).
type IzhikevichParams struct {
	A      float32 `toml:"a"`       // recovery rate, 1/ms (Izhikevich 2003)
	B      float32 `toml:"b"`       // recovery sensitivity to v (Izhikevich 2003)
	C      float32 `toml:"c"`       // after-spike reset of v, mV (Izhikevich 2003)
	D      float32 `toml:"d"`       // after-spike increment of u (Izhikevich 2003)
	VPeak  float32 `toml:"v_peak"`  // spike cutoff, mV (Izhikevich 2003: 30)
	VInit  float32 `toml:"v_init"`  // initial v, mV (Izhikevich 2003 code: −65); u starts at b·VInit
	MaxSub float32 `toml:"max_sub"` // largest Euler sub-step, ms (0.5, Izhikevich 2003 code)
}

func izh(a, b, c, d float32) IzhikevichParams {
	return IzhikevichParams{A: a, B: b, C: c, D: d, VPeak: 30, VInit: -65, MaxSub: 0.5}
}

// IzhikevichRS is regular spiking (excitatory; spike-frequency adaptation).
func IzhikevichRS() IzhikevichParams { return izh(0.02, 0.2, -65, 8) }

// IzhikevichIB is intrinsically bursting.
func IzhikevichIB() IzhikevichParams { return izh(0.02, 0.2, -55, 4) }

// IzhikevichCH is chattering (fast rhythmic bursting).
func IzhikevichCH() IzhikevichParams { return izh(0.02, 0.2, -50, 2) }

// IzhikevichFS is fast spiking (inhibitory; no adaptation).
func IzhikevichFS() IzhikevichParams { return izh(0.1, 0.2, -65, 2) }

// IzhikevichLTS is low-threshold spiking (inhibitory).
func IzhikevichLTS() IzhikevichParams { return izh(0.02, 0.25, -65, 2) }

// Izhikevich is a population of Izhikevich (2003) neurons sharing P.
type Izhikevich struct {
	P IzhikevichParams
	V []float32 // membrane potential, mV
	U []float32 // recovery variable

	nsub int
	h    float32
}

var _ Model = (*Izhikevich)(nil)

// NewIzhikevich returns n Izhikevich neurons with parameters p.
func NewIzhikevich(n int, p IzhikevichParams) *Izhikevich {
	return &Izhikevich{P: p, V: make([]float32, n), U: make([]float32, n)}
}

func (m *Izhikevich) Len() int { return len(m.V) }

func (m *Izhikevich) Init(dt float32, key uint64) {
	maxSub := m.P.MaxSub
	if maxSub <= 0 {
		maxSub = 0.5
	}
	m.nsub = int(math.Ceil(float64(dt/maxSub) - 1e-6))
	if m.nsub < 1 {
		m.nsub = 1
	}
	m.h = dt / float32(m.nsub)
	m.Reset()
}

func (m *Izhikevich) Reset() {
	for i := range m.V {
		m.V[i] = m.P.VInit
		m.U[i] = m.P.B * m.P.VInit
	}
}

func (m *Izhikevich) State(name string) []float32 {
	switch name {
	case "v":
		return m.V
	case "u":
		return m.U
	}
	return nil
}

// Step advances neurons lo..hi-1 by one step of nsub Euler sub-steps.
// The parameters are held in locals and the common two-sub-step case
// (dt = 1 ms) is unrolled; the arithmetic is that of the generic loop.
func (m *Izhikevich) Step(lo, hi int, _ uint64, in Input, spk []uint8) {
	n := hi - lo
	v, u := m.V[lo:hi:hi], m.U[lo:hi:hi]
	exc, inh := in.Exc[lo:hi:hi], in.Inh[lo:hi:hi]
	s := spk[lo:hi:hi]
	v, u, exc, inh, s = v[:n], u[:n], exc[:n], inh[:n], s[:n]
	ext := exc // placeholder when there is no external drive (not read)
	hasExt := in.Ext != nil
	if hasExt {
		ext = in.Ext[lo:hi:hi]
	}
	ext = ext[:n]
	h, ha := m.h, m.h*m.P.A
	b, c, d, peak := m.P.B, m.P.C, m.P.D, m.P.VPeak
	if m.nsub == 2 {
		for k := range v {
			I := exc[k] - inh[k]
			if hasExt {
				I += ext[k]
			}
			vk, uk := v[k], u[k]
			var fired uint8
			vk += h * (0.04*vk*vk + 5*vk + 140 - uk + I)
			uk += ha * (b*vk - uk)
			if vk >= peak {
				fired = 1
				vk = c
				uk += d
			}
			vk += h * (0.04*vk*vk + 5*vk + 140 - uk + I)
			uk += ha * (b*vk - uk)
			if vk >= peak {
				fired = 1
				vk = c
				uk += d
			}
			v[k], u[k], s[k] = vk, uk, fired
		}
		return
	}
	nsub := m.nsub
	for k := range v {
		I := exc[k] - inh[k]
		if hasExt {
			I += ext[k]
		}
		vk, uk := v[k], u[k]
		var fired uint8
		for j := 0; j < nsub; j++ {
			vk += h * (0.04*vk*vk + 5*vk + 140 - uk + I)
			uk += ha * (b*vk - uk)
			if vk >= peak {
				fired = 1
				vk = c
				uk += d
			}
		}
		v[k], u[k], s[k] = vk, uk, fired
	}
}
