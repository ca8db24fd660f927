package flagship

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/engram-lab/engram/dataset"
)

// synthetic returns a small prototype-plus-noise classification set.
func synthetic(n, dim, classes int, seed uint64) *dataset.Set {
	r := rand.New(rand.NewPCG(seed, 7))
	proto := make([]float32, classes*dim)
	pr := rand.New(rand.NewPCG(99, 1))
	for i := range proto {
		if pr.Float32() < 0.3 {
			proto[i] = 1
		}
	}
	s := &dataset.Set{Name: "synthetic", N: n, Steps: 1, Dim: dim, Classes: classes,
		X: make([]float32, n*dim), Y: make([]uint8, n)}
	for i := 0; i < n; i++ {
		c := i % classes
		s.Y[i] = uint8(c)
		for j := 0; j < dim; j++ {
			v := proto[c*dim+j]
			if r.Float32() < 0.25 {
				v = r.Float32()
			}
			s.X[i*dim+j] = v
		}
	}
	return s
}

func smallConfig() Config {
	c := DefaultConfig()
	c.Layers = []int{60, 40}
	c.BlockSize = 20
	c.FFDegree = 8
	c.ReadoutPerClass = 4
	c.BatchSize = 8
	c.Workers = 1
	c.LRDecay = 0.9 // the default before 2026-11-27 21:00: TestGoldenBits' hashes were recorded with it
	return c
}

func TestPseudoDerivative(t *testing.T) {
	const g = 0.3
	cases := []struct{ v, thr, theta, want float32 }{
		{1, 1, 1, g},         // at threshold: γ/θ
		{0.5, 1, 1, 0.5 * g}, // half way
		{1.5, 1, 1, 0.5 * g}, // symmetric above
		{0, 1, 1, 0},         // one θ away: zero
		{-3, 1, 1, 0},        // far below
		{2, 2, 2, g / 2},     // scaled by 1/θ
		{1.5, 1.5, 1, g},     // adaptive threshold A ≠ θ
	}
	for _, c := range cases {
		if got := pseudoDeriv(c.v, c.thr, c.theta, g); math.Abs(float64(got-c.want)) > 1e-6 {
			t.Errorf("ψ(v=%g, A=%g, θ=%g) = %g, want %g", c.v, c.thr, c.theta, got, c.want)
		}
	}
}

// scripted builds a one-layer network fed by a sequence so that the test can
// recompute every local factor analytically.
func scripted(t *testing.T) (*Model, []float32, int) {
	return scriptedWith(t, func(*Config) {})
}

func scriptedWith(t *testing.T, mod func(*Config)) (*Model, []float32, int) {
	c := DefaultConfig()
	c.Layers = []int{4}
	c.BlockSize = 2
	c.Recurrent = false
	c.ReadoutPerClass = 1
	c.T = 5
	c.HomeoRate = 0
	c.Workers = 1
	mod(&c)
	m, err := New(c, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	// input channel 0 spikes at steps 0, 3, 4, 9; channel 1 at 1, 2, 7
	steps := 12
	x := make([]float32, steps*2)
	for _, s := range []int{0, 3, 4, 9} {
		x[s*2] = 1
	}
	for _, s := range []int{1, 2, 7} {
		x[s*2+1] = 1
	}
	w := []float32{0.9, 0.3, 0.6, -0.2, 0.2, 0.7, 0.5, 0.45} // input j row: 4 neurons
	copy(m.wIn, w)
	return m, x, steps
}

func TestPreTraceScripted(t *testing.T) {
	m, x, steps := scripted(t)
	st := m.newState()
	rec := m.simulate(st, x, true, make([][]Spike, 2))
	kappa := math.Exp(-1 / m.cfg.TauPre)
	for i := 0; i < 4; i++ {
		// analytic: x̄[t] = κ x̄[t−1] + z[t], summed over t
		z := make([]float64, steps)
		for _, s := range rec[0] {
			if int(s.ID) == i {
				z[s.T] = 1
			}
		}
		var tr, sum float64
		for tt := 0; tt < steps; tt++ {
			tr = kappa*tr + z[tt]
			sum += tr
		}
		if math.Abs(sum-float64(st.trSum[0][i])) > 1e-4 {
			t.Errorf("neuron %d: Σ trace = %g, want %g", i, st.trSum[0][i], sum)
		}
		if st.cnt[0][i] == 0 && i < 2 {
			t.Logf("neuron %d did not spike", i)
		}
	}
	if len(rec[0]) == 0 {
		t.Fatal("scripted input produced no spikes")
	}
}

// TestEligibilityAnalytic checks the exact e-prop eligibility of the input
// weights, Σ_t ψ_i^t ε_j^t with ε_j^t = α ε_j^{t−1} + x_j^t, against a
// re-computation from the LIF equations.
func TestEligibilityAnalytic(t *testing.T) {
	m, x, steps := scripted(t)
	st := m.newState()
	m.simulate(st, x, true, nil)
	alpha := float32(math.Exp(-1 / m.cfg.TauMem))
	n := 4
	v := make([]float32, n)
	eps := make([]float32, 2)
	want := make([]float32, 2*n)
	for tt := 0; tt < steps; tt++ {
		for j := range eps {
			eps[j] = alpha*eps[j] + x[tt*2+j]
		}
		for i := 0; i < n; i++ {
			vi := alpha*v[i] + x[tt*2]*m.wIn[i] + x[tt*2+1]*m.wIn[n+i]
			ps := pseudoDeriv(vi, 1, 1, float32(m.cfg.Gamma))
			for j := range eps {
				want[j*n+i] += ps * eps[j]
			}
			if vi >= 1 {
				vi--
			}
			v[i] = vi
		}
	}
	for k := range want {
		if math.Abs(float64(want[k]-st.elig[k])) > 1e-5 {
			t.Errorf("eligibility[%d] = %g, want %g", k, st.elig[k], want[k])
		}
	}
}

// TestEligibilityALIF checks the e-prop ALIF eligibility (Bellec et al.
// 2020) of the input and the learned recurrent synapses against a direct
// re-computation: e_ji = ψ_i (ε_j − β ε^a_ji), ε^a_ji ← ψ_i ε_j + (ρ − ψ_i β) ε^a_ji,
// summed over the readout window only (EligWindow).
func TestEligibilityALIF(t *testing.T) {
	m, x, steps := scriptedWith(t, func(c *Config) {
		c.AdaptBeta = 0.4
		c.TauAdapt = 30
		c.EligWindow = true
		c.Recurrent = true
		c.LearnRecurrent = true
		c.RecGain = 2
	})
	st := m.newState()
	m.simulate(st, x, true, nil)
	c := m.cfg
	alpha := float32(math.Exp(-1 / c.TauMem))
	rho := float32(math.Exp(-1 / c.TauAdapt))
	beta := float32(c.AdaptBeta)
	n := 4
	rp := m.layers[0].rec
	W := make([]float32, n*n) // W[j*n+i]: j → i
	for j := 0; j < n; j++ {
		for q := rp.rowPtr[j]; q < rp.rowPtr[j+1]; q++ {
			W[j*n+int(rp.post[q])] = rp.w[q]
		}
	}
	v, a := make([]float32, n), make([]float32, n)
	z, zPrev := make([]float32, n), make([]float32, n)
	eps, epsR := make([]float32, 2), make([]float32, n)
	eaIn, eaR := make([]float32, 2*n), make([]float32, n*n)
	wantIn, wantR := make([]float32, 2*n), make([]float32, n*n)
	ps := make([]float32, n)
	spikes := 0
	for tt := 0; tt < steps; tt++ {
		acc := tt >= steps-c.T
		for j := range eps {
			eps[j] = alpha*eps[j] + x[tt*2+j]
		}
		for j := range epsR {
			epsR[j] = alpha*epsR[j] + zPrev[j]
		}
		for i := 0; i < n; i++ {
			vi := alpha*v[i] + x[tt*2]*m.wIn[i] + x[tt*2+1]*m.wIn[n+i]
			for j := 0; j < n; j++ {
				vi += W[j*n+i] * zPrev[j]
			}
			thr := 1 + beta*a[i]
			ps[i] = pseudoDeriv(vi, thr, 1, float32(c.Gamma))
			z[i] = 0
			if vi >= thr {
				vi -= thr
				z[i] = 1
				spikes++
			}
			v[i] = vi
			a[i] = rho*a[i] + z[i]
		}
		refEligALIF(eps, eaIn, wantIn, ps, beta, rho, acc)
		refEligALIF(epsR, eaR, wantR, ps, beta, rho, acc)
		copy(zPrev, z)
	}
	if spikes == 0 {
		t.Fatal("no spikes")
	}
	for k := range wantIn {
		if math.Abs(float64(wantIn[k]-st.elig[k])) > 1e-5 {
			t.Errorf("input eligibility[%d] = %g, want %g", k, st.elig[k], wantIn[k])
		}
	}
	for j := 0; j < n; j++ {
		for q := rp.rowPtr[j]; q < rp.rowPtr[j+1]; q++ {
			i := int(rp.post[q])
			if got, want := st.recElig[0][q], wantR[j*n+i]; math.Abs(float64(got-want)) > 1e-5 {
				t.Errorf("recurrent eligibility %d→%d = %g, want %g", j, i, got, want)
			}
		}
	}
}

// refEligALIF advances the reference e-prop ALIF eligibility of every
// synapse j → i (q = j·n + i, n = len(ps)) by one step: want_q += ψ_i (ε_j −
// β ε^a_q) if acc, then ε^a_q ← ψ_i ε_j + (ρ − ψ_i β) ε^a_q.
func refEligALIF(eps, ea, want, ps []float32, beta, rho float32, acc bool) {
	n := len(ps)
	for j, ej := range eps {
		for i := 0; i < n; i++ {
			q := j*n + i
			if acc {
				want[q] += ps[i] * (ej - beta*ea[q])
			}
			ea[q] = ps[i]*ej + (rho-ps[i]*beta)*ea[q]
		}
	}
}

// TestEligibilityFF checks the exact ALIF eligibility of the long-range
// synapses into layer 2 (FFElig) against a direct re-computation from the
// recorded layer-1 spikes: ε_j[t] = α ε_j[t−1] + z¹_j[t] (same step, no
// delay), e_ji = ψ_i (ε_j − β ε^a_ji), summed over all steps.
func TestEligibilityFF(t *testing.T) {
	m, x, steps := scriptedWith(t, func(c *Config) {
		c.Layers = []int{4, 4}
		c.FFDegree = 2
		c.AdaptBeta = 0.4
		c.TauAdapt = 30
		c.FFElig = true
	})
	for i := range x {
		x[i] *= 2 // layer 1 fires on single input spikes
	}
	ff := m.layers[1].ff
	for q := range ff.w {
		ff.w[q] = 0.4 + 0.1*float32(q%4)
	}
	ff.syncPad(0, ff.nPre)
	st := m.newState()
	rec := m.simulate(st, x, true, make([][]Spike, 3))
	c := m.cfg
	alpha := float32(math.Exp(-1 / c.TauMem))
	rho := float32(math.Exp(-1 / c.TauAdapt))
	beta := float32(c.AdaptBeta)
	n := 4
	W := make([]float32, n*n) // W[j*n+i]: layer-1 j → layer-2 i
	for j := 0; j < n; j++ {
		for q := ff.rowPtr[j]; q < ff.rowPtr[j+1]; q++ {
			W[j*n+int(ff.post[q])] = ff.w[q]
		}
	}
	z1 := make([]float32, n)
	v, a := make([]float32, n), make([]float32, n)
	eps, ea, want := make([]float32, n), make([]float32, n*n), make([]float32, n*n)
	ps := make([]float32, n)
	spikes2 := 0
	for tt := 0; tt < steps; tt++ {
		clear(z1)
		for _, sp := range rec[0] {
			if int(sp.T) == tt {
				z1[sp.ID] = 1
			}
		}
		for j := range eps {
			eps[j] = alpha*eps[j] + z1[j]
		}
		for i := 0; i < n; i++ {
			vi := alpha * v[i]
			for j := 0; j < n; j++ {
				vi += W[j*n+i] * z1[j]
			}
			thr := 1 + beta*a[i]
			ps[i] = pseudoDeriv(vi, thr, 1, float32(c.Gamma))
			var z float32
			if vi >= thr {
				vi -= thr
				z = 1
				spikes2++
			}
			v[i] = vi
			a[i] = rho*a[i] + z
		}
		refEligALIF(eps, ea, want, ps, beta, rho, true)
	}
	if len(rec[0]) == 0 || spikes2 != len(rec[1]) {
		t.Fatalf("layer-1 spikes %d; layer-2 spikes %d, re-computed %d", len(rec[0]), len(rec[1]), spikes2)
	}
	nonzero := 0
	for j := 0; j < n; j++ {
		for q := ff.rowPtr[j]; q < ff.rowPtr[j+1]; q++ {
			i := int(ff.post[q])
			got, w := st.ffElig[1][q], want[j*n+i]
			if math.Abs(float64(got-w)) > 1e-5 {
				t.Errorf("long-range eligibility %d→%d = %g, want %g", j, i, got, w)
			}
			if w != 0 {
				nonzero++
			}
		}
	}
	if nonzero == 0 {
		t.Fatal("every long-range eligibility is 0: the check is empty")
	}
}

// TestModulatoryProjection checks the third factor: L = A·(G·δ) with the
// modulatory bottleneck and L = B·δ without; δ = onehot − softmax(β·score).
func TestModulatoryProjection(t *testing.T) {
	for _, M := range []int{0, 3} {
		c := smallConfig()
		c.ModNeurons = M
		m, err := New(c, 16, 4)
		if err != nil {
			t.Fatal(err)
		}
		set := synthetic(4, 16, 4, 1)
		st, sl := m.newState(), m.newSlot()
		m.learnSample(st, sl, set.Sample(1), 1)
		// recompute δ from the same scores
		p := make([]float32, 4)
		softWTA(p, st.score, float32(c.WTABeta), 1)
		delta := make([]float32, 4)
		for k := range delta {
			delta[k] = -p[k]
		}
		delta[1]++
		for o, e := range sl.eo {
			if e != delta[o/c.ReadoutPerClass] {
				t.Fatalf("readout error %d = %g, want %g", o, e, delta[o/c.ReadoutPerClass])
			}
		}
		for k, l := range m.layers {
			for i := 0; i < l.n; i++ {
				var want float64
				if M > 0 {
					for a := 0; a < M; a++ {
						var g float64
						for cl := 0; cl < 4; cl++ {
							g += float64(l.modG[a*4+cl] * delta[cl])
						}
						want += float64(l.modA[i*M+a]) * g
					}
				} else {
					for cl := 0; cl < 4; cl++ {
						want += float64(l.fbB[i*4+cl] * delta[cl])
					}
				}
				if math.Abs(want-float64(sl.L[k][i])) > 1e-5 {
					t.Fatalf("M=%d layer %d neuron %d: L = %g, want %g", M, k, i, sl.L[k][i], want)
				}
				total, _, _ := m.steps(16)
				if d := sl.L[k][i] * st.psi[k][i] / float32(total); math.Abs(float64(d-sl.d[k][i])) > 1e-6 {
					t.Fatalf("d = L·Ψ mismatch")
				}
			}
		}
	}
}

func TestLearningImproves(t *testing.T) {
	c := smallConfig()
	c.Workers = 2
	train := synthetic(600, 64, 4, 1)
	val := synthetic(200, 64, 4, 2)
	m, err := New(c, 64, 4)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := m.Evaluate(val)
	for e := 0; e < 3; e++ {
		if _, err := m.TrainEpoch(context.Background(), train, nil); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := m.Evaluate(val)
	t.Logf("accuracy %.3f → %.3f", before, after)
	if after < 0.9 || after < before+0.2 {
		t.Fatalf("accuracy %.3f → %.3f: no learning", before, after)
	}
}

func trainedTensors(t *testing.T, c Config, set *dataset.Set) []NamedTensor {
	m, err := New(c, set.Dim, set.Classes)
	if err != nil {
		t.Fatal(err)
	}
	for e := 0; e < 2; e++ {
		if _, err := m.TrainEpoch(context.Background(), set, nil); err != nil {
			t.Fatal(err)
		}
	}
	return m.Tensors()
}

func TestDeterminismWorkers(t *testing.T) {
	set := synthetic(200, 32, 4, 3)
	for _, variant := range []string{"static", "augment", "distort", "recurrent-dale"} {
		c := smallConfig()
		c.BatchSize = 16
		set := set
		if variant == "augment" || variant == "distort" {
			// a 4×8 "image": shifted (and distorted) per sample from a
			// counter-based stream
			aug := *set
			aug.Height, aug.Width = 4, 8
			set = &aug
			c.AugmentShift = 1
		}
		if variant == "distort" {
			c.AugmentRotate, c.AugmentScale, c.AugmentElastic, c.AugmentElasticSigma = 15, 0.1, 8, 1
		}
		if variant == "recurrent-dale" {
			c.LearnRecurrent = true
			c.InhibitoryFraction = 0.2
		}
		ref := trainedTensors(t, c, set)
		for _, w := range []int{1, 2, 4} {
			c.Workers = w
			if got := trainedTensors(t, c, set); !reflect.DeepEqual(got, ref) {
				t.Fatalf("%s: workers=%d gives different weights", variant, w)
			}
		}
		c.Seed = 2
		if got := trainedTensors(t, c, set); reflect.DeepEqual(got, ref) {
			t.Fatalf("%s: a different seed gives identical weights", variant)
		}
	}
}

func TestDeterminismSequence(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	set := &dataset.Set{Name: "seq", N: 64, Steps: 12, Dim: 6, Classes: 2,
		X: make([]float32, 64*12*6), Y: make([]uint8, 64)}
	for i := range set.X {
		if r.Float32() < 0.2 {
			set.X[i] = 1
		}
	}
	for i := range set.Y {
		set.Y[i] = uint8(i % 2)
	}
	c := smallConfig()
	c.T = 4
	c.HoldSteps = 2
	c.AdaptBeta = 0.3
	var refRec []NamedTensor
	for _, v := range []struct{ learnRec, ffElig bool }{{false, false}, {true, false}, {true, true}} {
		c.Workers = 1
		c.LearnRecurrent = v.learnRec // per-synapse ALIF eligibility of the recurrence
		c.EligWindow = v.learnRec
		c.FFElig = v.ffElig // and of the long-range synapses
		ref := trainedTensors(t, c, set)
		for _, w := range []int{2, 3} {
			c.Workers = w
			if got := trainedTensors(t, c, set); !reflect.DeepEqual(got, ref) {
				t.Fatalf("sequence (learn_recurrent %v, ff_elig %v): workers=%d gives different weights", v.learnRec, v.ffElig, w)
			}
		}
		if v.ffElig && reflect.DeepEqual(ref, refRec) {
			t.Fatal("ff_elig changes no weight")
		}
		refRec = ref
	}
}

func TestTensorsRoundTrip(t *testing.T) {
	c := smallConfig()
	c.ReadoutDensity = 0.3
	set := synthetic(200, 32, 4, 4)
	m, err := New(c, 32, 4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.TrainEpoch(context.Background(), set, nil); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(c, 32, 4, m.Tensors())
	if err != nil {
		t.Fatal(err)
	}
	a1, p1 := m.Evaluate(set)
	a2, p2 := m2.Evaluate(set)
	if a1 != a2 || !reflect.DeepEqual(p1, p2) {
		t.Fatalf("predictions differ after Load: %v vs %v", a1, a2)
	}
	if !reflect.DeepEqual(m.Tensors(), m2.Tensors()) {
		t.Fatal("tensors differ after Load")
	}
	// resuming continues identically
	s1, _ := m.TrainEpoch(context.Background(), set, nil)
	s2, _ := m2.TrainEpoch(context.Background(), set, nil)
	if s1.Correct != s2.Correct || !reflect.DeepEqual(m.Tensors(), m2.Tensors()) {
		t.Fatal("resumed training diverges")
	}
	ts := m.Tensors()
	ts[0].F32 = ts[0].F32[:3]
	if _, err := Load(c, 32, 4, ts); err == nil {
		t.Fatal("Load accepted a truncated tensor")
	}
}

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []func(*Config){
		func(c *Config) { c.Workers = 0 },
		func(c *Config) { c.BatchSize = 0 },
		func(c *Config) { c.T = 0 },
		func(c *Config) { c.Layers = nil },
		func(c *Config) { c.Layers = []int{100, 1} },
		func(c *Config) { c.FFDegree = 3 },
		func(c *Config) { c.ReadoutDensity = 0 },
		func(c *Config) { c.ReadoutDensity = 1.5 },
		func(c *Config) { c.TauMem = -1 },
		func(c *Config) { c.LRIn = math.NaN() },
		func(c *Config) { c.InhibitoryFraction = 1 },
		func(c *Config) { c.Rewire = 2 },
		func(c *Config) { c.LRDecay = 0 },
		func(c *Config) { c.TargetRate = 2 },
		func(c *Config) { c.ModNeurons = -1 },
		func(c *Config) { c.HoldSteps = 0 },
		func(c *Config) { c.AugmentRotate = -5 },
		func(c *Config) { c.AugmentRotate = math.NaN() },
		func(c *Config) { c.AugmentScale = 1 },
		func(c *Config) { c.AugmentElastic = -1 },
		func(c *Config) { c.AugmentElasticSigma = 0 },
	}
	for i, f := range bad {
		c := DefaultConfig()
		f(&c)
		if c.Validate() == nil {
			t.Errorf("bad config %d accepted", i)
		}
		if _, err := New(c, 10, 2); err == nil {
			t.Errorf("New accepted bad config %d", i)
		}
	}
}

func TestNoAllocInStepLoop(t *testing.T) {
	c := smallConfig()
	m, err := New(c, 32, 4)
	if err != nil {
		t.Fatal(err)
	}
	set := synthetic(4, 32, 4, 5)
	p := m.NewPredictor()
	p.Predict(set.Sample(0))
	if a := testing.AllocsPerRun(20, func() { p.Predict(set.Sample(1)) }); a != 0 {
		t.Errorf("Predict allocates %v times", a)
	}
	st, sl := m.newState(), m.newSlot()
	m.learnSample(st, sl, set.Sample(0), 0)
	if a := testing.AllocsPerRun(20, func() { m.learnSample(st, sl, set.Sample(2), 2) }); a != 0 {
		t.Errorf("learnSample allocates %v times", a)
	}
	// sequence mode too
	seq := make([]float32, 7*32)
	copy(seq, set.X)
	m.learnSample(st, sl, seq, 1)
	if a := testing.AllocsPerRun(20, func() { m.learnSample(st, sl, seq, 1) }); a != 0 {
		t.Errorf("sequence learnSample allocates %v times", a)
	}
	// ALIF eligibility of input and learned recurrent synapses
	c.AdaptBeta, c.LearnRecurrent, c.EligWindow, c.FFElig = 0.2, true, true, true
	m, err = New(c, 32, 4)
	if err != nil {
		t.Fatal(err)
	}
	st, sl = m.newState(), m.newSlot()
	m.learnSample(st, sl, seq, 1)
	if a := testing.AllocsPerRun(20, func() { m.learnSample(st, sl, seq, 1) }); a != 0 {
		t.Errorf("ALIF sequence learnSample allocates %v times", a)
	}
}

// TestSequenceLearning: class = which of two channels fires in the FIRST half
// of the sequence; the second half is identical noise, so credit must be carried
// by eligibility traces and membrane/trace memory.
func TestSequenceLearning(t *testing.T) {
	mk := func(n int, seed uint64) *dataset.Set {
		r := rand.New(rand.NewPCG(seed, 3))
		steps, dim := 20, 8
		s := &dataset.Set{Name: "seq", N: n, Steps: steps, Dim: dim, Classes: 2,
			X: make([]float32, n*steps*dim), Y: make([]uint8, n)}
		for i := 0; i < n; i++ {
			c := i % 2
			s.Y[i] = uint8(c)
			x := s.Sample(i)
			for tt := 0; tt < steps; tt++ {
				for j := 0; j < dim; j++ {
					p := float32(0.1)
					if tt < 8 && j/4 == c {
						p = 0.6
					}
					if r.Float32() < p {
						x[tt*dim+j] = 1
					}
				}
			}
		}
		return s
	}
	c := smallConfig()
	c.T = 5
	c.AdaptBeta = 0.5
	c.TauPre = 50
	train, val := mk(400, 1), mk(200, 2)
	m, err := New(c, 8, 2)
	if err != nil {
		t.Fatal(err)
	}
	for e := 0; e < 4; e++ {
		if _, err := m.TrainEpoch(context.Background(), train, nil); err != nil {
			t.Fatal(err)
		}
	}
	acc, _ := m.Evaluate(val)
	t.Logf("sequence accuracy %.3f", acc)
	if acc < 0.75 {
		t.Fatalf("sequence accuracy %.3f", acc)
	}
}

func TestCancelAndDivergence(t *testing.T) {
	c := smallConfig()
	m, err := New(c, 32, 4)
	if err != nil {
		t.Fatal(err)
	}
	set := synthetic(100, 32, 4, 6)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.TrainEpoch(ctx, set, nil); err == nil {
		t.Fatal("cancelled context not honoured")
	}
	m.wIn[0] = float32(math.Inf(1))
	for i := range m.layers[0].out.w {
		m.layers[0].out.w[i] = float32(math.NaN())
	}
	if _, err := m.TrainEpoch(context.Background(), set, nil); err == nil {
		t.Fatal("divergence not detected")
	}
}

func TestAccessors(t *testing.T) {
	c := smallConfig()
	m, err := New(c, 32, 4)
	if err != nil {
		t.Fatal(err)
	}
	set := synthetic(10, 32, 4, 7)
	rf := m.ReceptiveFields()
	if len(rf) != 4 || len(rf[0]) != 32 {
		t.Fatal("receptive field shape")
	}
	r, _ := m.Raster(set.Sample(0))
	if len(r) != 3 {
		t.Fatal("raster layers")
	}
	if len(m.Projections()) != 5 { // rec×2, ff×1, out×2
		t.Fatalf("projections %d", len(m.Projections()))
	}
	if rates := m.FiringRates(set.X, set.N); len(rates) != 3 || rates[0] <= 0 {
		t.Fatalf("rates %v", rates)
	}
}

func TestTaskDefaults(t *testing.T) {
	for _, name := range []string{"mnist", "fashion-mnist", "smnist", "cue", "cue-accumulation", "other"} {
		if err := TaskDefaults(name).Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !reflect.DeepEqual(TaskDefaults("other"), DefaultConfig()) || !reflect.DeepEqual(TaskDefaults("mnist"), DefaultConfig()) {
		t.Error("mnist and unknown names must get DefaultConfig")
	}
	if c := TaskDefaults("cue"); !reflect.DeepEqual(c, TaskDefaults("cue-accumulation")) || c.AdaptBeta == 0 || !c.EligWindow {
		t.Errorf("cue defaults: %+v", c)
	}
}

// TestShiftImage checks the translation against hand-shifted images and that
// the shifts drawn cover [−s, s]² uniformly enough to include every offset.
func TestShiftImage(t *testing.T) {
	// 3×3 image with distinct values
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	want := map[[2]int][]float32{
		{0, 0}:  {1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 0}:  {0, 1, 2, 0, 4, 5, 0, 7, 8},
		{-1, 0}: {2, 3, 0, 5, 6, 0, 8, 9, 0},
		{0, 1}:  {0, 0, 0, 1, 2, 3, 4, 5, 6},
		{1, -1}: {0, 4, 5, 0, 7, 8, 0, 0, 0},
	}
	seen := map[[2]int]bool{}
	sl := &slot{}
	for idx := uint64(0); idx < 400; idx++ {
		got := shiftImage(sl, x, 3, 3, 1, 12345, idx)
		// recover the shift from where pixel 5 (centre) went
		var d [2]int
		found := false
		for p, v := range got {
			if v == 5 {
				d = [2]int{p%3 - 1, p/3 - 1}
				found = true
			}
		}
		if !found {
			t.Fatalf("centre pixel lost: %v", got)
		}
		seen[d] = true
		if w, ok := want[d]; ok && !reflect.DeepEqual(got, w) {
			t.Fatalf("shift %v: got %v, want %v", d, got, w)
		}
		if again := shiftImage(&slot{}, x, 3, 3, 1, 12345, idx); !reflect.DeepEqual(again, got) {
			t.Fatal("same key and index give different shifts")
		}
	}
	if len(seen) != 9 {
		t.Fatalf("saw %d of the 9 offsets in [−1, 1]²", len(seen))
	}
}
