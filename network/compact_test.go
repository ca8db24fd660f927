package network

import (
	"slices"
	"testing"

	"github.com/engram-lab/engram/connect"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/synapse"
)

// TestCompactTargetsMatchInt32 runs a network whose static projections have
// int32 targets and the same network with compact (uint16, paged) targets,
// and requires identical rasters: a target population of 140,000 neurons
// (three pages of 65,536), common and per-synapse delays, per-synapse and
// common weights, 1 and 2 workers.
func TestCompactTargetsMatchInt32(t *testing.T) {
	if testing.Short() {
		t.Skip("140,000-neuron network")
	}
	const seed, steps, nSrc, nTgt = 5, 120, 300, 140000
	build := func(perSynDelay, homW bool) *Network {
		n := New(1, seed)
		r := rng.Named(seed, "compact")
		in, _ := n.AddPopulation("in", &source{rate: 100, n: nSrc})
		p := neuron.DefaultLIF()
		e, _ := n.AddPopulation("e", neuron.NewLIF(nTgt, p))
		w := connect.Uniform(0, 30)
		if homW {
			w = connect.Uniform(12, 12)
		}
		c, err := connect.Build(connect.FixedProb{P: 0.004}, nSrc, nTgt, false, w, 2, r)
		if err != nil {
			t.Fatal(err)
		}
		if perSynDelay {
			ds := c.Delays()
			for s := range ds {
				ds[s] = uint16(1 + r.IntN(4))
			}
		}
		if homW && !c.CompactWeights() {
			t.Fatal("equal weights not compacted")
		}
		n.Connect("in-e", in, e, c, Exc, nil)
		return n
	}
	defer func() { compactStatic = true }()
	for _, perSynDelay := range []bool{false, true} {
		for _, homW := range []bool{false, true} {
			for _, workers := range []int{1, 2} {
				var rasters [2]map[string]*raster
				for k, compact := range []bool{false, true} {
					compactStatic = compact
					n := build(perSynDelay, homW)
					if err := n.Build(workers); err != nil {
						t.Fatal(err)
					}
					c := n.Projections()[0].Conn
					if c.Compacted() != compact || (compact && len(c.Page) != nSrc*(synapse.Pages(nTgt)-1)) {
						t.Fatalf("compact %v: Compacted %v, %d page entries", compact, c.Compacted(), len(c.Page))
					}
					rasters[k] = record(n, steps)
					n.Close()
				}
				a, b := rasters[0]["e"], rasters[1]["e"]
				if len(a.id) < 100 || !slices.Equal(a.id, b.id) || !slices.Equal(a.step, b.step) {
					t.Errorf("delays per synapse %v, common weight %v, %d workers: %d spikes with int32 targets, %d compact, or rasters differ",
						perSynDelay, homW, workers, len(a.id), len(b.id))
				}
				if maxID := slices.Max(a.id); maxID < 1<<17 {
					t.Errorf("no spike on the last page (largest id %d): the test does not reach it", maxID)
				}
			}
		}
	}
}
