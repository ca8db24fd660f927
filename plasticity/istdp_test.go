package plasticity_test

import (
	"testing"

	"github.com/engram-lab/engram/bench/rules"
)

// TestISTDPBalance checks the claim of Vogels, Sprekeler et al. (2011):
// inhibitory STDP on the I→E synapses of strongly driven LIF neurons brings
// their rate to ρ0 = 5 Hz and makes inhibition cancel most of the mean
// excitatory current (rules.Balance).
func TestISTDPBalance(t *testing.T) {
	r, err := rules.Balance(rules.DefaultBalance())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if !r.Holds() {
		t.Errorf("no balance: %v", r)
	}
}
