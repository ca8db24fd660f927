package network

import "testing"

// TestProbeReadsWeights runs a plastic network on 3 workers with a probe
// that reads every weight; under -race it proves the probe never overlaps
// a worker's delivery (which changes weights), and the weights it sees at
// the end equal those after Run.
func TestProbeReadsWeights(t *testing.T) {
	n, _ := recurrent(t, 11, true)
	if err := n.Build(3); err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	var last float64
	n.Run(200, func(step uint64, k int) {
		last = 0
		for _, pr := range n.Projections() {
			for _, w := range pr.Conn.W {
				last += float64(w)
			}
		}
	})
	var after float64
	for _, pr := range n.Projections() {
		for _, w := range pr.Conn.W {
			after += float64(w)
		}
	}
	if last != after {
		t.Errorf("probe saw weight sum %v at the last step, %v after Run", last, after)
	}
	if n.Step() != 200 {
		t.Errorf("Step() = %d after 200 steps", n.Step())
	}
}
