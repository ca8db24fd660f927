package network_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/engram-lab/engram/netspec"
	"github.com/engram-lab/engram/plasticity"
)

// cobaSTDP builds examples/coba.toml with rule on every projection, weight
// bounds [0, 100] nS (the benchmark's 6 and 67 nS stay unclipped).
func cobaSTDP(tb testing.TB, rule string, workers int) *netspec.Spec {
	s, err := netspec.Load(filepath.Join("..", "examples", "coba.toml"))
	if err != nil {
		tb.Fatal(err)
	}
	s.Workers = workers
	s.MinNeuronsPerWorker = 0 // split even this small network: the test is about worker counts
	s.Monitor = s.Monitor[:1] // spikes of E
	for i := range s.Projection {
		s.Projection[i].Rule = rule
		s.Projection[i].RuleParams = netspec.Table{"w": map[string]any{"min": 0.0, "max": 100.0}}
	}
	return s
}

// TestCOBALazySTDPMatchesEager runs the 4000-neuron COBA benchmark with
// STDP on all four projections, eager and lazy, with 1 and 2 workers, for
// 400 ms and checks identical spikes and bit-identical weights.
func TestCOBALazySTDPMatchesEager(t *testing.T) {
	if testing.Short() {
		t.Skip("4000-neuron network")
	}
	run := func(rule string, workers int) ([]int32, [][]float32) {
		s := cobaSTDP(t, rule, workers)
		net, mons, err := s.Build()
		if err != nil {
			t.Fatal(err)
		}
		defer net.Close()
		net.Run(4000, mons.Probe)
		net.Flush()
		var ws [][]float32
		for _, pr := range net.Projections() {
			ws = append(ws, pr.Conn.W)
		}
		_, ids := mons.Spikes("E")
		return ids, ws
	}
	refIDs, refW := run("stdp", 1)
	if len(refIDs) < 1000 {
		t.Fatalf("only %d spikes", len(refIDs))
	}
	changed := 0
	for _, w := range refW[0] { // EE, drawn as 6 nS
		if w != 6 {
			changed++
		}
	}
	if changed < len(refW[0])/10 {
		t.Fatalf("STDP changed only %d of %d weights", changed, len(refW[0]))
	}
	for _, workers := range []int{1, 2} {
		ids, ws := run("stdp-lazy", workers)
		if len(ids) != len(refIDs) {
			t.Errorf("workers=%d: %d spikes, eager %d", workers, len(ids), len(refIDs))
		}
		for k := range ws {
			for s := range ws[k] {
				if math.Float32bits(ws[k][s]) != math.Float32bits(refW[k][s]) {
					t.Fatalf("workers=%d: projection %d synapse %d: %v, eager %v", workers, k, s, ws[k][s], refW[k][s])
				}
			}
		}
	}
}

// BenchmarkCOBASTDP runs the Brette et al. (2007) COBA network
// (examples/coba.toml) with pair STDP on all four projections, eager
// (stdp: column index) and lazy (stdp-lazy: postsynaptic spike histories),
// 1 worker, for b.N chunks of 100 ms after a 100 ms warm-up. The weight
// bounds are [0, 100] nS so that the benchmark's weights (6 and 67 nS)
// stay unclipped and the network keeps firing; A± are STDP's defaults in
// nS. It reports the lazy rule's catch-ups per simulated second.
func BenchmarkCOBASTDP(b *testing.B) {
	for _, rule := range []string{"stdp", "stdp-lazy"} {
		b.Run("rule="+rule, func(b *testing.B) {
			s := cobaSTDP(b, rule, 1)
			s.Monitor = nil
			net, _, err := s.Build()
			if err != nil {
				b.Fatal(err)
			}
			defer net.Close()
			const chunk = 1000 // steps = 100 ms at dt 0.1 ms
			net.Run(chunk, nil)
			catches := func() (n int64) {
				for _, pr := range net.Projections() {
					if l, ok := pr.Rule.(*plasticity.LazySTDP); ok {
						n += l.CatchUps()
					}
				}
				return n
			}
			c0 := catches()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				net.Run(chunk, nil)
			}
			b.StopTimer()
			simS := float64(b.N) * chunk * float64(s.Dt) / 1000
			b.ReportMetric(simS/b.Elapsed().Seconds(), "sim-s/wall-s")
			b.ReportMetric(float64(catches()-c0)/simS, "catch-ups/sim-s")
		})
	}
}
