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

// TestProbeReadsStateStatic is TestProbeReadsWeights for a network without
// plasticity (the pipelined schedule): a probe reading every neuron's
// membrane potential and spike flag sees, at each step, the same values
// with 1, 2 and 3 workers, across Runs of uneven length; under -race it
// proves the probe never overlaps an update.
func TestProbeReadsStateStatic(t *testing.T) {
	var ref []float64
	for _, workers := range []int{1, 2, 3} {
		n, _ := recurrent(t, 13, false)
		if err := n.Build(workers); err != nil {
			t.Fatal(err)
		}
		var got []float64
		probe := func(step uint64, k int) {
			var sum float64
			for _, p := range n.Populations() {
				for _, v := range p.Model.State("v") {
					sum += float64(v)
				}
				for i, s := range p.Spiked(k) {
					sum += float64(s) * float64(i+1)
				}
			}
			got = append(got, sum)
		}
		for _, steps := range []int{1, 57, 0, 130} {
			n.Run(steps, probe)
		}
		n.Close()
		if len(got) != 188 {
			t.Fatalf("%d workers: probe called %d times, want 188", workers, len(got))
		}
		if ref == nil {
			ref = got
			continue
		}
		for i := range ref {
			if got[i] != ref[i] {
				t.Fatalf("%d workers: probe at step %d saw %v, 1 worker %v", workers, i, got[i], ref[i])
			}
		}
	}
}
