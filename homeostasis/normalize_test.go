package homeostasis

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/synapse"
)

// randomCSR returns nPre×nPost random synapses (some pairs twice: multapses)
// with weights in [0, 1), and post neuron 3 with all weights 0.
func randomCSR(t *testing.T, nPre, nPost int, seed uint64) *synapse.CSR {
	t.Helper()
	r := rng.Named(seed, "test/normalize")
	var e []synapse.Edge
	for i := 0; i < nPre; i++ {
		for j := 0; j < nPost; j++ {
			for r.Float64() < 0.4 {
				w := r.Float32()
				if j == 3 {
					w = 0
				}
				e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j), W: w, Delay: 1})
			}
		}
	}
	c, err := synapse.FromEdges(nPre, nPost, e)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestNormalizeSums: after Normalize every neuron in range has incoming
// weights summing to Sum (to float32 rounding), others and the all-zero
// neuron are untouched.
func TestNormalizeSums(t *testing.T) {
	c := randomCSR(t, 40, 12, 1)
	cols := c.BuildColumns()
	before := append([]float32(nil), c.W...)
	Normalize(c, cols, 2, 10, 5)
	for j := 0; j < c.NPost; j++ {
		var s float64
		for _, k := range cols.Syn[cols.Ptr[j]:cols.Ptr[j+1]] {
			s += float64(c.W[k])
			if (j < 2 || j >= 10 || j == 3) && c.W[k] != before[k] {
				t.Fatalf("neuron %d outside the range or all-zero: weight changed", j)
			}
		}
		if j >= 2 && j < 10 && j != 3 && math.Abs(s-5) > 1e-5 {
			t.Errorf("neuron %d: sum %v, want 5", j, s)
		}
	}
}

// TestNormalizeRowsMatchesNormalize: the row sweep gives the column walk's
// weights bit for bit, for the full range and a partial one.
func TestNormalizeRowsMatchesNormalize(t *testing.T) {
	for _, tc := range []struct{ lo, hi int }{{0, 12}, {2, 10}, {5, 6}, {4, 4}} {
		a, b := randomCSR(t, 40, 12, 2), randomCSR(t, 40, 12, 2)
		cols := a.BuildColumns()
		scratch := make([]float32, b.NPost)
		for rep := 0; rep < 3; rep++ { // repeated calls, as after each sample
			Normalize(a, cols, tc.lo, tc.hi, 7.5)
			NormalizeRows(b, tc.lo, tc.hi, 7.5, scratch)
		}
		for k := range a.W {
			if math.Float32bits(a.W[k]) != math.Float32bits(b.W[k]) {
				t.Fatalf("range [%d, %d) synapse %d: %v (Normalize) ≠ %v (NormalizeRows)", tc.lo, tc.hi, k, a.W[k], b.W[k])
			}
		}
	}
}

// TestNormalizeDenseMatchesRows: on an all-to-all matrix NormalizeDense
// leaves the weights bit for bit as NormalizeRows does, for target ranges
// around the vector width and a neuron whose weights are all zero.
func TestNormalizeDenseMatchesRows(t *testing.T) {
	const nPre, nPost = 37, 29
	r := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []struct{ lo, hi int }{{0, nPost}, {3, 20}, {8, 16}, {5, 6}, {4, 4}} {
		var e []synapse.Edge
		for i := 0; i < nPre; i++ {
			for j := 0; j < nPost; j++ {
				w := float32(r.ExpFloat64())
				if j == 7 {
					w = 0
				}
				e = append(e, synapse.Edge{Pre: int32(i), Post: int32(j), W: w, Delay: 1})
			}
		}
		a, err := synapse.FromEdges(nPre, nPost, e)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := synapse.FromEdges(nPre, nPost, e)
		sa, sb := make([]float32, nPost), make([]float32, nPost)
		for rep := 0; rep < 3; rep++ {
			NormalizeRows(a, tc.lo, tc.hi, 78, sa)
			NormalizeDense(b.W, nPre, nPost, tc.lo, tc.hi, 78, sb)
		}
		for k := range a.W {
			if math.Float32bits(a.W[k]) != math.Float32bits(b.W[k]) {
				t.Fatalf("range [%d, %d) synapse %d: %v (NormalizeRows) ≠ %v (NormalizeDense)", tc.lo, tc.hi, k, a.W[k], b.W[k])
			}
		}
	}
}
