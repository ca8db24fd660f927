package plasticity

import "github.com/engram-lab/engram/synapse"

func init() {
	Register("stdp-mult", func() Rule { return NewMultSTDP() })
}

var _ Rule = (*MultSTDP)(nil)

// MultSTDP is weight-dependent ("multiplicative") STDP after van Rossum, Bi
// & Turrigiano (2000): potentiation is additive and depression scales with
// the weight,
//
//	Δw = +APlus·x_pre        at a post spike (x_pre: presynaptic trace),
//	Δw = −AMinus·w·x_post    at a pre spike  (x_post: postsynaptic trace).
//
// The fixed point of the drift (w* ≈ APlus/AMinus for uncorrelated input,
// shifted up by the causal pre→post correlation) is stable for every
// synapse, so the weights settle into one unimodal distribution instead of
// splitting to the bounds as additive STDP does (Song et al. 2000). It reuses
// STDP's traces and pairing (all-to-all); only the update differs.
//
// Defaults: τ± = 20 ms (van Rossum 2000); APlus = 0.01 and AMinus = 0.02
// weight units (our choice: the ratio puts w* near the middle of [0, 1]
// under the 10 Hz Poisson drive of TestSTDPBimodal, and APlus equals the
// additive rule's amplitude in that test); w ∈ [0, 1] (the bounds are a
// safeguard; the rule itself keeps w ≥ 0 while AMinus·x_post < 1).
type MultSTDP struct {
	STDP
}

// NewMultSTDP returns MultSTDP with the defaults above.
func NewMultSTDP() *MultSTDP {
	s := NewSTDP()
	s.APlus, s.AMinus = 0.01, 0.02
	return &MultSTDP{STDP: *s}
}

// OnPre depresses the synapses of a spiking presynaptic neuron in
// proportion to their weight and the postsynaptic traces.
func (r *MultSTDP) OnPre(c *synapse.CSR, pre int, lo, hi int) {
	w, post := c.W[lo:hi], c.Post[lo:hi]
	for s := range w {
		w[s] = r.W.Clip(w[s] - r.AMinus*w[s]*r.xPost[post[s]])
	}
}
