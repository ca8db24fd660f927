package plasticity_test

import (
	"testing"

	"github.com/engram-lab/engram/bench/rules"
)

// TestRSTDPDistalReward reproduces Izhikevich (2007, Fig. 1) with the
// engine: in an 800/200 network of Izhikevich neurons with R-STDP on the
// E→E synapses, rewarding one synapse 1–3 s after each of its pre→post
// pairings singles it out: it ends far above the mean and above at least
// 95 % of the other synapses (see rules.Distal for the set-up).
func TestRSTDPDistalReward(t *testing.T) {
	if testing.Short() {
		t.Skip("1000 s of network simulation (about 16 s of CPU)")
	}
	r, err := rules.Distal(rules.DefaultDistal())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if !r.Holds() {
		t.Errorf("rewarded synapse not singled out: %v", r)
	}
}
