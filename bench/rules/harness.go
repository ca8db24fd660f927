package rules

import (
	"github.com/engram-lab/engram/homeostasis"
	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/synapse"
)

// harness calls a rule on an all-to-all nPre×nPost matrix exactly as the
// engine does with one worker: Advance with the previous step's spikes,
// OnPre, OnPost, then SynapseStep for modulated rules.
type harness struct {
	c                 *synapse.CSR
	cols              *synapse.Columns
	r                 plasticity.Rule
	m                 plasticity.Modulated
	prevPre, prevPost []uint8
}

func newHarness(r plasticity.Rule, nPre, nPost int, w float32, dt float32) *harness {
	e := make([]synapse.Edge, 0, nPre*nPost)
	for i := 0; i < nPre; i++ {
		for j := 0; j < nPost; j++ {
			e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j), W: w, Delay: 1})
		}
	}
	c, err := synapse.FromEdges(nPre, nPost, e)
	if err != nil {
		panic(err) // indices are in range by construction
	}
	h := &harness{c: c, cols: c.BuildColumns(), r: r,
		prevPre: make([]uint8, nPre), prevPost: make([]uint8, nPost)}
	h.m, _ = r.(plasticity.Modulated)
	r.Init(c, dt)
	return h
}

// normalize scales every postsynaptic neuron's incoming weights to sum
// (homeostasis.NormalizeDense: the harness's matrix is all-to-all with rows
// in target order by construction, so W is dense row-major).
func (h *harness) normalize(sum float32, scratch []float32) {
	homeostasis.NormalizeDense(h.c.W, h.c.NPre, h.c.NPost, 0, h.c.NPost, sum, scratch)
}

// step runs one time step with this step's spikes pre and post.
func (h *harness) step(pre, post []uint8) {
	h.advance()
	h.deliver(pre, post)
}

// advance is the first half of a step: traces take the previous step's
// spikes (the engine calls it before the neuron update).
func (h *harness) advance() {
	h.r.AdvancePre(0, h.c.NPre, h.prevPre)
	h.r.AdvancePost(0, h.c.NPost, h.prevPost)
}

// deliver is the second half: pairing and modulated updates with this
// step's spikes.
func (h *harness) deliver(pre, post []uint8) {
	c := h.c
	for i, s := range pre {
		if s != 0 {
			lo, hi := c.Row(i)
			h.r.OnPre(c, i, lo, hi)
		}
	}
	for j, s := range post {
		if s != 0 {
			p0, p1 := h.cols.Ptr[j], h.cols.Ptr[j+1]
			h.r.OnPost(c, j, h.cols.Syn[p0:p1], h.cols.Pre[p0:p1])
		}
	}
	if h.m != nil {
		h.m.SynapseStep(c, h.cols, 0, c.NPost)
	}
	copy(h.prevPre, pre)
	copy(h.prevPost, post)
}
