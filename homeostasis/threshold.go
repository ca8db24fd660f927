package homeostasis

// Threshold is an adaptive threshold driven by the rate error, an integral
// controller on excitability (the rate-homeostatic threshold of e.g.
// Zenke et al. 2013; cf. Diehl & Cook 2015's θ += 0.05 mV per spike):
//
//	θ_j ← θ_j + Eta·dt·(r_j − ρ_j)        (θ_j in mV)
//
// with r_j a Rate. Models in package neuron share one threshold per
// population, so Apply realises θ_j as an opposite external drive,
// ext_j = Base_j − θ_j: for a current-based LIF this shifts the membrane's
// resting level, which is equivalent to raising the threshold and the reset
// by θ_j together.
//
// Defaults (NewThreshold): TauRate = 500 ms, Eta = 5e-4 mV per ms per Hz
// (our choice: settles within seconds for LIF rates of 1–50 Hz).
type Threshold struct {
	Target []float32 // target rate per neuron, Hz
	Theta  []float32 // threshold shift per neuron, mV
	Base   []float32 // external drive without the shift (mV)
	Eta    float32   // mV per ms per Hz
	Rate   *Rate
	dt     float32
}

// NewThreshold returns a threshold controller for len(target) neurons with
// external drive base (copied) at step dt (ms).
func NewThreshold(target, base []float32, dt float32) *Threshold {
	n := len(target)
	return &Threshold{Target: target, Theta: make([]float32, n), Base: append([]float32(nil), base...),
		Eta: 5e-4, Rate: NewRate(n, 500, dt, 0), dt: dt}
}

// Step observes the spikes of neurons lo..hi-1, adapts their thresholds and
// writes the shifted drive into ext.
func (t *Threshold) Step(lo, hi int, spk []uint8, ext []float32) {
	t.Rate.Observe(lo, hi, spk)
	for j := lo; j < hi; j++ {
		t.Theta[j] += t.Eta * t.dt * (t.Rate.R[j] - t.Target[j])
		ext[j] = t.Base[j] - t.Theta[j]
	}
}
