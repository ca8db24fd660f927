package plasticity_test

import (
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/engram-lab/engram/bench/rules"
	"github.com/engram-lab/engram/plasticity"
	"github.com/engram-lab/engram/synapse"
)

// TestRSTDPDistalReward reproduces Izhikevich (2007, Fig. 1) with the
// engine, in the set-up of his daspnet.m (see rules.Distal): in an 800/200
// network of Izhikevich neurons with R-STDP on all excitatory synapses,
// rewarding one arbitrary synapse (started at 0) 1–3 s after each of its
// pre→post pairings singles it out after one hour of simulated time: at
// most 5 % of the other excitatory synapses end above it and it is at
// least 3 times their mean (see DistalResult.Holds).
// ENGRAM_DISTAL_SEEDS (e.g. "1,2,3,4,5") runs other seeds (about 35 s of
// CPU each).
func TestRSTDPDistalReward(t *testing.T) {
	if testing.Short() {
		t.Skip("one hour of network simulation (about 35 s of CPU)")
	}
	seeds := []uint64{1}
	if s := os.Getenv("ENGRAM_DISTAL_SEEDS"); s != "" {
		seeds = nil
		for _, f := range strings.Split(s, ",") {
			v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
			if err != nil {
				t.Fatalf("ENGRAM_DISTAL_SEEDS: %v", err)
			}
			seeds = append(seeds, v)
		}
	}
	for _, seed := range seeds {
		cfg := rules.DefaultDistal()
		cfg.Seed = seed
		r, err := rules.Distal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d: %v", seed, r)
		if !r.Holds() {
			t.Errorf("seed %d: rewarded synapse not singled out: %v", seed, r)
		}
	}
}

// eagerSTDP hides *STDP's type so that ThreeFactor uses it as a generic
// term (decaying every trace every step).
type eagerSTDP struct{ *plasticity.STDP }

// TestRSTDPLazyTracesMatchTerm runs R-STDP with tonic and decaying
// dopamine on random spike trains twice: with its *STDP term (lazy traces,
// pairing inside ThreeFactor) and with the same term hidden behind another
// type (generic path, traces decayed every step), with the neurons split
// into two ranges as two workers would. Weights must agree to float32
// rounding, and nearest-neighbour pairing too.
func TestRSTDPLazyTracesMatchTerm(t *testing.T) {
	const nPre, nPost, steps = 30, 20, 20000
	for _, nearest := range []bool{false, true} {
		rnd := rand.New(rand.NewPCG(7, 8))
		var edges []synapse.Edge
		for i := 0; i < nPre; i++ {
			for j := 0; j < nPost; j++ {
				if rnd.IntN(3) == 0 {
					edges = append(edges, synapse.Edge{Pre: int32(i), Post: int32(j), W: 1, Delay: 1})
				}
			}
		}
		mk := func(eager bool) (*plasticity.ThreeFactor, *synapse.CSR, *synapse.Columns) {
			c, err := synapse.FromEdges(nPre, nPost, append([]synapse.Edge(nil), edges...))
			if err != nil {
				t.Fatal(err)
			}
			r := plasticity.NewRSTDP()
			r.Term.(*plasticity.STDP).Nearest = nearest
			if eager {
				r.Term = eagerSTDP{r.Term.(*plasticity.STDP)}
			}
			r.Tonic, r.ModTau, r.W = 0.002, 200, plasticity.Bounds{Min: 0, Max: 4}
			r.Init(c, 1)
			return r, c, c.BuildColumns()
		}
		lz, cl, col := mk(false)
		eg, ce, _ := mk(true)
		pre, post := make([]uint8, nPre), make([]uint8, nPost)
		prevPre, prevPost := make([]uint8, nPre), make([]uint8, nPost)
		for k := 0; k < steps; k++ {
			for i := range pre {
				pre[i] = b2u(rnd.Float64() < 0.01)
			}
			for j := range post {
				post[j] = b2u(rnd.Float64() < 0.01)
			}
			if k%3000 == 1500 {
				for _, r := range []*plasticity.ThreeFactor{lz, eg} {
					r.SetModulator(r.Modulator() + 0.5)
				}
			}
			for _, x := range []struct {
				r *plasticity.ThreeFactor
				c *synapse.CSR
			}{{lz, cl}, {eg, ce}} {
				r, c := x.r, x.c
				r.AdvancePre(0, nPre/2, prevPre)
				r.AdvancePre(nPre/2, nPre, prevPre)
				r.AdvancePost(0, nPost/2, prevPost)
				r.AdvancePost(nPost/2, nPost, prevPost)
				for i, s := range pre {
					if s != 0 {
						lo, hi := c.Row(i)
						r.OnPre(c, i, lo, hi)
					}
				}
				for j, s := range post {
					if s != 0 {
						p0, p1 := col.Ptr[j], col.Ptr[j+1]
						r.OnPost(c, j, col.Syn[p0:p1], col.Pre[p0:p1])
					}
				}
				r.SynapseStep(c, col, 0, nPost)
			}
			copy(prevPre, pre)
			copy(prevPost, post)
		}
		lz.Flush()
		eg.Flush()
		maxDiff, maxDw := 0.0, 0.0
		for s := range cl.W {
			maxDiff = math.Max(maxDiff, math.Abs(float64(cl.W[s]-ce.W[s])))
			maxDw = math.Max(maxDw, math.Abs(float64(ce.W[s]-1)))
			if d := math.Abs(float64(lz.Eligibility(cl, s) - eg.Eligibility(ce, s))); d > 1e-4 {
				t.Errorf("nearest=%v: synapse %d eligibility differs by %.3g", nearest, s, d)
			}
		}
		t.Logf("nearest=%v: max |Δw| %.3g, max lazy−eager difference %.3g", nearest, maxDw, maxDiff)
		if maxDw < 0.1 || maxDiff > 1e-4*math.Max(1, maxDw) {
			t.Errorf("nearest=%v: lazy and eager traces differ by %.3g (max change %.3g)", nearest, maxDiff, maxDw)
		}
	}
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
