package rules

import (
	"math"
	"testing"
)

// TestMultiScalePerturbations logs the recovery table of every controller
// for the gain ×3 and 20 %-silencing steps and checks what holds for both
// in our runs (seed 1): the multi-scale controller recovers, and faster
// than every single scale. (Whether its overshoot is also the smallest is
// reported by the bench row, not asserted: with silencing it is not.)
func TestMultiScalePerturbations(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 5 × 240 s of 20 neurons per perturbation")
	}
	for _, p := range []Perturbation{GainX3, Silence20} {
		tb := MultiScalePerturbed(p, 120, 1)
		t.Logf("%s\n%s", p, tb)
		multi := tb[len(tb)-1]
		if math.IsInf(multi.Recovery, 1) {
			t.Errorf("%s: multi-scale never recovers", p)
		}
		for _, r := range tb[:len(tb)-1] {
			if r.Recovery <= multi.Recovery {
				t.Errorf("%s: %s recovers in %.0f s, multi-scale in %.0f s", p, r.Name, r.Recovery, multi.Recovery)
			}
		}
	}
}
