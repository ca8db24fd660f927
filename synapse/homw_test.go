package synapse

import (
	"math"
	"slices"
	"testing"
)

func TestCompactWeights(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	for _, tc := range []struct {
		name    string
		w       []float32
		compact bool
	}{
		{"all equal", []float32{0.5, 0.5, 0.5, 0.5}, true},
		{"one differs", []float32{0.5, 0.5, 0.25, 0.5}, false},
		{"+0 and -0 differ in bits", []float32{0, negZero, 0, 0}, false},
		{"single synapse", []float32{3, 0, 0, 0}[:1], true},
		{"no synapses", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edges := []Edge{{Pre: 1, Post: 2}, {Pre: 0, Post: 1}, {Pre: 2, Post: 0, Delay: 2}, {Pre: 0, Post: 0}}[:len(tc.w)]
			for k := range edges {
				edges[k].W = tc.w[k]
			}
			c, err := FromEdges(3, 3, edges)
			if err != nil {
				t.Fatal(err)
			}
			dense, bytes, w := c.Dense(), c.Bytes(), slices.Clone(c.W)
			if got := c.CompactWeights(); got != tc.compact || c.Homogeneous() != tc.compact {
				t.Fatalf("CompactWeights = %v, Homogeneous = %v, want %v", got, c.Homogeneous(), tc.compact)
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.Dense(), dense) {
				t.Errorf("Dense %v, want %v", c.Dense(), dense)
			}
			for s := range w {
				if math.Float32bits(c.WeightOf(s)) != math.Float32bits(w[s]) {
					t.Errorf("WeightOf(%d) = %v, want %v", s, c.WeightOf(s), w[s])
				}
			}
			if tc.compact {
				if want := bytes - 4*int64(len(w)); c.Bytes() != want {
					t.Errorf("Bytes %d, want %d (no weight array)", c.Bytes(), want)
				}
				if got := c.Weights(); !slices.Equal(got, w) || c.Homogeneous() && len(w) > 0 {
					t.Errorf("Weights expanded to %v, want %v", got, w)
				}
				if !c.CompactWeights() {
					t.Error("expanded equal weights do not compact again")
				}
			} else if c.Bytes() != bytes {
				t.Errorf("Bytes changed from %d to %d", bytes, c.Bytes())
			}
		})
	}
}
