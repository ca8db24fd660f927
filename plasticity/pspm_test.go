package plasticity_test

import (
	"testing"

	"github.com/engram-lab/engram/bench/rules"
)

// TestPSPMTeacherStudent checks the claim of Bagley et al. (2018): PSPM
// brings a student network's spike trains closer to a teacher's (van
// Rossum distance falls by more than 20 %), while the learnt weights need
// not match the teacher's (rules.PSPMTask).
func TestPSPMTeacherStudent(t *testing.T) {
	r := rules.PSPMTask(400, 1)
	t.Log(r)
	if !r.Holds() {
		t.Errorf("PSPM: %v", r)
	}
}
