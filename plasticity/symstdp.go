package plasticity

import (
	"github.com/engram-lab/engram/internal/f32"
	"github.com/engram-lab/engram/synapse"
)

func init() {
	Register("stdp-sym", func() Rule { return NewSymSTDP() })
}

var _ Rule = (*SymSTDP)(nil)

// SymSTDP is symmetric STDP (Hao et al. 2020, after the hippocampal window
// of Mishra et al. 2016): both spike orders potentiate,
//
//	at a post spike: Δw = +APlus·x_pre
//	at a pre spike:  Δw = +APlus·x_post
//
// with traces adding 1 per spike and decaying with Tau. It only grows
// weights, so it is used with a normalisation of each neuron's incoming
// weights (homeostasis.Normalize, the synaptic scaling of Hao 2020) and a
// dynamic threshold; the teacher drives the label neuron, and the rule
// binds the active inputs to it.
//
// Defaults: Tau = 20 ms, APlus = 0.01 weight units, w ∈ [0, 1]. The
// authors' code (github.com/haoyz/sym-STDP-SNN, src/add_model.cc) has the
// same potentiation-only window with τ = 20 ms for both traces; their
// traces jump by 0.1 and Δw = ν·trace, i.e. APlus = 0.1·ν: 0.0005
// input→hidden and 0.004 hidden→output with 400 hidden neurons on MNIST
// (bench/rules.DefaultHao lists their per-size values).
type SymSTDP struct {
	Tau   float32 `toml:"tau"`    // trace time constant, ms
	APlus float32 `toml:"a_plus"` // potentiation amplitude, weight units
	W     Bounds  `toml:"w"`      // hard weight bounds ([0, 1])

	xPre, xPost []float32
	k           float32
	allToAll    bool // see DiehlCook.allToAll
}

// NewSymSTDP returns SymSTDP with the defaults above.
func NewSymSTDP() *SymSTDP { return &SymSTDP{Tau: 20, APlus: 0.01, W: Bounds{0, 1}} }

// State returns the presynaptic and postsynaptic traces (Stateful).
func (r *SymSTDP) State() [][]float32 { return [][]float32{r.xPre, r.xPost} }

func (r *SymSTDP) Init(c *synapse.CSR, dt float32) {
	r.xPre, r.xPost = make([]float32, c.NPre), make([]float32, c.NPost)
	r.k = decay(dt, r.Tau)
	r.allToAll = identityRows(c)
}

func (r *SymSTDP) AdvancePre(lo, hi int, spk []uint8)  { advance(r.xPre, r.k, lo, hi, spk, false) }
func (r *SymSTDP) AdvancePost(lo, hi int, spk []uint8) { advance(r.xPost, r.k, lo, hi, spk, false) }

func (r *SymSTDP) OnPre(c *synapse.CSR, pre int, lo, hi int) {
	if r.allToAll {
		first := lo - int(c.RowPtr[pre]) // target of synapse lo
		f32.AxpyClip(r.APlus, r.xPost[first:first+hi-lo], c.W[lo:hi], r.W.Min, r.W.Max)
		return
	}
	w, post := c.W[lo:hi], c.Post[lo:hi]
	for s := range w {
		w[s] = r.W.Clip(w[s] + r.APlus*r.xPost[post[s]])
	}
}

func (r *SymSTDP) OnPost(c *synapse.CSR, post int, syn, pre []int32) {
	for k, s := range syn {
		c.W[s] = r.W.Clip(c.W[s] + r.APlus*r.xPre[pre[k]])
	}
}
