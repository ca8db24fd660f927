package homeostasis

import (
	"github.com/engram-lab/engram/internal/f32"
	"github.com/engram-lab/engram/synapse"
)

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

// NormalizeDense is NormalizeRows for a dense row-major nPre × nPost
// matrix w (row i holds the weights from presynaptic neuron i to targets
// 0…nPost−1, as the W of an all-to-all CSR built by synapse.FromEdges):
// the same sums in the same order and the same products, so the weights
// come out bit for bit equal, computed with vector kernels (internal/f32).
// Only targets lo…hi−1 are normalised; scratch must hold at least hi values.
func NormalizeDense(w []float32, nPre, nPost, lo, hi int, sum float32, scratch []float32) {
	if len(w) < nPre*nPost || lo < 0 || hi > nPost || lo > hi || len(scratch) < hi {
		panic("homeostasis: NormalizeDense arguments out of range")
	}
	s := scratch[lo:hi]
	clear(s)
	for i := 0; i < nPre; i++ {
		f32.Add(s, w[i*nPost+lo:i*nPost+hi])
	}
	for j, v := range s {
		if v <= 0 {
			s[j] = 1 // x·1 = x exactly: the neuron is left alone
		} else {
			s[j] = sum / v
		}
	}
	for i := 0; i < nPre; i++ {
		f32.Mul(w[i*nPost+lo:i*nPost+hi], s)
	}
}
