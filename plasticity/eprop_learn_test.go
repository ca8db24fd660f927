package plasticity_test

import (
	"testing"

	"github.com/engram-lab/engram/bench/rules"
)

// TestEPropLearnsRates checks that the factorized three-factor rule learns
// a target rate for each of four input patterns from one scalar learning
// signal M = ρ* − r̂ (rules.LearnRates).
func TestEPropLearnsRates(t *testing.T) {
	r := rules.LearnRates(rules.DefaultRateTask())
	t.Log(r)
	if !r.Holds() {
		t.Errorf("target rates not learnt: %v", r)
	}
}
