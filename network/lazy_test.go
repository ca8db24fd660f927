package network

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/engram-lab/engram/connect"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/neuron"
	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/synapse"
)

// stdpNet builds an E/I network like recurrent's, with the rule made by
// rule on the input and recurrent excitatory projections (heterogeneous
// delays), at time step dt (ms).
func stdpNet(t testing.TB, seed uint64, dt float32, rule func() plasticity.Rule) *Network {
	t.Helper()
	n := New(dt, seed)
	r := rng.Named(seed, "test/structure")
	in, _ := n.AddPopulation("in", &source{rate: 40, n: 200})
	p := neuron.DefaultLIF()
	p.EL, p.VInit = -60, -60
	e, _ := n.AddPopulation("e", neuron.NewLIF(300, p))
	i, _ := n.AddPopulation("i", neuron.NewLIF(80, p))
	mk := func(pat connect.Pattern, a, b *Population, w float32, maxDelay int) *synapse.CSR {
		c, err := connect.Build(pat, a.Len(), b.Len(), a == b, connect.Uniform(0, w), 1, r)
		if err != nil {
			t.Fatal(err)
		}
		ds := c.Delays()
		for s := range ds {
			ds[s] = uint16(1 + r.IntN(maxDelay))
		}
		c.Compact()
		return c
	}
	must := func(_ *Projection, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(n.Connect("in-e", in, e, mk(connect.FixedProb{P: 0.1}, in, e, 4, 1), Exc, rule()))
	must(n.Connect("e-e", e, e, mk(connect.FixedProb{P: 0.05}, e, e, 1.2, 3), Exc, rule()))
	must(n.Connect("e-i", e, i, mk(connect.FixedProb{P: 0.1}, e, i, 2, 2), Exc, nil))
	must(n.Connect("i-e", i, e, mk(connect.FixedProb{P: 0.2}, i, e, 3, 2), Inh, nil))
	return n
}

// TestLazySTDPMatchesEager runs the same random network with STDP and with
// LazySTDP (same parameters) and checks that rasters and weights (after
// Flush, at several points of the run) are bit-identical, for 1 to 3
// workers, all-to-all and nearest pairing, with histories so short that
// catch-ups happen all the time and bounds that bind (the input weights
// start up to 4, above the upper bound 3).
func TestLazySTDPMatchesEager(t *testing.T) {
	for _, tc := range []struct {
		dt      float32
		nearest bool
		history int
	}{
		{1, false, 16}, {1, false, 2}, {1, true, 3}, {0.25, false, 4}, {0.25, true, 16},
	} {
		t.Run(fmt.Sprintf("dt=%g,nearest=%v,history=%d", tc.dt, tc.nearest, tc.history), func(t *testing.T) {
			set := func(s *plasticity.STDP) {
				s.W = plasticity.Bounds{Min: 0, Max: 3}
				s.APlus, s.AMinus = 0.08, 0.085
				s.Nearest = tc.nearest
			}
			eager := func() plasticity.Rule { s := plasticity.NewSTDP(); set(s); return s }
			lazy := func() plasticity.Rule {
				s := plasticity.NewLazySTDP()
				set(&s.STDP)
				s.History = tc.history
				return s
			}
			steps := int(300 / tc.dt)
			type result struct {
				r map[string]*raster
				w [][]float32
			}
			run := func(rule func() plasticity.Rule, workers int) result {
				n := stdpNet(t, 3, tc.dt, rule)
				if err := n.Build(workers); err != nil {
					t.Fatal(err)
				}
				defer n.Close()
				var res result
				res.r = map[string]*raster{}
				for seg := 0; seg < 3; seg++ {
					for name, r := range record(n, steps) {
						if res.r[name] == nil {
							res.r[name] = &raster{}
						}
						res.r[name].step = append(res.r[name].step, r.step...)
						res.r[name].id = append(res.r[name].id, r.id...)
					}
					n.Flush()
					for _, pr := range n.Projections()[:2] {
						res.w = append(res.w, slices.Clone(pr.Conn.W))
					}
				}
				return res
			}
			ref := run(eager, 1)
			if len(ref.r["e"].id) < 200 {
				t.Fatalf("only %d excitatory spikes: the network is too quiet to test anything", len(ref.r["e"].id))
			}
			last := ref.w[len(ref.w)-2:]
			atMax, atMin := 0, 0
			for _, w := range last {
				for _, x := range w {
					if x == 3 {
						atMax++
					}
					if x == 0 {
						atMin++
					}
				}
			}
			if atMax == 0 || atMin == 0 {
				t.Fatalf("%d weights at the upper and %d at the lower bound: the bounds do not bind", atMax, atMin)
			}
			for _, workers := range []int{1, 2, 3} {
				got := run(lazy, workers)
				for name, r := range ref.r {
					if !slices.Equal(r.step, got.r[name].step) || !slices.Equal(r.id, got.r[name].id) {
						t.Errorf("workers=%d: population %s: %d spikes, eager STDP %d", workers, name, len(got.r[name].id), len(r.id))
					}
				}
				for k := range ref.w {
					if d := firstDiff(ref.w[k], got.w[k]); d >= 0 {
						t.Errorf("workers=%d: checkpoint %d, projection %d: synapse %d weight %v, eager STDP %v", workers, k/2, k%2, d, got.w[k][d], ref.w[k][d])
					}
				}
			}
		})
	}
}

// firstDiff is the first index where a and b differ in bits, or −1.
func firstDiff(a, b []float32) int {
	if len(a) != len(b) {
		return 0
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestLazySTDPLongRun runs past 2^16 steps with histories too long to fill
// (5000 spikes), so every share catches up only to keep its history
// entries within 16 bits, with 2 workers, and checks the weights against
// eager STDP.
func TestLazySTDPLongRun(t *testing.T) {
	if testing.Short() {
		t.Skip("70000 steps")
	}
	set := func(s *plasticity.STDP) {
		s.W = plasticity.Bounds{Min: 0, Max: 3}
		s.APlus, s.AMinus = 0.08, 0.085
	}
	var ref [][]float32
	for _, lazy := range []bool{false, true} {
		n := stdpNet(t, 4, 1, func() plasticity.Rule {
			if lazy {
				s := plasticity.NewLazySTDP()
				set(&s.STDP)
				s.History = 5000
				return s
			}
			s := plasticity.NewSTDP()
			set(s)
			return s
		})
		if err := n.Build(2); err != nil {
			t.Fatal(err)
		}
		n.Run(70000, nil)
		n.Flush()
		n.Close()
		var ws [][]float32
		for _, pr := range n.Projections()[:2] {
			ws = append(ws, pr.Conn.W)
			if l, ok := pr.Rule.(*plasticity.LazySTDP); ok && l.CatchUps() != 2 {
				t.Errorf("%s: %d catch-ups in 70000 steps, want 2 (one per share, at step 2^16)", pr.Name, l.CatchUps())
			}
		}
		if ref == nil {
			ref = ws
			continue
		}
		for k := range ws {
			if d := firstDiff(ref[k], ws[k]); d >= 0 {
				t.Errorf("projection %d synapse %d: lazy %v, eager %v", k, d, ws[k][d], ref[k][d])
			}
		}
	}
}

// TestLazySTDPNoColumnIndex checks that the lazy rule's projection holds no
// column index (4 bytes per synapse less than STDP's) and that steady-state
// steps allocate nothing.
func TestLazySTDPNoColumnIndex(t *testing.T) {
	build := func(rule func() plasticity.Rule) *Network {
		n := stdpNet(t, 5, 1, rule)
		if err := n.Build(2); err != nil {
			t.Fatal(err)
		}
		return n
	}
	eager := build(func() plasticity.Rule { return plasticity.NewSTDP() })
	defer eager.Close()
	lazy := build(func() plasticity.Rule { return plasticity.NewLazySTDP() })
	defer lazy.Close()
	for k, pr := range lazy.Projections()[:2] {
		pe := eager.Projections()[k]
		if pr.cols != nil {
			t.Errorf("%s: lazy rule got a column index", pr.Name)
		}
		if d := pe.SynapseBytes() - pr.SynapseBytes(); d < 4*int64(pr.Conn.Len()) {
			t.Errorf("%s: lazy saves %d bytes, want at least 4 per synapse (%d)", pr.Name, d, 4*pr.Conn.Len())
		}
	}
	lazy.Run(200, nil)
	if a := testing.AllocsPerRun(20, func() { lazy.Run(10, nil) }); a != 0 {
		t.Errorf("%v allocations per Run of 10 steps, want 0", a)
	}
}

// TestLazySTDPMoreWorkersThanNeurons: with more workers than neurons some
// shares are empty; scripted spikes on a 3×2 matrix must give STDP's
// weights for 1 to 4 workers.
func TestLazySTDPMoreWorkersThanNeurons(t *testing.T) {
	times := map[uint64][]int{}
	for s := uint64(0); s < 200; s++ {
		if s%7 == 0 {
			times[s] = append(times[s], 0)
		}
		if s%5 == 1 {
			times[s] = append(times[s], 1)
		}
		if s%11 == 3 {
			times[s] = append(times[s], 2)
		}
	}
	postTimes := map[uint64][]int{}
	for s := uint64(0); s < 200; s++ {
		if s%4 == 2 {
			postTimes[s] = append(postTimes[s], 0)
		}
		if s%9 == 0 {
			postTimes[s] = append(postTimes[s], 1)
		}
	}
	run := func(lazy bool, workers int) []float32 {
		n := New(1, 1)
		pre, _ := n.AddPopulation("pre", &driver{n: 3, times: times})
		post, _ := n.AddPopulation("post", &driver{n: 2, times: postTimes})
		var edges []synapse.Edge
		for i := int32(0); i < 3; i++ {
			for j := int32(0); j < 2; j++ {
				edges = append(edges, synapse.Edge{Pre: i, Post: j, W: 0.5, Delay: 1 + uint16(i)})
			}
		}
		c, err := synapse.FromEdges(3, 2, edges)
		if err != nil {
			t.Fatal(err)
		}
		var rule plasticity.Rule = plasticity.NewSTDP()
		if lazy {
			l := plasticity.NewLazySTDP()
			l.History = 2
			rule = l
		}
		if _, err := n.Connect("p", pre, post, c, Exc, rule); err != nil {
			t.Fatal(err)
		}
		if err := n.Build(workers); err != nil {
			t.Fatal(err)
		}
		n.Run(200, nil)
		n.Flush()
		n.Close()
		return c.W
	}
	ref := run(false, 1)
	if slices.Equal(ref, slices.Repeat([]float32{0.5}, len(ref))) {
		t.Fatal("no weight changed")
	}
	for _, workers := range []int{1, 2, 3, 4} {
		if got := run(true, workers); firstDiff(ref, got) >= 0 {
			t.Errorf("workers=%d: lazy %v, eager %v", workers, got, ref)
		}
	}
}
