package plasticity

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLazySTDPHarness drives STDP and LazySTDP through the Rule methods
// alone (one caller, no engine: histories overflow and OnPost flushes by
// itself) and checks the weights after Flush are bit-identical, for
// all-to-all and nearest pairing, bounds that bind and weights that start
// outside them.
func TestLazySTDPHarness(t *testing.T) {
	for _, tc := range []struct {
		name    string
		nearest bool
		history int
		w0      float32
		p       float64 // spike probability per step
		steps   int
		bound   bool // some weight must end at a bound
	}{
		{"all-to-all", false, 16, 0.5, 0.05, 3000, true},
		{"nearest", true, 16, 0.5, 0.05, 3000, true},
		{"history 1, dense spikes", false, 1, 0.5, 0.3, 3000, true},
		{"start above the bound", false, 4, 1.5, 0.05, 3000, true},
		{"sparse, past 16-bit offsets", false, 255, 0.5, 0.0004, 200000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const nPre, nPost = 30, 12
			steps := tc.steps
			r := rand.New(rand.NewPCG(7, 1))
			pre, post := poissonTrains(r, nPre, steps, tc.p), poissonTrains(r, nPost, steps, tc.p)
			set := func(s *STDP) { s.APlus, s.AMinus, s.Nearest = 0.06, 0.063, tc.nearest }
			he, hl := newHarness(t, nPre, nPost, tc.w0), newHarness(t, nPre, nPost, tc.w0)
			e, l := NewSTDP(), NewLazySTDP()
			set(e)
			set(&l.STDP)
			l.History = tc.history
			e.Init(he.c, 0.5)
			l.Init(hl.c, 0.5)
			for seg := 0; seg < 3; seg++ {
				a, b := seg*steps/3, (seg+1)*steps/3
				he.run(e, pre[a:b], post[a:b])
				hl.run(l, pre[a:b], post[a:b])
				l.Flush()
				for s := range he.c.W {
					if math.Float32bits(he.c.W[s]) != math.Float32bits(hl.c.W[s]) {
						t.Fatalf("segment %d synapse %d: lazy %v, eager %v", seg, s, hl.c.W[s], he.c.W[s])
					}
				}
			}
			if slices.Equal(he.c.W, slices.Repeat([]float32{tc.w0}, len(he.c.W))) {
				t.Fatal("no weight changed: the test tests nothing")
			}
			if tc.bound && !slices.Contains(he.c.W, 1) && !slices.Contains(he.c.W, 0) {
				t.Errorf("no weight at a bound (range %v..%v): clipping is not tested", slices.Min(he.c.W), slices.Max(he.c.W))
			}
		})
	}
}

// TestPreTraceReplaysAdvance checks the replay table against the trace
// STDP's advance computes step by step, through the subnormals to the
// fixed point of the float32 decay (x·k rounds back to x: the trace never
// reaches 0 for k near 1), and that the table stops growing there.
func TestPreTraceReplaysAdvance(t *testing.T) {
	for _, tc := range []struct {
		k       float32
		nearest bool
		x0      float32
	}{
		{decay(0.1, 20), false, 0}, {decay(0.1, 20), false, 3.25}, {decay(1, 20), true, 0.7}, {decay(1, 2), false, 1}, {0, false, 1},
	} {
		x := []float32{tc.x0}
		spk := []uint8{1}
		tr := preTrace{tp: 5, xAt: tc.x0, k: tc.k, nearest: tc.nearest}
		tr.reset()
		for m := 0; m < 40000; m++ {
			if got := tr.at(uint32(5 + m)); math.Float32bits(got) != math.Float32bits(x[0]) {
				t.Fatalf("k=%v nearest=%v: step %d after the spike: replay %v, advance %v", tc.k, tc.nearest, m, got, x[0])
			}
			advance(x, tc.k, 0, 1, spk, tc.nearest)
			spk[0] = 0
		}
		if !tr.end || len(tr.tab) > traceSpan(tc.k, tc.nearest) {
			t.Errorf("k=%v: table of %d entries (span %d), end %v: the fixed point is not used", tc.k, len(tr.tab), traceSpan(tc.k, tc.nearest), tr.end)
		}
	}
}

// TestPreTraceCheckpoint checks that a table resumed from a checkpoint
// (a value of the chain at a later stamp) gives the chain's values, and
// that a stamp before the checkpoint falls back to the spike.
func TestPreTraceCheckpoint(t *testing.T) {
	k := decay(0.1, 20)
	full := preTrace{tp: 10, xAt: 2.5, k: k}
	full.reset()
	for _, ck := range []uint32{10, 11, 12, 500, 30000} {
		p := preTrace{tp: 10, xAt: 2.5, k: k, s0: ck, tab: []float32{full.at(ck)}}
		for _, s := range []uint32{ck, ck + 1, ck + 7, ck + 25000, 11, 10} {
			if got, want := p.at(s), full.at(s); math.Float32bits(got) != math.Float32bits(want) {
				t.Errorf("checkpoint %d: stamp %d: %v, want %v", ck, s, got, want)
			}
		}
	}
}
