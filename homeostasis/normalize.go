package homeostasis

import "github.com/engram-lab/engram/synapse"

// Normalize rescales the incoming weights of post neurons lo..hi-1 so that
// each neuron's weights sum to Sum (the synaptic scaling used with
// symmetric STDP by Hao et al. 2020 and with STDP by Diehl & Cook 2015).
// Neurons whose weights sum to 0 are left alone.
func Normalize(c *synapse.CSR, cols *synapse.Columns, lo, hi int, sum float32) {
	for j := lo; j < hi; j++ {
		syn := cols.Syn[cols.Ptr[j]:cols.Ptr[j+1]]
		var s float32
		for _, k := range syn {
			s += c.W[k]
		}
		if s <= 0 {
			continue
		}
		f := sum / s
		for _, k := range syn {
			c.W[k] *= f
		}
	}
}
