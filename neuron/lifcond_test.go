package neuron

import (
	"math"
	"testing"
)

// TestCOBARelaxation: with conductances held constant (τe, τi → ∞) the
// voltage relaxes as v∞ + (v0 − v∞)e^{−t·gT/C}, which exponential Euler
// integrates exactly.
func TestCOBARelaxation(t *testing.T) {
	cases := []struct{ ge, gi, ext float32 }{
		{5, 5, 0}, {20, 0, 0}, {0, 30, 0}, {3, 7, 120}, {0, 0, 80},
	}
	for _, c := range cases {
		p := DefaultCOBA()
		p.TauE, p.TauI, p.VTh = 1e12, 1e12, 1e9
		const dt = 0.1
		m := NewCOBA(1, p)
		m.Init(dt, 0)
		if m.ae != 1 || m.ai != 1 {
			t.Fatal("conductances must not decay in this test")
		}
		in := zeroInput(1, []float32{c.ext})
		spk := make([]uint8, 1)
		gT := 10 + float64(c.ge+c.gi)
		vinf := (10*-60 + float64(c.ge)*0 + float64(c.gi)*-80 + float64(c.ext)) / gT
		maxErr := 0.0
		for s := 1; s <= 1000; s++ {
			in.Exc[0], in.Inh[0] = 0, 0
			if s == 1 {
				in.Exc[0], in.Inh[0] = c.ge, c.gi
			}
			m.Step(0, 1, uint64(s), in, spk)
			tt := float64(s) * dt
			want := vinf + (-60-vinf)*math.Exp(-tt*gT/200)
			maxErr = max(maxErr, math.Abs(float64(m.V[0])-want))
		}
		// float32 limit: each step rounds v by ≤ ½ ulp (3.8e-6 mV at 60 mV) and the
		// error contracts only by e^{−dt·gT/C} ≈ 0.98 per step: ≤ ~2e-4 mV.
		if maxErr > 3e-4 {
			t.Errorf("%+v: max |v − closed form| = %.2g mV", c, maxErr)
		}
		t.Logf("ge=%v gi=%v Iext=%v pA: v∞=%.3f mV, max error %.2g mV", c.ge, c.gi, c.ext, vinf, maxErr)
	}
}

// TestCOBAConductanceDecay: a conductance jump decays exactly as e^{−t/τ}.
func TestCOBAConductanceDecay(t *testing.T) {
	const dt = 0.1
	p := DefaultCOBA()
	m := NewCOBA(1, p)
	m.Init(dt, 0)
	in := zeroInput(1, nil)
	in.Exc[0], in.Inh[0] = 6, 67 // Brette 2007 COBA weights, nS
	spk := make([]uint8, 1)
	m.Step(0, 1, 0, in, spk)
	in.Exc[0], in.Inh[0] = 0, 0
	for s := 1; s < 300; s++ {
		m.Step(0, 1, uint64(s), in, spk)
	}
	tt := 300 * dt
	if e := math.Abs(float64(m.Ge[0]) - 6*math.Exp(-tt/5)); e > 1e-6 {
		t.Errorf("ge error %g", e)
	}
	if e := math.Abs(float64(m.Gi[0]) - 67*math.Exp(-tt/10)); e > 1e-5 {
		t.Errorf("gi error %g", e)
	}
}

// TestCOBAFICurve: with only a constant current the COBA neuron is an LIF
// with R = 1/gL = 100 MΩ and τm = C/gL = 20 ms, so its rate follows the LIF
// closed form with RI = Iext/gL.
func TestCOBAFICurve(t *testing.T) {
	const dt = 0.05
	currents := []float32{50, 99, 105, 120, 150, 200, 300, 500} // pA
	m := NewCOBA(len(currents), DefaultCOBA())
	m.Init(dt, 0)
	times := spikeTimes(m, dt, int(2000/dt), zeroInput(len(currents), currents))
	for i, I := range currents {
		want := fiRate(float64(I)/10, 10, 20, 5)
		if want == 0 {
			if len(times[i]) != 0 {
				t.Errorf("I=%v pA below rheobase: %d spikes", I, len(times[i]))
			}
			continue
		}
		got := 1000 / mean(isis(times[i])[1:])
		if math.Abs(got-want) > 0.01*want {
			t.Errorf("I=%v pA: rate %.3f Hz, closed form %.3f", I, got, want)
		}
		t.Logf("I=%v pA: rate %.3f Hz, closed form %.3f Hz", I, got, want)
	}
}
