package continual

import (
	"math/rand/v2"
	"testing"

	"github.com/engram-lab/engram/rate"
)

// TestExtendTwoTasksDeflation: a second Extend on new data, whose residual
// is deflated neuron by neuron, must keep the whole basis orthonormal,
// return the captured fraction that Captured measures independently, and
// reach the energy target on data of full rank 12 (so the neurons are
// recruited in several chunks).
func TestExtendTwoTasksDeflation(t *testing.T) {
	const D, n = 12, 1500
	r := rand.New(rand.NewPCG(5, 6))
	// task a: energy mostly in dims 0–5; task b: in dims 4–11; every dim
	// has some variance so the data are full rank
	gen := func(hi []int) []float32 {
		x := make([]float32, n*D)
		for i := 0; i < n; i++ {
			for d := 0; d < D; d++ {
				sd := 0.1
				for _, h := range hi {
					if h == d {
						sd = 1 + 0.3*float64(d%4)
					}
				}
				x[i*D+d] = float32(r.NormFloat64() * sd)
			}
		}
		return x
	}
	a, b := gen([]int{0, 1, 2, 3, 4, 5}), gen([]int{4, 5, 6, 7, 8, 9, 10, 11})
	c := DefaultHLOP()
	c.Chunk, c.Epochs, c.Energy = 2, 20, 0.95
	s := &Subspace{D: D}
	for i, x := range [][]float32{a, b} {
		kept, capd := s.Extend(x, n, c, r)
		if kept == 0 || capd < c.Energy {
			t.Fatalf("task %d: kept %d, captured %.4f < %.2f", i, kept, capd, c.Energy)
		}
		if m := s.Captured(x, n); m < capd-1e-4 || m > capd+1e-4 {
			t.Errorf("task %d: Extend reports %.5f captured, Captured measures %.5f", i, capd, m)
		}
		if o := s.Orthonormality(); o > 1e-4 {
			t.Errorf("task %d: max |HHᵀ−I| = %v after deflated recruitment", i, o)
		}
	}
	// task a's data stay protected after task b's neurons were added
	if m := s.Captured(a, n); m < c.Energy {
		t.Errorf("task a captured %.4f after task b, want ≥ %.2f", m, c.Energy)
	}
	v := make([]float32, D)
	copy(v, b[:D])
	s.Project(v, 1)
	if rate.Norm(v) > 0.5*rate.Norm(b[:D]) {
		t.Errorf("projection kept %.2f of a task-b sample", rate.Norm(v)/rate.Norm(b[:D]))
	}
}

// TestEnergyTarget: the unprotected energy 1 − E shrinks linearly with the
// task index down to a tenth of its first value.
func TestEnergyTarget(t *testing.T) {
	cases := []struct {
		step, e float64
		task    int
		want    float64
	}{
		{0.1, 0.97, 0, 0.97},
		{0.1, 0.97, 1, 0.973},
		{0.1, 0.97, 9, 0.997},
		{0.1, 0.97, 20, 0.997}, // floor: 10 % of 1 − E
		{0.1, 0.99, 5, 0.995},
		{0, 0.97, 9, 0.97}, // fixed target
	}
	for _, c := range cases {
		h := HLOPConfig{EnergyStep: c.step}
		if got := h.target(c.e, c.task); !near(got, c.want, 1e-12) {
			t.Errorf("step %v, E %v, task %d: target %v, want %v", c.step, c.e, c.task, got, c.want)
		}
	}
}
