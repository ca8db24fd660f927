package homeostasis

import (
	"fmt"
	"testing"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/synapse"
)

// BenchmarkHomeostasis measures the mechanisms that act on synapses, per
// call, on all-to-all projections of 1e4 and 1e6 synapses: Normalize (one
// pass over every neuron's incoming weights, as after each sample in
// Hao 2020 / Diehl & Cook 2015; NormalizeRows is the same in row order) and Scaling.Step (one engine step at
// dt = 1 ms with 10 Hz Poisson postsynaptic spikes). Reported:
// syn-steps/s = synapses × calls / wall time, and allocations per call.
//
//	go test -run '^$' -bench BenchmarkHomeostasis -benchmem ./homeostasis/
func BenchmarkHomeostasis(b *testing.B) {
	for _, sz := range []struct {
		name string
		n    int
	}{{"1e4", 100}, {"1e6", 1000}} {
		e := make([]synapse.Edge, 0, sz.n*sz.n)
		for i := 0; i < sz.n; i++ {
			for j := 0; j < sz.n; j++ {
				e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j), W: 0.5, Delay: 1})
			}
		}
		c, err := synapse.FromEdges(sz.n, sz.n, e)
		if err != nil {
			b.Fatal(err)
		}
		cols := c.BuildColumns()
		r := rng.Named(1, "bench/post")
		spk := make([][]uint8, 256)
		for t := range spk {
			spk[t] = make([]uint8, sz.n)
			for j := range spk[t] {
				if r.Float64() < 0.01 {
					spk[t][j] = 1
				}
			}
		}
		report := func(b *testing.B) {
			b.ReportMetric(float64(c.Len())*float64(b.N)/b.Elapsed().Seconds(), "syn-steps/s")
		}
		b.Run(fmt.Sprintf("normalize/syn=%s", sz.name), func(b *testing.B) {
			b.ReportAllocs()
			for k := 0; k < b.N; k++ {
				Normalize(c, cols, 0, sz.n, float32(sz.n)/2)
			}
			report(b)
		})
		b.Run(fmt.Sprintf("normalize-rows/syn=%s", sz.name), func(b *testing.B) {
			scratch := make([]float32, sz.n)
			b.ReportAllocs()
			for k := 0; k < b.N; k++ {
				NormalizeRows(c, 0, sz.n, float32(sz.n)/2, scratch)
			}
			report(b)
		})
		b.Run(fmt.Sprintf("scaling/syn=%s", sz.name), func(b *testing.B) {
			target := make([]float32, sz.n)
			for j := range target {
				target[j] = 10
			}
			s := NewScaling(target, 1)
			s.Max = 1
			b.ReportAllocs()
			b.ResetTimer()
			for k := 0; k < b.N; k++ {
				s.Step(c, cols, 0, sz.n, spk[k%len(spk)])
			}
			report(b)
		})
	}
}
