package rules

import (
	"testing"

	"github.com/engram-lab/engram/plasticity"
)

// TestDistalWorkersIdentical runs a small distal-reward network with one
// and with two workers: R-STDP's lazy eligibility must give identical
// results.
func TestDistalWorkersIdentical(t *testing.T) {
	cfg := DefaultDistal()
	cfg.NE, cfg.NI, cfg.M, cfg.Seconds, cfg.Warmup = 160, 40, 20, 20, 2
	var res [2]DistalResult
	for w := 1; w <= 2; w++ {
		cfg.Workers = w
		r, err := Distal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		res[w-1] = r
	}
	t.Log(res[0])
	if res[0] != res[1] {
		t.Errorf("1 worker: %v\n2 workers: %v", res[0], res[1])
	}
}

// TestClaimsCoverRules checks that every registered rule but the
// nearest-neighbour STDP variant has a claim.
func TestClaimsCoverRules(t *testing.T) {
	have := map[string]bool{}
	for _, c := range Claims() {
		if have[c.Rule] {
			t.Errorf("duplicate claim for %s", c.Rule)
		}
		have[c.Rule] = true
	}
	for _, n := range plasticity.Names() {
		// stdp-nearest is stdp's pairing variant; the lazy rules store
		// stdp's updates differently (no column index) and their claim —
		// weights bit-identical to the eager rule — is asserted by
		// network.TestLazySTDPMatchesEager on whole networks.
		if !have[n] && n != "stdp-nearest" && n != "stdp-lazy" && n != "stdp-nearest-lazy" {
			t.Errorf("rule %s has no claim", n)
		}
	}
}
