package plasticity_test

import (
	"testing"

	"github.com/engram-lab/engram/bench/rules"
)

// TestSymSTDPSupervised checks a small version of Hao et al. (2020):
// symmetric STDP with incoming-weight normalisation and a teacher current
// on the label neuron learns to classify 10 noisy Poisson patterns
// (rules.SymSTDPTask): ≥ 90 % test accuracy, chance 10 %.
func TestSymSTDPSupervised(t *testing.T) {
	r := rules.SymSTDPTask(500, 1)
	t.Log(r)
	if !r.Holds() {
		t.Errorf("sym-STDP: %v", r)
	}
}
