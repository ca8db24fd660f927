package network_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/engram-lab/engram/netspec"
)

// benchSpec runs the Brette et al. (2007) benchmark network of
// examples/<name>.toml (4000 neurons, p = 0.02, dt = 0.1 ms) for b.N
// chunks of 100 ms biological time after a 100 ms warm-up, with 1 and 2
// workers. Synaptic events are counted from the engine's spike lists (a
// probe that reads ForEachSpiked, as netspec's spike monitors do).
func benchSpec(b *testing.B, name string) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			if workers > runtime.GOMAXPROCS(0) {
				b.Skipf("GOMAXPROCS %d < %d workers", runtime.GOMAXPROCS(0), workers)
			}
			s, err := netspec.Load(filepath.Join("..", "examples", name+".toml"))
			if err != nil {
				b.Fatal(err)
			}
			s.Workers = workers
			s.MinNeuronsPerWorker = 0 // split even this small network: the test is about worker counts
			s.Monitor = nil
			net, _, err := s.Build()
			if err != nil {
				b.Fatal(err)
			}
			defer net.Close()
			pops := net.Populations()
			// out-degree per population neuron, summed over projections
			outdeg := make([][]int64, len(pops))
			for i, p := range pops {
				outdeg[i] = make([]int64, p.Len())
				for _, pr := range net.Projections() {
					if pr.Pre == p {
						for r := range outdeg[i] {
							a, c := pr.Conn.Row(r)
							outdeg[i][r] += int64(c - a)
						}
					}
				}
			}
			var events int64
			probe := func(_ uint64, k int) {
				for i, p := range pops {
					p.ForEachSpiked(k, func(j int) { events += outdeg[i][j] })
				}
			}
			const chunk = 1000 // steps = 100 ms at dt 0.1 ms
			net.Run(chunk, probe)
			events = 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := net.Run(chunk, probe); err != nil {
					b.Fatal(err)
				}
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(events)/sec, "syn-events/s")
			b.ReportMetric(float64(b.N)*chunk*float64(s.Dt)/1000/sec, "sim-s/wall-s")
		})
	}
}

// BenchmarkCOBA is benchmark 1 of Brette et al. (2007) (examples/coba.toml).
func BenchmarkCOBA(b *testing.B) { benchSpec(b, "coba") }

// BenchmarkCUBA is benchmark 2 of Brette et al. (2007) (examples/cuba.toml).
func BenchmarkCUBA(b *testing.B) { benchSpec(b, "cuba") }
