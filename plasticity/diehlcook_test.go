package plasticity_test

import (
	"testing"

	"github.com/engram-lab/engram/bench/rules"
)

// TestDiehlCookUnsupervised checks a small version of Diehl & Cook (2015):
// after unsupervised training with DiehlCook STDP, lateral inhibition, an
// adaptive threshold and weight normalisation, labels assigned from the
// neurons' responses classify 10 noisy patterns far better than the same
// procedure on the initial random weights (rules.DiehlCookTask).
func TestDiehlCookUnsupervised(t *testing.T) {
	r := rules.DiehlCookTask(500, 1)
	t.Log(r)
	if !r.Holds() {
		t.Errorf("Diehl & Cook: %v", r)
	}
}
