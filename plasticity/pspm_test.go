package plasticity_test

import (
	"testing"

	"github.com/engram-lab/engram/bench/rules"
)

// TestPSPMTeacherStudent checks the claim of Bagley et al. (2018) as the
// project states it: PSPM brings a recurrent LIF student's spike trains
// closer to a teacher's, the van Rossum distance falling by at least 50 %
// on every reported seed (rules.PSPMTask, 1000 trials; parameters chosen
// on seeds 101–105, reported on 1–3), while the learnt weights need not
// match the teacher's (their correlation is only logged). Under -short
// only seed 1 runs.
func TestPSPMTeacherStudent(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	rs, mean, sd := rules.PSPMSeeds(1000, seeds)
	for k, r := range rs {
		t.Logf("seed %d: %v", seeds[k], r)
		if !r.Holds() {
			t.Errorf("seed %d: distance fell %.0f %%, want ≥ 50 %%", seeds[k], 100*r.Drop())
		}
	}
	t.Logf("drop %.1f %% ± %.1f %% (mean ± sd over %d seeds)", 100*mean, 100*sd, len(seeds))
}

// TestPSPMHomeostasisAvalanches checks the paper's second claim: synaptic
// homeostasis alone learns the teacher's avalanche size distribution
// (measured on fresh inputs) but not its spike trains, which need PSPM's
// local updates (rules.PSPMHomeostasis).
func TestPSPMHomeostasisAvalanches(t *testing.T) {
	if testing.Short() {
		t.Skip("long: two 1000-trial runs")
	}
	r := rules.PSPMHomeostasis(1000, 1)
	t.Log(r)
	t.Logf("teacher %v", r.Teacher)
	t.Logf("before  %v", r.Before)
	t.Logf("homeo   %v", r.HomeoAv)
	t.Logf("both    %v", r.BothAv)
	if !r.Holds() {
		t.Errorf("PSPM homeostasis: %v", r)
	}
}
