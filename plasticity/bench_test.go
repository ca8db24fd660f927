package plasticity

import (
	"fmt"
	"testing"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/synapse"
)

// benchSizes are the matrix shapes of the rule benchmarks: all-to-all
// n×n projections with 1e4 and 1e6 synapses.
var benchSizes = []struct {
	name string
	n    int
}{{"1e4", 100}, {"1e6", 1000}}

// benchRate is the Poisson firing probability per step of every pre- and
// postsynaptic neuron in the benchmarks: 10 Hz at dt = 1 ms, a typical
// cortical rate.
const benchRate = 0.01

// benchSteps is the length of the pre-generated spike trains the
// benchmarks cycle through (so that drawing spikes costs nothing).
const benchSteps = 256

// allToAll returns an nPre×nPost all-to-all matrix with weights 0.5.
func allToAll(tb testing.TB, nPre, nPost int) (*synapse.CSR, *synapse.Columns) {
	tb.Helper()
	e := make([]synapse.Edge, 0, nPre*nPost)
	for i := 0; i < nPre; i++ {
		for j := 0; j < nPost; j++ {
			e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j), W: 0.5, Delay: 1})
		}
	}
	c, err := synapse.FromEdges(nPre, nPost, e)
	if err != nil {
		tb.Fatal(err)
	}
	return c, c.BuildColumns()
}

// benchTrains returns benchSteps steps of Poisson spike flags for n
// neurons at benchRate.
func benchTrains(n int, name string) [][]uint8 {
	r := rng.Named(1, name)
	out := make([][]uint8, benchSteps)
	for t := range out {
		out[t] = make([]uint8, n)
		for i := range out[t] {
			if r.Float64() < benchRate {
				out[t][i] = 1
			}
		}
	}
	return out
}

// BenchmarkRule measures one engine time step (dt = 1 ms) of every
// registered rule on an all-to-all projection of 1e4 and 1e6 synapses
// with 10 Hz Poisson pre- and postsynaptic firing, called as the engine
// calls it with one worker (Advance, OnPre per presynaptic spike, OnPost per
// postsynaptic spike, SynapseStep for modulated rules, whose third factor is
// held at 0.1 so that their per-step synapse pass is not skipped).
// Reported: syn-steps/s = synapses × steps / wall time (the simulated
// synapse throughput) and allocations per step (0 required).
//
//	go test -run '^$' -bench BenchmarkRule -benchmem ./plasticity/
func BenchmarkRule(b *testing.B) {
	for _, name := range Names() {
		for _, sz := range benchSizes {
			b.Run(fmt.Sprintf("%s/syn=%s", name, sz.name), func(b *testing.B) {
				c, cols := allToAll(b, sz.n, sz.n)
				r, err := New(name)
				if err != nil {
					b.Fatal(err)
				}
				r.Init(c, 1)
				m, _ := r.(Modulated)
				if m != nil {
					m.SetModulator(0.1)
				}
				pre, post := benchTrains(sz.n, "bench/pre"), benchTrains(sz.n, "bench/post")
				prevPre, prevPost := make([]uint8, sz.n), make([]uint8, sz.n)
				b.ReportAllocs()
				b.ResetTimer()
				for k := 0; k < b.N; k++ {
					t := k % benchSteps
					r.AdvancePre(0, c.NPre, prevPre)
					r.AdvancePost(0, c.NPost, prevPost)
					for i, s := range pre[t] {
						if s != 0 {
							lo, hi := c.Row(i)
							r.OnPre(c, i, lo, hi)
						}
					}
					for j, s := range post[t] {
						if s != 0 {
							p0, p1 := cols.Ptr[j], cols.Ptr[j+1]
							r.OnPost(c, j, cols.Syn[p0:p1], cols.Pre[p0:p1])
						}
					}
					if m != nil {
						m.SynapseStep(c, cols, 0, c.NPost)
					}
					prevPre, prevPost = pre[t], post[t]
				}
				b.StopTimer()
				b.ReportMetric(float64(c.Len())*float64(b.N)/b.Elapsed().Seconds(), "syn-steps/s")
			})
		}
	}
}
