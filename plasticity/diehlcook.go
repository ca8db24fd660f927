package plasticity

import (
	"math"

	"github.com/engram-lab/engram/internal/f32"
	"github.com/engram-lab/engram/synapse"
)

func init() {
	Register("stdp-dc", func() Rule { return NewDiehlCook() })
}

var _ Rule = (*DiehlCook)(nil)

// DiehlCook is the STDP rule of Diehl & Cook (2015, "Unsupervised learning
// of digit recognition using spike-timing-dependent plasticity", Front.
// Comput. Neurosci. 9:99), the variant with a presynaptic target trace and
// soft upper bound:
//
//	at a post spike: Δw = EtaPost·(x_pre − XTar)·(WMax − w)^Mu
//	at a pre spike:  Δw = −EtaPre·x_post
//
// Inputs that were silent before a post spike (x_pre < XTar) are depressed,
// so each neuron's weights come to match the inputs it responds to. It is
// used with lateral inhibition, an adaptive threshold and normalisation of
// each neuron's incoming weights (homeostasis.Normalize).
//
// Defaults: τpre = τpost = 20 ms, EtaPost = 0.01, EtaPre = 0.0001 (Diehl &
// Cook 2015 code), XTar = 0.4, Mu = 0.2 (our choices within the paper's
// description), WMax = 1, w ∈ [0, 1].
type DiehlCook struct {
	TauPre  float32 `toml:"tau_pre"`  // presynaptic trace, ms (Diehl & Cook 2015: 20)
	TauPost float32 `toml:"tau_post"` // postsynaptic trace, ms (Diehl & Cook 2015: 20)
	EtaPost float32 `toml:"eta_post"` // learning rate at post spikes (Diehl & Cook 2015: 0.01)
	EtaPre  float32 `toml:"eta_pre"`  // learning rate at pre spikes (Diehl & Cook 2015: 0.0001)
	XTar    float32 `toml:"x_tar"`    // target presynaptic trace at a post spike
	Mu      float32 `toml:"mu"`       // soft-bound exponent
	WMax    float32 `toml:"w_max"`    // soft bound
	W       Bounds  `toml:"w"`        // hard bounds

	xPre, xPost []float32
	kPre, kPost float32
	// allToAll: every row of the matrix given to Init targets 0, 1, …,
	// NPost−1 in order, so OnPre reads x_post without the target index
	// (half the memory traffic per presynaptic spike; same arithmetic).
	allToAll bool
}

// NewDiehlCook returns the rule with the defaults above.
func NewDiehlCook() *DiehlCook {
	return &DiehlCook{TauPre: 20, TauPost: 20, EtaPost: 0.01, EtaPre: 0.0001, XTar: 0.4, Mu: 0.2, WMax: 1, W: Bounds{0, 1}}
}

// State returns the presynaptic and postsynaptic traces (Stateful).
func (r *DiehlCook) State() [][]float32 { return [][]float32{r.xPre, r.xPost} }

func (r *DiehlCook) Init(c *synapse.CSR, dt float32) {
	r.xPre, r.xPost = make([]float32, c.NPre), make([]float32, c.NPost)
	r.kPre, r.kPost = decay(dt, r.TauPre), decay(dt, r.TauPost)
	r.allToAll = identityRows(c)
}

func (r *DiehlCook) AdvancePre(lo, hi int, spk []uint8) { advance(r.xPre, r.kPre, lo, hi, spk, false) }
func (r *DiehlCook) AdvancePost(lo, hi int, spk []uint8) {
	advance(r.xPost, r.kPost, lo, hi, spk, false)
}

func (r *DiehlCook) OnPre(c *synapse.CSR, pre int, lo, hi int) {
	if r.allToAll {
		// w − η·x = w + (−η)·x exactly, so the kernel's update is bit for
		// bit the general path's
		first := lo - int(c.RowPtr[pre]) // target of synapse lo (hi−lo may be part of the row)
		f32.AxpyClip(-r.EtaPre, r.xPost[first:first+hi-lo], c.W[lo:hi], r.W.Min, r.W.Max)
		return
	}
	w, post := c.W[lo:hi], c.Post[lo:hi]
	for s := range w {
		w[s] = r.W.Clip(w[s] - r.EtaPre*r.xPost[post[s]])
	}
}

func (r *DiehlCook) OnPost(c *synapse.CSR, post int, syn, pre []int32) {
	for k, s := range syn {
		soft := float32(math.Pow(float64(max(r.WMax-c.W[s], 0)), float64(r.Mu)))
		c.W[s] = r.W.Clip(c.W[s] + r.EtaPost*(r.xPre[pre[k]]-r.XTar)*soft)
	}
}
