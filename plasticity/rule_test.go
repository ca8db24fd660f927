package plasticity

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/engram-lab/engram/synapse"
)

// harness drives a rule on a small all-to-all matrix with given spike
// trains, calling it exactly as the engine does with one worker.
type harness struct {
	c    *synapse.CSR
	cols *synapse.Columns
}

func newHarness(t testing.TB, nPre, nPost int, w float32) *harness {
	t.Helper()
	var e []synapse.Edge
	for i := 0; i < nPre; i++ {
		for j := 0; j < nPost; j++ {
			e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j), W: w, Delay: 1})
		}
	}
	c, err := synapse.FromEdges(nPre, nPost, e)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{c: c, cols: c.BuildColumns()}
}

// run feeds pre[t] and post[t] spike flags for each step t.
func (h *harness) run(r Rule, pre, post [][]uint8) {
	c := h.c
	prevPre, prevPost := make([]uint8, c.NPre), make([]uint8, c.NPost)
	m, _ := r.(Modulated)
	for t := range pre {
		r.AdvancePre(0, c.NPre, prevPre)
		r.AdvancePost(0, c.NPost, prevPost)
		for i, s := range pre[t] {
			if s != 0 {
				lo, hi := c.Row(i)
				r.OnPre(c, i, lo, hi)
			}
		}
		for j, s := range post[t] {
			if s != 0 {
				p0, p1 := h.cols.Ptr[j], h.cols.Ptr[j+1]
				r.OnPost(c, j, h.cols.Syn[p0:p1], h.cols.Pre[p0:p1])
			}
		}
		if m != nil {
			m.SynapseStep(c, h.cols, 0, c.NPost)
		}
		copy(prevPre, pre[t])
		copy(prevPost, post[t])
	}
}

func poissonTrains(r *rand.Rand, n, steps int, p float64) [][]uint8 {
	out := make([][]uint8, steps)
	for t := range out {
		out[t] = make([]uint8, n)
		for i := range out[t] {
			if r.Float64() < p {
				out[t][i] = 1
			}
		}
	}
	return out
}

// TestRegisteredRuleProperties checks every registered rule for the
// properties all rules share: bounds hold, silence changes nothing, the
// same input gives the same weights, and steady state allocates nothing.
func TestRegisteredRuleProperties(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			mk := func() Rule {
				r, err := New(name)
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			const nPre, nPost, steps = 20, 10, 400
			trains := func(seed uint64) ([][]uint8, [][]uint8) {
				r := rand.New(rand.NewPCG(seed, 1))
				return poissonTrains(r, nPre, steps, 0.05), poissonTrains(r, nPost, steps, 0.05)
			}
			// silence
			h := newHarness(t, nPre, nPost, 0.5)
			r := mk()
			r.Init(h.c, 1)
			if m, ok := r.(Modulated); ok {
				m.SetModulator(1) // a third factor alone must not change weights either
			}
			before := slices.Clone(h.c.W)
			silent := make([][]uint8, steps)
			for k := range silent {
				silent[k] = make([]uint8, max(nPre, nPost))
			}
			h.run(r, silent, silent)
			if !slices.Equal(before, h.c.W) {
				t.Errorf("silent input changed weights")
			}
			// bounds and determinism under heavy activity
			var last []float32
			for rep := 0; rep < 2; rep++ {
				h := newHarness(t, nPre, nPost, 0.5)
				r := mk()
				r.Init(h.c, 1)
				if m, ok := r.(Modulated); ok {
					m.SetModulator(1)
				}
				pre, post := trains(11)
				for k := 0; k < 20; k++ {
					h.run(r, pre, post)
				}
				for _, w := range h.c.W {
					if w < -1e-6 || w > 1+1e-6 || w != w {
						t.Fatalf("weight %v outside [0,1] after heavy activity", w)
					}
				}
				if last != nil && !slices.Equal(last, h.c.W) {
					t.Errorf("same input gave different weights")
				}
				last = slices.Clone(h.c.W)
				if slices.Equal(last, slices.Repeat([]float32{0.5}, len(last))) {
					t.Errorf("activity changed no weight")
				}
			}
			// allocations
			h = newHarness(t, nPre, nPost, 0.5)
			r = mk()
			r.Init(h.c, 1)
			pre, post := trains(3)
			if a := testing.AllocsPerRun(5, func() { h.run(r, pre[:1], post[:1]) }); a > 2 {
				// the harness itself allocates its two prev slices
				t.Errorf("%v allocations per step", a-2)
			}
		})
	}
}
