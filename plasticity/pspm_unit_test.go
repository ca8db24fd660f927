package plasticity

import (
	"math/rand/v2"
	"testing"
)

// TestPSPMEvents checks PSPM's two events on one synapse: an unwanted
// spike after a presynaptic spike depresses, a missed desired spike after
// one potentiates, a paired spike (within ±Window) changes nothing, a
// presynaptic spike outside the pool window changes nothing.
func TestPSPMEvents(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		name            string
		window, pool    int
		actual, desired []int32
		want            float32
	}{
		{"unwanted", 0, 5, []int32{12}, nil, -1},
		{"missed", 0, 5, nil, []int32{12}, 1},
		{"paired within window", 2, 5, []int32{12}, []int32{14}, 0},
		{"1 step off, window 0", 0, 5, []int32{12}, []int32{13}, -1},
		{"pre too early", 0, 5, []int32{30}, nil, 0},
		{"pre in long pool", 0, 25, []int32{30}, nil, -1},
	} {
		p := NewPSPM()
		p.Frac, p.Window, p.Pool = 1, c.window, c.pool
		h := newHarness(t, 1, 1, 0.5)
		p.Trial(h.c, h.cols, [][]int32{{10}}, [][]int32{c.actual}, [][]int32{c.desired}, r)
		if got, want := h.c.W[0]-0.5, c.want*p.Delta; got-want > 1e-6 || want-got > 1e-6 {
			t.Errorf("%s: Δw = %v, want %v", c.name, got, want)
		}
	}
}

// TestPSPMFirstError checks that with First only the earliest error is
// corrected and without it every error is: two presynaptic neurons, each
// in the pool of one of two unwanted spikes.
func TestPSPMFirstError(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		first bool
		want  [2]float32 // Δw of pre 0 and pre 1, in units of Delta
	}{
		{true, [2]float32{-1, 0}},
		{false, [2]float32{-1, -1}},
	} {
		p := NewPSPM()
		p.Frac, p.Pool, p.First = 1, 5, c.first
		h := newHarness(t, 2, 1, 0.5)
		pre := [][]int32{{10}, {40}}
		p.Trial(h.c, h.cols, pre, [][]int32{{12, 42}}, [][]int32{{}}, r)
		for i := range 2 {
			if got, want := h.c.W[i]-0.5, c.want[i]*p.Delta; got-want > 1e-6 || want-got > 1e-6 {
				t.Errorf("First=%v pre %d: Δw = %v, want %v", c.first, i, got, want)
			}
		}
	}
}

// TestPSPMScale checks the homeostatic part: with no local updates, a
// neuron that fired 2 spikes against 4 desired has its weights multiplied
// by 1 + Scale·(4−2)/4.
func TestPSPMScale(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	p := NewPSPM()
	p.Delta, p.Scale = 0, 0.1
	h := newHarness(t, 1, 1, 0.5)
	p.Trial(h.c, h.cols, [][]int32{{}}, [][]int32{{10, 50}}, [][]int32{{10, 30, 50, 70}}, r)
	if got, want := h.c.W[0], float32(0.5*(1+0.1*0.5)); got-want > 1e-6 || want-got > 1e-6 {
		t.Errorf("w = %v, want %v", got, want)
	}
}
