package spiking

import (
	"math"
	"testing"

	"github.com/engram-lab/engram/internal/rng"
)

// TestRecruitEnergy: on synthetic data of known spectrum, energy-based
// recruitment stops as soon as the subspace captures the target: on
// rank-r data with a target of ≈ 1 it recruits exactly r neurons; with a
// noise floor and a lower target it recruits the fewest leading
// eigenvectors that reach the target (Sanger order). The captured fraction
// it reports reaches the target and equals the one Captured measures, the
// rows are orthonormal, and a second call on the same data adds nothing.
func TestRecruitEnergy(t *testing.T) {
	cases := []struct {
		name   string
		lambda []float64 // leading eigenvalues
		floor  float64   // eigenvalue of the remaining d − len(lambda) directions
		target float64
		chunk  int
		want   int // neurons to recruit: fewest leading eigenvalues reaching target
	}{
		{"rank 6, target 0.999", []float64{9, 7, 5, 3, 2, 1}, 0, 0.999, 32, 6},
		{"rank 6, chunks of 4", []float64{9, 7, 5, 3, 2, 1}, 0, 0.999, 4, 6},
		{"noise floor, target 0.9", []float64{9, 7, 5, 3, 2, 1}, 0.01, 0.9, 8, 5},
		{"noise floor, target 0.7", []float64{9, 7, 5, 3, 2, 1}, 0.01, 0.7, 8, 3},
	}
	const d, n = 40, 3000
	hc := HebbConfig{Epochs: 6, LR: 0.05, Decay: 0.6, Init: 0.1}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rng.Named(11, c.name)
			V := orthonormalRows(r, d, d)
			lambda := make([]float64, d)
			for i := range lambda {
				lambda[i] = c.floor
			}
			copy(lambda, c.lambda)
			x := gaussianData(r, V, lambda, n, d)
			l := NewLateral(d)
			rc := RecruitConfig{Target: c.target, Chunk: c.chunk, Hebb: hc}
			added, capt := l.Recruit(x, n, rc, rng.Named(11, "recruit"))
			t.Logf("added %d neurons, captured %.5f", added, capt)
			if added != c.want || l.K != c.want {
				t.Fatalf("recruited %d (K = %d), want %d", added, l.K, c.want)
			}
			if capt < c.target {
				t.Fatalf("captured %.5f < target %.3f", capt, c.target)
			}
			if m := l.Captured(x, n); math.Abs(m-capt) > 1e-4 {
				t.Fatalf("Recruit reports %.5f, Captured measures %.5f", capt, m)
			}
			if a := maxAngle(l.H, c.want, V, c.want, d); a > 10 {
				t.Fatalf("largest principal angle to the top-%d subspace %.2f° > 10°", c.want, a)
			}
			for i := 0; i < l.K; i++ {
				for j := 0; j <= i; j++ {
					v := float64(dot(l.H[i*d:(i+1)*d], l.H[j*d:(j+1)*d]))
					if i == j {
						v--
					}
					if math.Abs(v) > 1e-4 {
						t.Fatalf("(HHᵀ − I)[%d][%d] = %.2g", i, j, v)
					}
				}
			}
			if again, _ := l.Recruit(x, n, rc, rng.Named(11, "again")); again != 0 {
				t.Fatalf("second call on the same data recruited %d neurons", again)
			}
		})
	}
}

// TestRecruitCaps: Max caps the neurons of one call, Limit the population;
// data without energy recruit nothing.
func TestRecruitCaps(t *testing.T) {
	const d, n = 30, 1000
	r := rng.Named(12, "data")
	V := orthonormalRows(r, d, d)
	lambda := make([]float64, d)
	for i := range lambda {
		lambda[i] = 1 / float64(1+i)
	}
	x := gaussianData(r, V, lambda, n, d)
	hc := HebbConfig{Epochs: 3, LR: 0.5, Decay: 0.5, Init: 0.1}
	cases := []struct {
		name          string
		max, limit, k int
		want          int
	}{
		{"per-call cap", 5, 0, 0, 5},
		{"population cap", 0, 12, 9, 3},
		{"full population", 0, 0, d, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := NewLateral(d)
			l.H = orthonormalRows(rng.Named(12, c.name), c.k, d)
			l.K = c.k
			added, _ := l.Recruit(x, n, RecruitConfig{Target: 0.999, Chunk: 4, Max: c.max, Limit: c.limit, Hebb: hc}, rng.Named(12, "r"))
			if added != c.want || l.K != c.k+c.want {
				t.Fatalf("added %d, K %d; want %d, %d", added, l.K, c.want, c.k+c.want)
			}
		})
	}
	l := NewLateral(d)
	if added, capt := l.Recruit(make([]float32, n*d), n, RecruitConfig{Target: 0.9, Chunk: 4, Hebb: hc}, r); added != 0 || capt != 1 {
		t.Fatalf("zero data: added %d, captured %v; want 0, 1", added, capt)
	}
}
