package network

import (
	"slices"
	"testing"
)

// TestHomogeneousWeightsDeliverTheSame runs the static test network with
// one weight per projection stored per synapse and stored once
// (synapse.CSR.CompactWeights), with uniform and heterogeneous delays and
// 1 and 2 workers: rasters must be identical.
func TestHomogeneousWeightsDeliverTheSame(t *testing.T) {
	weights := []float32{3.1, 0.9, 1.7, 2.3} // in-e, e-e, e-i, i-e
	var ref map[string]*raster
	for _, workers := range []int{1, 2} {
		for _, compact := range []bool{false, true} {
			n, _ := recurrent(t, 9, false)
			for k, pr := range n.Projections() {
				for s := range pr.Conn.W {
					pr.Conn.W[s] = weights[k]
				}
				if compact && !pr.Conn.CompactWeights() {
					t.Fatalf("%s: equal weights did not compact", pr.Name)
				}
			}
			if err := n.Build(workers); err != nil {
				t.Fatal(err)
			}
			got := record(n, 400)
			n.Close()
			for _, pr := range n.Projections() {
				if pr.Conn.Homogeneous() != compact {
					t.Fatalf("%s: homogeneous %v after Build, want %v", pr.Name, pr.Conn.Homogeneous(), compact)
				}
			}
			if ref == nil {
				ref = got
				if len(got["e"].id) < 100 {
					t.Fatalf("only %d excitatory spikes", len(got["e"].id))
				}
				continue
			}
			for name, r := range ref {
				if !slices.Equal(r.step, got[name].step) || !slices.Equal(r.id, got[name].id) {
					t.Errorf("workers=%d compact=%v: population %s: %d spikes, reference %d", workers, compact, name, len(got[name].id), len(r.id))
				}
			}
		}
	}
}

// TestHomogeneousWeightsWithRule checks that a projection with a rule gets
// per-synapse weights back at Build (rules edit them).
func TestHomogeneousWeightsWithRule(t *testing.T) {
	n, _ := recurrent(t, 9, true)
	pr := n.Projections()[0]
	for s := range pr.Conn.W {
		pr.Conn.W[s] = 3.5
	}
	pr.Conn.CompactWeights()
	if err := n.Build(1); err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if pr.Conn.Homogeneous() || len(pr.Conn.W) != pr.Conn.Len() {
		t.Fatal("plastic projection has no per-synapse weights after Build")
	}
	n.Run(200, nil)
	if slices.Equal(pr.Conn.W, slices.Repeat([]float32{3.5}, pr.Conn.Len())) {
		t.Error("STDP changed no weight")
	}
}
