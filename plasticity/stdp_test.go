package plasticity

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSTDPWindow measures Δw for one pre/post pair at each lag and checks
// it against A±·exp(−|Δt|/τ±) (Song, Miller & Abbott 2000, Fig. 1).
func TestSTDPWindow(t *testing.T) {
	const w0 = 0.5
	for _, lag := range []int{-60, -40, -20, -10, -5, -2, -1, 1, 2, 5, 10, 20, 40, 60} {
		h := newHarness(t, 1, 1, w0)
		r := NewSTDP()
		r.Init(h.c, 1)
		steps := 200
		pre, post := make([][]uint8, steps), make([][]uint8, steps)
		for k := range pre {
			pre[k], post[k] = []uint8{0}, []uint8{0}
		}
		tPre := 100
		tPost := tPre + lag // lag > 0: pre before post
		pre[tPre][0], post[tPost][0] = 1, 1
		h.run(r, pre, post)
		got := float64(h.c.W[0] - w0)
		var want float64
		// A trace sees spikes strictly before the current step and decays
		// once per step, so a spike |lag| steps earlier contributes
		// exp(−(|lag|−1)·dt/τ) · exp(−dt/τ)... the trace is advanced at the
		// start of each step, so after |lag| steps it holds exp(−(|lag|−1)/τ).
		d := math.Abs(float64(lag))
		if lag > 0 {
			want = float64(r.APlus) * math.Exp(-(d-1)/float64(r.TauPre))
		} else {
			want = -float64(r.AMinus) * math.Exp(-(d-1)/float64(r.TauPost))
		}
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("Δt=%d ms: Δw=%.6g, want %.6g", lag, got, want)
		}
	}
}

// TestSTDPBimodal reproduces the weight-distribution claim of Song et al.
// (2000): one LIF-like integrator driven by many Poisson inputs under
// additive STDP with A−/A+ > 1 splits its weights to the two bounds.
func TestSTDPBimodal(t *testing.T) {
	if testing.Short() {
		t.Skip("long reproduction")
	}
	const nIn, steps = 200, 1200000 // 1200 s at 1 ms
	h := newHarness(t, nIn, 1, 0.5)
	r := NewSTDP()
	r.APlus, r.AMinus = 0.01, 0.0105
	r.Init(h.c, 1)
	rnd := rand.New(rand.NewPCG(1, 2))
	// integrate-and-fire neuron: τm = 20 ms, threshold 1 in weight units·(input count scaled)
	v, nPost := 0.0, 0
	pre, post := [][]uint8{make([]uint8, nIn)}, [][]uint8{{0}}
	prevPre, prevPost := make([]uint8, nIn), []uint8{0}
	for step := 0; step < steps; step++ {
		r.AdvancePre(0, nIn, prevPre)
		r.AdvancePost(0, 1, prevPost)
		in := 0.0
		for i := range pre[0] {
			pre[0][i] = 0
			if rnd.Float64() < 0.010 { // 10 Hz
				pre[0][i] = 1
				in += float64(h.c.W[i])
			}
		}
		v = v*math.Exp(-1.0/20) + in*0.35
		post[0][0] = 0
		if v > 6 {
			post[0][0] = 1
			v = 0
		}
		for i, s := range pre[0] {
			if s != 0 {
				lo, hi := h.c.Row(i)
				r.OnPre(h.c, i, lo, hi)
			}
		}
		if post[0][0] != 0 {
			nPost++
			r.OnPost(h.c, 0, h.cols.Syn, h.cols.Pre)
		}
		copy(prevPre, pre[0])
		prevPost[0] = post[0][0]
	}
	low, high, mid := 0, 0, 0
	for _, w := range h.c.W {
		switch {
		case w < 0.2:
			low++
		case w > 0.8:
			high++
		default:
			mid++
		}
	}
	t.Logf("weights: %d near 0, %d near 1, %d between; post spikes %d", low, high, mid, nPost)
	if low < nIn/10 || high < nIn/10 || mid > nIn/3 {
		t.Errorf("distribution not bimodal: %d low, %d high, %d mid", low, high, mid)
	}
}
