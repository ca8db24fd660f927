package rng

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestNamedStreamsDifferAndRepeat(t *testing.T) {
	a, b := Named(1, "x"), Named(1, "x")
	for i := 0; i < 100; i++ {
		if a.Uint64() != b.Uint64() {
			t.Fatal("same seed and name gave different streams")
		}
	}
	seen := map[uint64]bool{}
	for seed := uint64(0); seed < 50; seed++ {
		for _, name := range []string{"a", "b", "population/e"} {
			v := Named(seed, name).Uint64()
			if seen[v] {
				t.Fatalf("seed %d name %s repeats another stream's first value", seed, name)
			}
			seen[v] = true
		}
	}
}

// TestSmallSeedsUnbiased checks that the first draws of streams with small
// seeds are uniform: the mean of U(0,1) over seeds 1..2000 (first draw of
// each) is within 4 standard errors of 1/2.
func TestSmallSeedsUnbiased(t *testing.T) {
	const n = 2000
	for _, k := range []int{0, 1, 10} {
		var s float64
		for seed := uint64(1); seed <= n; seed++ {
			r := Named(seed, "connect")
			for j := 0; j < k; j++ {
				r.Float64()
			}
			s += r.Float64()
		}
		m := s / n
		if se := math.Sqrt(1.0 / 12 / n); math.Abs(m-0.5) > 4*se {
			t.Errorf("draw %d: mean %.4f over small seeds, want 0.5 ± %.4f", k, m, 4*se)
		}
	}
}

func TestCounterBased(t *testing.T) {
	const n = 200000
	var s, s2 float64
	for i := uint64(0); i < n; i++ {
		u := Uniform(7, i, 3)
		if u < 0 || u >= 1 {
			t.Fatalf("Uniform = %v", u)
		}
		s += float64(u)
		z := float64(Normal(7, i, 4))
		s2 += z * z
	}
	if m := s / n; math.Abs(m-0.5) > 4*math.Sqrt(1.0/12/n) {
		t.Errorf("Uniform mean %v", m)
	}
	if v := s2 / n; math.Abs(v-1) > 0.02 {
		t.Errorf("Normal variance %v", v)
	}
	if Uniform(1, 2, 3) != Uniform(1, 2, 3) || Uniform(1, 2, 3) == Uniform(1, 2, 4) {
		t.Error("Uniform is not a function of its arguments")
	}
}

// A stream restored from its source's saved state continues exactly where
// the saved one was.
func TestNamedPCGRestore(t *testing.T) {
	src := NamedPCG(3, "x")
	r := rand.New(src)
	if a, b := r.Uint64(), Named(3, "x").Uint64(); a != b {
		t.Fatalf("NamedPCG and Named differ: %d vs %d", a, b)
	}
	r.Perm(17)
	st, err := src.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := []uint64{r.Uint64(), r.Uint64(), uint64(r.IntN(1000))}
	back := NamedPCG(99, "other")
	if err := back.UnmarshalBinary(st); err != nil {
		t.Fatal(err)
	}
	r2 := rand.New(back)
	if got := []uint64{r2.Uint64(), r2.Uint64(), uint64(r2.IntN(1000))}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("restored stream gives %v, want %v", got, want)
	}
}
