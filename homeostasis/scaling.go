package homeostasis

import "github.com/engram-lab/engram/synapse"

// Scaling is multiplicative synaptic scaling (Turrigiano et al. 1998): all
// excitatory weights onto neuron j are multiplied by the same factor, up
// when its rate r_j is below its target ρ_j and down when above,
//
//	w_ij ← w_ij · (1 + Eta·dt·(ρ_j − r_j)/ρ_j)   every step,
//
// which moves r_j to ρ_j while preserving the ratios between a neuron's
// weights (the signature of scaling in Turrigiano 1998, Fig. 3). r_j is a
// Rate with time constant TauRate.
//
// Defaults (NewScaling): TauRate = 1 s, Eta = 1e-4 ms⁻¹ (a 10 s time scale;
// biological scaling takes hours to days, Turrigiano 1998 — compressed, our
// choice), weights bounded by Max (∞ if 0).
type Scaling struct {
	Target []float32 // target rate per neuron, Hz
	Eta    float32   // relative weight change per ms per unit relative rate error
	Max    float32   // upper weight bound (0: none)
	Rate   *Rate
	dt     float32
}

// NewScaling returns scaling toward target (Hz per neuron) at step dt (ms).
func NewScaling(target []float32, dt float32) *Scaling {
	return &Scaling{Target: target, Eta: 1e-4, Rate: NewRate(len(target), 1000, dt, 0), dt: dt}
}

// Step observes this step's spikes of post neurons lo..hi-1 and scales the
// weights onto them (found through the column index cols of c).
func (s *Scaling) Step(c *synapse.CSR, cols *synapse.Columns, lo, hi int, spk []uint8) {
	s.Rate.Observe(lo, hi, spk)
	for j := lo; j < hi; j++ {
		f := 1 + s.Eta*s.dt*(s.Target[j]-s.Rate.R[j])/s.Target[j]
		for _, k := range cols.Syn[cols.Ptr[j]:cols.Ptr[j+1]] {
			w := c.W[k] * f
			if s.Max > 0 && w > s.Max {
				w = s.Max
			}
			c.W[k] = w
		}
	}
}
