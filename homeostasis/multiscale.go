package homeostasis

// MultiScale is multi-scale temporal homeostasis after Hakim (arXiv
// 2602.07009, "MSTH"; RESEARCH.md §4.9) in our implementable reading for
// spiking neurons: rate estimates at four time scales drive four
// interventions on each neuron's excitability and input gain,
//
//	ultra-fast (TauUF = 5 ms):   θ_uf = KUF·(r_uf − ρ)              proportional (spike-triggered) threshold
//	fast       (TauF  = 2 s):    θ_f  += EtaF·dt·(r_f − ρ) − dt·θ_f/TauM   integral threshold, handed over to …
//	medium     (TauM  = 5 min):  g    *= 1 − EtaM·dt·(r_m − ρ)/ρ    … multiplicative input scaling
//	slow       (TauS  = 1 h):    ρ    += EtaS·dt·(ρ0 − r_s)          set-point drift back to ρ0 (off by default)
//
// The cross-scale coordination is the hand-over term −θ_f/TauM: the fast
// integral answers a perturbation within seconds, then relaxes while the
// medium scale absorbs the lasting part into the input gain, so the two
// never fight over the same offset. The drive applied is
// ext_j = g_j·Base_j − θ_uf − θ_f (mV, as Threshold).
//
// Defaults (NewMultiScale): the four time constants of MSTH (5 ms, 2 s,
// 5 min, 1 h); KUF = 0.02 mV/Hz, EtaF = 5e-4 mV per ms per Hz, EtaM = 2e-5
// per ms, EtaS = 0 (our choices). Setting gains to 0 gives the single-scale
// controllers compared in MultiScaleExperiment.
type MultiScale struct {
	Target []float32 // ρ_j, Hz (the slow scale moves it)
	Rho0   []float32 // original set points, Hz
	Base   []float32 // drive before control, mV
	Theta  []float32 // θ_f, mV
	ThetaU []float32 // θ_uf, mV
	Gain   []float32 // g_j

	KUF, EtaF, EtaM, EtaS float32
	TauM                  float32 // hand-over time constant, ms (= medium scale)
	RUF, RF, RM, RS       *Rate
	dt                    float32
}

// NewMultiScale returns the controller for len(target) neurons with drive
// base at step dt (ms).
func NewMultiScale(target, base []float32, dt float32) *MultiScale {
	n := len(target)
	m := &MultiScale{Target: append([]float32(nil), target...), Rho0: append([]float32(nil), target...),
		Base: append([]float32(nil), base...), Theta: make([]float32, n), ThetaU: make([]float32, n),
		Gain: make([]float32, n), KUF: 0.1, EtaF: 1e-4, EtaM: 2e-5, TauM: 300000, dt: dt}
	for j := range m.Gain {
		m.Gain[j] = 1
	}
	m.RUF = NewRate(n, 5, dt, target[0])
	m.RF = NewRate(n, 2000, dt, target[0])
	m.RM = NewRate(n, 300000, dt, target[0])
	m.RS = NewRate(n, 3600000, dt, target[0])
	for _, r := range []*Rate{m.RUF, m.RF, m.RM, m.RS} {
		copy(r.R, target)
	}
	return m
}

// Step observes the spikes of neurons lo..hi-1, runs the four scales and
// writes the controlled drive into ext.
func (m *MultiScale) Step(lo, hi int, spk []uint8, ext []float32) {
	for _, r := range []*Rate{m.RUF, m.RF, m.RM, m.RS} {
		r.Observe(lo, hi, spk)
	}
	dt := m.dt
	for j := lo; j < hi; j++ {
		rho := m.Target[j]
		m.ThetaU[j] = m.KUF * (m.RUF.R[j] - rho)
		if m.EtaF != 0 {
			m.Theta[j] += m.EtaF*dt*(m.RF.R[j]-rho) - dt*m.Theta[j]/m.TauM*boolf(m.EtaM != 0)
		}
		if m.EtaM != 0 {
			g := m.Gain[j] * (1 - m.EtaM*dt*(m.RM.R[j]-rho)/rho)
			m.Gain[j] = max(g, 0)
		}
		if m.EtaS != 0 {
			m.Target[j] += m.EtaS * dt * (m.Rho0[j] - m.RS.R[j])
		}
		ext[j] = m.Gain[j]*m.Base[j] - m.ThetaU[j] - m.Theta[j]
	}
}

func boolf(b bool) float32 {
	if b {
		return 1
	}
	return 0
}
