package rules

import (
	"fmt"
	"math"
	"strings"
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

// TestMultiScaleSeedsAverages checks that the seeded table's means are the
// per-seed values averaged, that a controller that never recovers on one
// seed has an infinite mean recovery, and that Summary counts the seeds on
// which the claim holds alone.
func TestMultiScaleSeedsAverages(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 2 seeds × 5 controllers × 150 s")
	}
	st := MultiScaleSeeds(DriveUp50, 30, []uint64{1, 2})
	for i, m := range st.Mean {
		a, b := st.Each[0][i], st.Each[1][i]
		if math.Abs(m.Overshoot-(a.Overshoot+b.Overshoot)/2) > 1e-12 || math.Abs(m.Peak-(a.Peak+b.Peak)/2) > 1e-12 {
			t.Errorf("%s: mean overshoot/peak %v/%v from %v, %v", m.Name, m.Overshoot, m.Peak, a, b)
		}
		inf := math.IsInf(a.Recovery, 1) || math.IsInf(b.Recovery, 1)
		if inf != math.IsInf(m.Recovery, 1) || (!inf && math.Abs(m.Recovery-(a.Recovery+b.Recovery)/2) > 1e-12) {
			t.Errorf("%s: mean recovery %v from %v and %v", m.Name, m.Recovery, a.Recovery, b.Recovery)
		}
	}
	held := 0
	for _, e := range st.Each {
		if e.Holds() {
			held++
		}
	}
	if want := fmt.Sprintf("holds on %d of 2 seeds alone", held); !strings.Contains(st.Summary(), want) {
		t.Errorf("summary %q lacks %q", st.Summary(), want)
	}
}
