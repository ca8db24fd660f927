package plasticity

import "github.com/engram-lab/engram/synapse"

func init() {
	Register("stdp", func() Rule { return NewSTDP() })
	Register("stdp-nearest", func() Rule { s := NewSTDP(); s.Nearest = true; return s })
}

var _ Rule = (*STDP)(nil)

// STDP is pair-based additive spike-timing-dependent plasticity with
// exponential traces (Song, Miller & Abbott 2000):
//
//	Δw = +APlus·exp(−Δt/τ+)   for a pre spike Δt before a post spike,
//	Δw = −AMinus·exp(−Δt/τ−)  for a post spike Δt before a pre spike,
//
// with hard bounds. All-to-all pairing uses traces that add 1 per spike;
// nearest-neighbour pairing (Nearest) resets them to 1 instead.
// Defaults: τ± = 20 ms, A+ = 0.005, A− = 1.05·A+ (Song et al. 2000 use
// A−/A+ = 1.05 and weights in units of gmax), w ∈ [0, 1].
//
// OnPost walks the column index (4 bytes per synapse); LazySTDP
// ("stdp-lazy") gives bit-identical weights without it.
type STDP struct {
	TauPre  float32 `toml:"tau_pre"`  // presynaptic trace time constant, ms (Song 2000: 20)
	TauPost float32 `toml:"tau_post"` // postsynaptic trace time constant, ms (Song 2000: 20)
	APlus   float32 `toml:"a_plus"`   // potentiation amplitude, weight units (Song 2000: 0.005 gmax)
	AMinus  float32 `toml:"a_minus"`  // depression amplitude, weight units (Song 2000: 1.05·A+)
	W       Bounds  `toml:"w"`        // hard weight bounds (Song 2000: [0, gmax])
	Nearest bool    `toml:"nearest"`  // nearest-neighbour instead of all-to-all pairing

	xPre, xPost []float32 // traces (dimensionless)
	kPre, kPost float32   // per-step decay factors
}

// NewSTDP returns STDP with the defaults of Song, Miller & Abbott (2000).
func NewSTDP() *STDP {
	return &STDP{TauPre: 20, TauPost: 20, APlus: 0.005, AMinus: 0.00525, W: Bounds{0, 1}}
}

func (r *STDP) Init(c *synapse.CSR, dt float32) {
	r.xPre = make([]float32, c.NPre)
	r.xPost = make([]float32, c.NPost)
	r.kPre, r.kPost = decay(dt, r.TauPre), decay(dt, r.TauPost)
}

func (r *STDP) AdvancePre(lo, hi int, spk []uint8) { advance(r.xPre, r.kPre, lo, hi, spk, r.Nearest) }
func (r *STDP) AdvancePost(lo, hi int, spk []uint8) {
	advance(r.xPost, r.kPost, lo, hi, spk, r.Nearest)
}

// advance decays traces x[lo:hi] by k and adds (or, nearest, resets to) 1
// for each spike.
func advance(x []float32, k float32, lo, hi int, spk []uint8, nearest bool) {
	x, spk = x[lo:hi], spk[lo:hi]
	for i := range x {
		v := float32(x[i] * k) // rounded before the +1: no fused multiply-add (LazySTDP replays this arithmetic)
		if spk[i] != 0 {
			if nearest {
				v = 1
			} else {
				v++
			}
		}
		x[i] = v
	}
}

// OnPre depresses the synapses of a spiking presynaptic neuron by the
// postsynaptic traces.
func (r *STDP) OnPre(c *synapse.CSR, pre int, lo, hi int) {
	w, post := c.W[lo:hi], c.Post[lo:hi]
	for s := range w {
		w[s] = r.depress(w[s], r.xPost[post[s]])
	}
}

// depress and potentiate are the two weight updates, shared with LazySTDP
// so that both compute them with the same float32 operations (the product
// is rounded before the sum: no fused multiply-add on any architecture).
func (r *STDP) depress(w, xPost float32) float32 {
	return r.W.Clip(w - float32(r.AMinus*xPost))
}

func (r *STDP) potentiate(w, xPre float32) float32 {
	return r.W.Clip(w + float32(r.APlus*xPre))
}

// Bytes is the memory of the rule's state (its per-neuron traces), bytes.
func (r *STDP) Bytes() int64 { return 4 * int64(cap(r.xPre)+cap(r.xPost)) }

// OnPost potentiates the synapses onto a spiking postsynaptic neuron by the
// presynaptic traces.
func (r *STDP) OnPost(c *synapse.CSR, post int, syn, pre []int32) {
	for k, s := range syn {
		c.W[s] = r.potentiate(c.W[s], r.xPre[pre[k]])
	}
}
