package neuron

import (
	"math"
	"testing"
)

// TestRateStep: r(t) = f(x)(1 − e^{−t/τ}) from r = 0 under constant input,
// for each activation.
func TestRateStep(t *testing.T) {
	const dt = 0.1
	for _, c := range []struct {
		f    Activation
		x, y float64
	}{{Tanh, 0.7, math.Tanh(0.7)}, {ReLU, -0.5, 0}, {ReLU, 1.5, 1.5}, {Sigmoid, 0.3, 1 / (1 + math.Exp(-0.3))}, {Linear, -2, -2}} {
		p := DefaultRate()
		p.F = c.f
		p.Bias = 0.25
		m := NewRate(2, p)
		m.Init(dt, 0)
		in := Input{Exc: []float32{float32(c.x) - 0.25 + 0.1, float32(c.x) - 0.25}, Inh: []float32{0.1, 0}}
		out := make([]float32, 2)
		for s := 1; s <= 300; s++ {
			m.StepRate(0, 2, uint64(s), in, out)
			want := c.y * (1 - math.Exp(-float64(s)*dt/10))
			for i := range out {
				if math.Abs(float64(out[i])-want) > 2e-6 {
					t.Fatalf("f=%d x=%v step %d: r=%v want %v", c.f, c.x, s, out[i], want)
				}
			}
		}
	}
	// τ = 0: memoryless
	m := NewRate(1, RateParams{F: ReLU})
	m.Init(dt, 0)
	out := make([]float32, 1)
	m.StepRate(0, 1, 0, Input{Ext: []float32{3}}, out)
	if out[0] != 3 {
		t.Errorf("τ=0: r=%v want 3", out[0])
	}
}

// TestRatePartition: StepRate over [0,n) equals [k,n)+[0,k).
func TestRatePartition(t *testing.T) {
	const n = 50
	a, b := NewRate(n, DefaultRate()), NewRate(n, DefaultRate())
	a.Init(0.5, 0)
	b.Init(0.5, 0)
	in := zeroInput(n, constSlice(n, 0.2))
	oa, ob := make([]float32, n), make([]float32, n)
	for s := uint64(0); s < 200; s++ {
		randomInput(in, s, 2, 2)
		a.StepRate(0, n, s, in, oa)
		k := int(s*7) % n
		b.StepRate(k, n, s, in, ob)
		b.StepRate(0, k, s, in, ob)
		for i := range oa {
			if oa[i] != ob[i] {
				t.Fatalf("step %d unit %d", s, i)
			}
		}
	}
}
