package plasticity_test

import (
	"math"
	"testing"

	"github.com/engram-lab/engram/bench/rules"
	"github.com/engram-lab/engram/plasticity"
)

// TestMultSTDPUnimodal checks the claim of van Rossum, Bi & Turrigiano
// (2000): under the Poisson drive of TestSTDPBimodal (rules.SongDrive),
// where additive STDP splits the weights to the bounds, weight-dependent
// STDP gives one unimodal distribution, and it is stable: its mean and
// spread no longer move between 600 s and 1200 s.
func TestMultSTDPUnimodal(t *testing.T) {
	if testing.Short() {
		t.Skip("long reproduction")
	}
	var mid rules.Modality
	w, n := rules.SongDriveSnap(plasticity.NewMultSTDP(), 1200, 1, func(s int, w []float32) {
		if s == 600 {
			mid = rules.Modes(w)
		}
	})
	m := rules.Modes(w)
	t.Logf("600 s:  %+v", mid)
	t.Logf("1200 s: %+v (post spikes %d)", m, n)
	if !m.Unimodal {
		t.Errorf("multiplicative STDP not unimodal: %+v", m)
	}
	if math.Abs(m.Mean-mid.Mean) > 0.02 || math.Abs(m.SD-mid.SD) > 0.02 {
		t.Errorf("distribution still moving: %+v at 600 s, %+v at 1200 s", mid, m)
	}
}
