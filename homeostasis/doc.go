// Package homeostasis holds homeostatic mechanisms that act on neurons:
// they keep each neuron's activity near a set point by changing its
// incoming weights as a whole (synaptic scaling), its excitability
// (adaptive threshold, intrinsic plasticity) or the gain of its inhibition
// (E/I self-adaptation). Unlike plasticity rules they are driven by a
// neuron's own rate, not by pre/post pairings, and the caller invokes them
// between engine steps (for instance from a probe), or on rate units.
//
// Every mechanism keeps its rate estimate with Rate (an exponential moving
// average of the spike train, in Hz). Units as in the engine: ms, mV, Hz.
package homeostasis

import "math"

// Rate is a per-neuron firing-rate estimate: r ← r·k + spike·(1000/Tau)
// each step with k = exp(−dt/Tau), i.e. a causal exponential filter of the
// spike train normalised to Hz.
type Rate struct {
	Tau float32   // averaging time constant, ms
	R   []float32 // estimates, Hz

	k, inc float32
}

// NewRate returns estimates for n neurons starting at r0 Hz.
func NewRate(n int, tau, dt, r0 float32) *Rate {
	r := &Rate{Tau: tau, R: make([]float32, n)}
	for i := range r.R {
		r.R[i] = r0
	}
	r.k = float32(math.Exp(-float64(dt) / float64(tau)))
	r.inc = 1000 / tau
	return r
}

// Observe updates the estimates of neurons lo..hi-1 with this step's
// spike flags.
func (r *Rate) Observe(lo, hi int, spk []uint8) {
	for i := lo; i < hi; i++ {
		r.R[i] = r.R[i]*r.k + float32(spk[i])*r.inc
	}
}
