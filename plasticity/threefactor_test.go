package plasticity

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestThreeFactorLazyMatchesEager runs R-STDP on Poisson trains with two
// rewards twice: with the dopamine stepped explicitly every step
// (Dopamine, no floor) and with ModTau = τd, where the rule integrates the
// decaying dopamine and the tonic term in closed form. The weights must
// agree (up to float32 rounding and clipping order).
func TestThreeFactorLazyMatchesEager(t *testing.T) {
	const nPre, nPost, steps = 20, 10, 3000
	rnd := rand.New(rand.NewPCG(5, 6))
	pre, post := poissonTrains(rnd, nPre, steps, 0.02), poissonTrains(rnd, nPost, steps, 0.02)
	reward := map[int]bool{800: true, 2100: true}
	mk := func() *ThreeFactor {
		r := NewRSTDP()
		r.W = Bounds{-100, 100}
		return r
	}
	// eager
	he := newHarness(t, nPre, nPost, 0.5)
	re := mk()
	re.Init(he.c, 1)
	da := NewDopamine(200, 1)
	da.Floor = 0
	// lazy
	hl := newHarness(t, nPre, nPost, 0.5)
	rl := mk()
	rl.ModTau = 200
	rl.Init(hl.c, 1)
	prevPre, prevPost := make([]uint8, nPre), make([]uint8, nPost)
	step := func(h *harness, r *ThreeFactor, k int) {
		r.AdvancePre(0, nPre, prevPre)
		r.AdvancePost(0, nPost, prevPost)
		for i, s := range pre[k] {
			if s != 0 {
				lo, hi := h.c.Row(i)
				r.OnPre(h.c, i, lo, hi)
			}
		}
		for j, s := range post[k] {
			if s != 0 {
				p0, p1 := h.cols.Ptr[j], h.cols.Ptr[j+1]
				r.OnPost(h.c, j, h.cols.Syn[p0:p1], h.cols.Pre[p0:p1])
			}
		}
		r.SynapseStep(h.c, h.cols, 0, nPost)
	}
	for k := 0; k < steps; k++ {
		if reward[k] {
			da.Release(0.5)
			rl.SetModulator(rl.Modulator() + 0.5)
		}
		re.SetModulator(da.Step())
		step(he, re, k)
		step(hl, rl, k)
		copy(prevPre, pre[k])
		copy(prevPost, post[k])
	}
	rl.Flush()
	maxDiff, maxDw := 0.0, 0.0
	for s := range he.c.W {
		maxDiff = math.Max(maxDiff, math.Abs(float64(he.c.W[s]-hl.c.W[s])))
		maxDw = math.Max(maxDw, math.Abs(float64(he.c.W[s]-0.5)))
	}
	t.Logf("max |Δw| %.4g, max eager−lazy difference %.3g", maxDw, maxDiff)
	if maxDw < 1e-3 || maxDiff > 1e-4*math.Max(1, maxDw) {
		t.Errorf("lazy and eager R-STDP differ by %.3g (max change %.3g)", maxDiff, maxDw)
	}
}
