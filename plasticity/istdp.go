package plasticity

import "github.com/engram-lab/engram/synapse"

func init() {
	Register("istdp", func() Rule { return NewISTDP() })
}

var _ Rule = (*ISTDP)(nil)

// ISTDP is the inhibitory spike-timing-dependent plasticity of Vogels,
// Sprekeler et al. (2011) for inhibitory→excitatory synapses: a symmetric
// coincidence window plus a constant depression per presynaptic spike,
//
//	at a pre spike:  Δw = Eta·(x_post − Alpha)
//	at a post spike: Δw = Eta·x_pre
//
// with traces x adding 1 per spike and decaying with Tau, and
// Alpha = 2·Rho0·Tau. Inhibition grows while the postsynaptic neuron fires
// above Rho0 and shrinks below it, so excitatory rates converge to Rho0 and
// inhibitory currents come to balance excitatory ones.
//
// Defaults: Tau = 20 ms and Rho0 = 5 Hz (Vogels 2011; α = 2ρ0τ = 0.2),
// Eta = 0.001 weight units (our choice for the [0, 1] range), w ∈ [0, 1]
// (magnitudes on the inhibitory channel).
type ISTDP struct {
	Tau  float32 `toml:"tau"`  // trace time constant, ms (Vogels 2011: 20)
	Rho0 float32 `toml:"rho0"` // target postsynaptic rate, Hz (Vogels 2011: 5)
	Eta  float32 `toml:"eta"`  // learning rate, weight units
	W    Bounds  `toml:"w"`    // hard weight bounds ([0, 1])

	alpha       float32
	xPre, xPost []float32
	kPre, kPost float32
}

// NewISTDP returns ISTDP with the defaults above.
func NewISTDP() *ISTDP { return &ISTDP{Tau: 20, Rho0: 5, Eta: 0.001, W: Bounds{0, 1}} }

func (r *ISTDP) Init(c *synapse.CSR, dt float32) {
	r.xPre, r.xPost = make([]float32, c.NPre), make([]float32, c.NPost)
	r.kPre = decay(dt, r.Tau)
	r.kPost = r.kPre
	r.alpha = 2 * r.Rho0 / 1000 * r.Tau
}

func (r *ISTDP) AdvancePre(lo, hi int, spk []uint8)  { advance(r.xPre, r.kPre, lo, hi, spk, false) }
func (r *ISTDP) AdvancePost(lo, hi int, spk []uint8) { advance(r.xPost, r.kPost, lo, hi, spk, false) }

func (r *ISTDP) OnPre(c *synapse.CSR, pre int, lo, hi int) {
	w, post := c.W[lo:hi], c.Post[lo:hi]
	for s := range w {
		w[s] = r.W.Clip(w[s] + r.Eta*(r.xPost[post[s]]-r.alpha))
	}
}

func (r *ISTDP) OnPost(c *synapse.CSR, post int, syn, pre []int32) {
	for k, s := range syn {
		c.W[s] = r.W.Clip(c.W[s] + r.Eta*r.xPre[pre[k]])
	}
}
