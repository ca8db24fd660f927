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

// NormalizeRows is Normalize computed in one sweep over the synapses in
// storage (row) order instead of neuron by neuron through the column index:
// each neuron's weights are summed in the same order (ascending synapse
// index, the order of its column), so the weights come out bit for bit
// equal, while memory is read contiguously. The column walk of Normalize
// jumps one row length between consecutive terms; at 784 × 6400 synapses
// (Diehl & Cook's largest network) most of those reads miss the cache.
// scratch must hold at least c.NPost values; c must store its targets
// explicitly (c.Post not nil: every matrix built by FromEdges).
func NormalizeRows(c *synapse.CSR, lo, hi int, sum float32, scratch []float32) {
	if c.Post == nil {
		panic("homeostasis: NormalizeRows needs explicit targets (CSR.Post); use Normalize")
	}
	s := scratch[:c.NPost]
	clear(s[lo:hi])
	post, w := c.Post, c.W[:len(c.Post)]
	n := uint(hi - lo)
	for k, p := range post {
		if uint(int(p)-lo) < n {
			s[p] += w[k]
		}
	}
	// s becomes the factor: 1 leaves a neuron alone (x·1 = x exactly)
	for j := lo; j < hi; j++ {
		if s[j] <= 0 {
			s[j] = 1
		} else {
			s[j] = sum / s[j]
		}
	}
	for k, p := range post {
		if uint(int(p)-lo) < n {
			w[k] *= s[p]
		}
	}
}
