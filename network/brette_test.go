package network_test

import (
	"hash/fnv"
	"path/filepath"
	"testing"

	"github.com/engram-lab/engram/netspec"
)

// TestBretteWorkerInvariance runs the COBA and CUBA benchmark networks
// (examples/*.toml; their models take the engine's fused step) for 200 ms
// with 1, 2 and 3 workers: the spike rasters must be identical, and the
// probe must see the end-of-interval state (v of a few neurons) identically
// and ForEachSpiked must list exactly the neurons Spiked flags.
func TestBretteWorkerInvariance(t *testing.T) {
	for _, name := range []string{"cuba", "coba"} {
		var ref uint64
		var refSpikes int
		for _, workers := range []int{1, 2, 3} {
			s, err := netspec.Load(filepath.Join("..", "examples", name+".toml"))
			if err != nil {
				t.Fatal(err)
			}
			s.Workers = workers
			s.MinNeuronsPerWorker = 0 // split even this small network: the test is about worker counts
			s.Monitor = nil
			net, _, err := s.Build()
			if err != nil {
				t.Fatal(err)
			}
			h := fnv.New64a()
			spikes := 0
			pops := net.Populations()
			v := pops[0].Model.State("v")
			var listed []int
			probe := func(step uint64, k int) {
				for pi, p := range pops {
					listed = listed[:0]
					p.ForEachSpiked(k, func(i int) { listed = append(listed, i) })
					for i, f := range p.Spiked(k) {
						if f != 0 {
							if len(listed) == 0 || listed[0] != i {
								t.Fatalf("%s: step %d: ForEachSpiked disagrees with Spiked at neuron %d", name, step, i)
							}
							listed = listed[1:]
							spikes++
							h.Write([]byte{byte(pi), byte(i), byte(i >> 8), byte(step), byte(step >> 8)})
						}
					}
					if len(listed) != 0 {
						t.Fatalf("%s: step %d: ForEachSpiked lists %v beyond Spiked", name, step, listed)
					}
				}
				if k == net.Interval()-1 {
					for _, x := range v[:4] {
						b := uint32(x * 1e4)
						h.Write([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24)})
					}
				}
			}
			if _, err := net.Run(1000, probe); err != nil {
				t.Fatal(err)
			}
			if _, err := net.Run(1000, probe); err != nil { // a second Run continues
				t.Fatal(err)
			}
			net.Close()
			sum := h.Sum64()
			if workers == 1 {
				ref, refSpikes = sum, spikes
				if spikes < 100 {
					t.Fatalf("%s: only %d spikes", name, spikes)
				}
				continue
			}
			if sum != ref || spikes != refSpikes {
				t.Errorf("%s: %d workers: %d spikes (hash %x), 1 worker: %d (hash %x)", name, workers, spikes, sum, refSpikes, ref)
			}
		}
		t.Logf("%s: %d spikes in 200 ms, identical for 1–3 workers", name, refSpikes)
	}
}
