package plasticity

import (
	"math/rand/v2"
	"testing"
)

// TestPSPMEvents checks PSPM's two events on one synapse: an unwanted
// spike after a presynaptic spike depresses, a missed desired spike after
// one potentiates, a matched spike (within the window) changes nothing.
func TestPSPMEvents(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	p := NewPSPM()
	p.Frac = 1
	for _, c := range []struct {
		name            string
		actual, desired []int32
		want            float32
	}{
		{"unwanted", []int32{12}, nil, -p.Delta},
		{"missed", nil, []int32{12}, p.Delta},
		{"matched", []int32{12}, []int32{14}, 0},
		{"pre too early", []int32{30}, nil, 0},
	} {
		h := newHarness(t, 1, 1, 0.5)
		p.Trial(h.c, h.cols, [][]int32{{10}}, [][]int32{c.actual}, [][]int32{c.desired}, r)
		if got := h.c.W[0] - 0.5; got-c.want > 1e-6 || c.want-got > 1e-6 {
			t.Errorf("%s: Δw = %v, want %v", c.name, got, c.want)
		}
	}
}
