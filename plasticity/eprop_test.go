package plasticity

import (
	"math"
	"testing"
)

// TestEPropAnalyticTrace scripts presynaptic spikes, postsynaptic membrane
// potentials and a learning signal, and checks the rule's filtered
// eligibility and weight change against the closed form of Bellec et al.
// (2020): ε_i(t) = Σ_{t_k ≤ t−1} α^{t−1−t_k}, e_ji(t) = ψ_j(t) ε_i(t),
// ē_ji(t) = Σ_{s ≤ t} κ^{t−s} e_ji(s), Δw_ji = η Σ_t M(t) ē_ji(t).
func TestEPropAnalyticTrace(t *testing.T) {
	const nPre, nPost, steps = 3, 2, 300
	h := newHarness(t, nPre, nPost, 0.5)
	r := NewEProp()
	r.Eta = 1e-3
	r.V = make([]float32, nPost)
	r.Init(h.c, 1)
	spikes := [][]int{{10, 12, 50, 51, 52, 200}, {30}, {}}
	vAt := func(j, t int) float32 { // scripted potentials sweeping through threshold
		return -60 + 12*float32(0.5+0.5*math.Sin(float64(t)/(7+3*float64(j))))
	}
	mAt := func(t int) float32 { return float32(math.Cos(float64(t) / 40)) }
	prev, post := make([]uint8, nPre), make([]uint8, nPost)
	for step := 0; step < steps; step++ {
		for j := range r.V {
			r.V[j] = vAt(j, step)
		}
		r.SetModulator(mAt(step))
		r.AdvancePre(0, nPre, prev)
		r.AdvancePost(0, nPost, post)
		r.SynapseStep(h.c, h.cols, 0, nPost)
		clear(prev)
		for i, ts := range spikes {
			for _, s := range ts {
				if s == step {
					prev[i] = 1
				}
			}
		}
	}
	alpha, kappa := math.Exp(-1/20.0), math.Exp(-1/20.0)
	psi := func(j, t int) float64 {
		d := math.Abs(float64(vAt(j, t)) + 50)
		return 0.3 / 10 * math.Max(0, 1-d/10)
	}
	eps := func(i, t int) float64 {
		s := 0.0
		for _, tk := range spikes[i] {
			if tk <= t-1 {
				s += math.Pow(alpha, float64(t-1-tk))
			}
		}
		return s
	}
	for i := 0; i < nPre; i++ {
		for j := 0; j < nPost; j++ {
			ebar := func(t int) float64 {
				s := 0.0
				for u := 0; u <= t; u++ {
					s += math.Pow(kappa, float64(t-u)) * psi(j, u) * eps(i, u)
				}
				return s
			}
			dw := 0.0
			for u := 0; u < steps; u++ {
				dw += 1e-3 * float64(mAt(u)) * ebar(u)
			}
			syn := i*nPost + j
			gotE, wantE := float64(r.FilteredEligibility()[syn]), ebar(steps-1)
			gotW := float64(h.c.W[syn]) - 0.5
			if math.Abs(gotE-wantE) > 1e-5+1e-4*math.Abs(wantE) || math.Abs(gotW-dw) > 1e-6+1e-3*math.Abs(dw) {
				t.Errorf("synapse %d→%d: ē = %.6g want %.6g, Δw = %.6g want %.6g", i, j, gotE, wantE, gotW, dw)
			}
			if i == 0 && j == 0 {
				t.Logf("synapse 0→0: ē = %.6g (analytic %.6g), Δw = %.6g (analytic %.6g)", gotE, wantE, gotW, dw)
			}
		}
	}
}
