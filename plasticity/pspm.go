package plasticity

import (
	"math/rand/v2"
	"sort"

	"github.com/engram-lab/engram/synapse"
)

// PSPM is Pre-Synaptic Pool Modification (Bagley, Bordelon, Moseley &
// Wessel, arXiv 1810.03199; RESEARCH.md §4.4), a stochastic, gradient-free
// supervised rule for spiking networks that learns target spike trains.
// After a trial, for every postsynaptic neuron j:
//
//   - each actual spike with no desired spike within ±Window depresses, by
//     Delta, the synapses from a random fraction Frac of the presynaptic
//     neurons that fired in the Window before it;
//   - each desired spike with no actual spike within ±Window potentiates,
//     by Delta, the synapses from a random fraction Frac of the
//     presynaptic neurons that fired in the Window before it.
//
// The paper pairs it with homeostatic synaptic scaling (see
// homeostasis.Normalize / Scaling). It needs the desired trains, so it is a
// trial-level learner rather than a Rule: the caller records spike steps
// and calls Trial between trials.
//
// Defaults (NewPSPM): Window = 5 steps, Frac = 0.5, Delta = 0.02 weight
// units, w ∈ [0, 1] — our choices; the paper's window sizes and rates were
// not retrieved.
type PSPM struct {
	Window int     // coincidence window, steps
	Frac   float64 // fraction of the eligible presynaptic pool modified
	Delta  float32 // weight change per event, weight units
	W      Bounds  // hard weight bounds
}

// NewPSPM returns PSPM with the defaults above.
func NewPSPM() *PSPM { return &PSPM{Window: 5, Frac: 0.5, Delta: 0.02, W: Bounds{0, 1}} }

// Trial applies one trial's updates to c. pre[i] lists the spike steps of
// presynaptic neuron i, actual[j] and desired[j] those of postsynaptic
// neuron j (each sorted ascending); cols is c's column index; r draws the
// random pool.
func (p *PSPM) Trial(c *synapse.CSR, cols *synapse.Columns, pre, actual, desired [][]int32, r *rand.Rand) {
	for j := 0; j < c.NPost; j++ {
		syn, src := cols.Syn[cols.Ptr[j]:cols.Ptr[j+1]], cols.Pre[cols.Ptr[j]:cols.Ptr[j+1]]
		apply := func(t int32, d float32) {
			for k, s := range syn {
				if firedIn(pre[src[k]], t-int32(p.Window), t) && r.Float64() < p.Frac {
					c.W[s] = p.W.Clip(c.W[s] + d)
				}
			}
		}
		for _, t := range actual[j] {
			if !near(desired[j], t, int32(p.Window)) {
				apply(t, -p.Delta)
			}
		}
		for _, t := range desired[j] {
			if !near(actual[j], t, int32(p.Window)) {
				apply(t, p.Delta)
			}
		}
	}
}

// firedIn reports whether sorted times has an element in [lo, hi).
func firedIn(times []int32, lo, hi int32) bool {
	k := sort.Search(len(times), func(i int) bool { return times[i] >= lo })
	return k < len(times) && times[k] < hi
}

// near reports whether sorted times has an element within ±w of t.
func near(times []int32, t, w int32) bool { return firedIn(times, t-w, t+w+1) }
