package spiking

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/engram-lab/engram/continual"
	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
)

// orthonormalRows returns k orthonormal rows of length d (Gram–Schmidt on
// Gaussian vectors), row-major.
func orthonormalRows(r *rand.Rand, k, d int) []float32 {
	q := make([]float64, k*d)
	for i := 0; i < k; i++ {
		row := q[i*d : (i+1)*d]
		for j := range row {
			row[j] = r.NormFloat64()
		}
		for p := 0; p < i; p++ {
			prev := q[p*d : (p+1)*d]
			var s float64
			for j := range row {
				s += row[j] * prev[j]
			}
			for j := range row {
				row[j] -= s * prev[j]
			}
		}
		var n float64
		for _, v := range row {
			n += v * v
		}
		n = math.Sqrt(n)
		for j := range row {
			row[j] /= n
		}
	}
	out := make([]float32, len(q))
	for i, v := range q {
		out[i] = float32(v)
	}
	return out
}

// TestProjectClosedForm: for orthonormal H, p = Hᵀa + q with Hq = 0 must
// project to exactly q (I − HᵀH is the orthogonal projector), with and
// without the sparse index list.
func TestProjectClosedForm(t *testing.T) {
	cases := []struct {
		name   string
		d, k   int
		sparse bool
	}{
		{"empty subspace is identity", 12, 0, false},
		{"one direction", 12, 1, false},
		{"five directions", 30, 5, false},
		{"five directions, sparse p", 30, 5, true},
		{"full space projects to zero", 8, 8, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rng.Named(7, c.name)
			l := NewLateral(c.d)
			basis := orthonormalRows(r, c.d, c.d) // a full orthonormal basis
			l.H = append([]float32(nil), basis[:c.k*c.d]...)
			l.K = c.k
			// q: combination of the basis vectors outside H; inside: of those in H.
			q := make([]float32, c.d)
			p := make([]float32, c.d)
			for i := 0; i < c.d; i++ {
				a := float32(r.NormFloat64())
				row := basis[i*c.d : (i+1)*c.d]
				axpy(a, row, p)
				if i >= c.k {
					axpy(a, row, q)
				}
			}
			var nz []int32
			if c.sparse {
				// zero half the coordinates of p and recompute q = (I − HᵀH)p
				for j := 0; j < c.d; j += 2 {
					p[j] = 0
				}
				copy(q, p)
				for i := 0; i < c.k; i++ {
					row := basis[i*c.d : (i+1)*c.d]
					axpy(-dot(row, p), row, q)
				}
				for j, v := range p {
					if v != 0 {
						nz = append(nz, int32(j))
					}
				}
			}
			got := make([]float32, c.d)
			l.Project(got, p, make([]float32, c.d), nz)
			for j := range got {
				if math.Abs(float64(got[j]-q[j])) > 1e-5 {
					t.Fatalf("coord %d: got %g want %g", j, got[j], q[j])
				}
			}
			// The result has no component left in span(H).
			y := l.Response(make([]float32, c.d), got, nil)
			for i, v := range y {
				if math.Abs(float64(v)) > 1e-5 {
					t.Fatalf("H p̃ [%d] = %g, want 0", i, v)
				}
			}
		})
	}
}

// gaussianData returns n samples x = Σ_i √λ_i g_i v_i (g_i ~ N(0,1)) for the
// orthonormal rows v_i of V (len(lambda) rows of length d).
func gaussianData(r *rand.Rand, V []float32, lambda []float64, n, d int) []float32 {
	x := make([]float32, n*d)
	for s := 0; s < n; s++ {
		row := x[s*d : (s+1)*d]
		for i, l := range lambda {
			axpy(float32(math.Sqrt(l)*r.NormFloat64()), V[i*d:(i+1)*d], row)
		}
	}
	return x
}

// maxAngle returns the largest principal angle (degrees) between the row
// spaces of A (ka×d) and B (kb×d, orthonormal rows), ka = kb.
func maxAngle(A []float32, ka int, B []float32, kb, d int) float64 {
	toDense := func(x []float32, k int) *mat.Dense {
		m := mat.NewDense(d, k, nil)
		for i := 0; i < k; i++ {
			for j := 0; j < d; j++ {
				m.Set(j, i, float64(x[i*d+j]))
			}
		}
		return m
	}
	orth := func(m *mat.Dense) *mat.Dense {
		var qr mat.QR
		qr.Factorize(m)
		var q mat.Dense
		qr.QTo(&q)
		_, c := m.Dims()
		return mat.DenseCopyOf(q.Slice(0, d, 0, c))
	}
	qa, qb := orth(toDense(A, ka)), orth(toDense(B, kb))
	var m mat.Dense
	m.Mul(qa.T(), qb)
	var svd mat.SVD
	if !svd.Factorize(&m, mat.SVDNone) {
		panic("svd failed")
	}
	sv := svd.Values(nil)
	smin := math.Min(1, slices.Min(sv))
	return math.Acos(smin) * 180 / math.Pi
}

// TestGrowFindsPrincipalSubspace: Oja's subspace rule on synthetic Gaussian
// data with a known spectrum converges to the top-k eigenvectors (largest
// principal angle < 5°), and a second Grow on the residual finds the next
// ones, so the union spans the top-(k1+k2) subspace.
func TestGrowFindsPrincipalSubspace(t *testing.T) {
	const d, n = 40, 3000
	r := rng.Named(3, "data")
	V := orthonormalRows(r, d, d)
	lambda := make([]float64, d)
	for i := range lambda {
		lambda[i] = 0.02 // noise floor
	}
	copy(lambda, []float64{9, 7, 5, 3, 2.5})
	x := gaussianData(r, V, lambda, n, d)
	l := NewLateral(d)
	hc := HebbConfig{Epochs: 6, LR: 0.05, Decay: 0.6, Init: 0.1}
	capt := l.Grow(x, n, 3, hc, rng.Named(3, "grow0"))
	a := maxAngle(l.H, 3, V, 3, d)
	t.Logf("top-3: angle %.2f°, captured energy %.3f (ideal %.3f)", a, capt, 21/(26.5+0.02*35))
	if a > 5 {
		t.Fatalf("top-3 subspace angle %.2f° > 5°", a)
	}
	l.Grow(x, n, 2, hc, rng.Named(3, "grow1"))
	a = maxAngle(l.H, 5, V, 5, d)
	t.Logf("top-5 after second Grow: angle %.2f°", a)
	if a > 5 {
		t.Fatalf("top-5 subspace angle %.2f° > 5°", a)
	}
	// The rows are (nearly) orthonormal, so I − HᵀH is a projector.
	for i := 0; i < 5; i++ {
		for j := 0; j <= i; j++ {
			v := float64(dot(l.H[i*d:(i+1)*d], l.H[j*d:(j+1)*d]))
			want := 0.0
			if i == j {
				want = 1
			}
			if math.Abs(v-want) > 0.02 {
				t.Fatalf("h%d·h%d = %.4f, want %.0f", i, j, v, want)
			}
		}
	}
}

// blobs returns a synthetic static dataset of low rank: sample x of class c
// is prototype c (pixels on with probability 0.3) plus four shared latent
// factors with N(0, spread²) amplitudes plus N(0, 0.02²) pixel noise, so its
// second-moment matrix has ≈ classes + 4 large eigenvalues.
func blobs(seed uint64, name string, n, d, classes int, spread float64) *dataset.Set {
	const factors = 4
	pr := rng.Named(seed, "prototypes")
	protos := make([]float32, classes*d)
	for i := range protos {
		if pr.Float64() < 0.3 {
			protos[i] = 1
		}
	}
	F := make([]float32, factors*d)
	for i := range F {
		F[i] = float32(pr.NormFloat64())
	}
	r := rng.Named(seed, name)
	s := &dataset.Set{Name: name, X: make([]float32, n*d), Y: make([]uint8, n), N: n, Steps: 1, Dim: d, Classes: classes}
	for i := 0; i < n; i++ {
		c := r.IntN(classes)
		s.Y[i] = uint8(c)
		x := s.X[i*d : (i+1)*d]
		copy(x, protos[c*d:(c+1)*d])
		for m := 0; m < factors; m++ {
			axpy(float32(spread*r.NormFloat64()), F[m*d:(m+1)*d], x)
		}
		for j := range x {
			x[j] += float32(0.02 * r.NormFloat64())
		}
	}
	return s
}

func blobStream(tasks, nTrain, nTest int) *continual.Stream {
	tr := blobs(5, "train", nTrain, 100, 4, 0.5)
	te := blobs(5, "test", nTest, 100, 4, 0.5)
	return continual.Permuted(tr, te, continual.Options{Tasks: tasks, Seed: 5})
}

func smallConfig() Config {
	c := DefaultConfig()
	c.Hidden = []int{64}
	c.Recruit = RecruitFixed
	c.Epochs = 1
	c.SubspaceFirst = []int{20, 20}
	c.SubspaceInc = []int{20, 20}
	c.HebbEpochs = 2
	return c
}

// TestDeterminism: the same seed gives bit-identical weights, lateral
// neurons and accuracy matrices; another seed does not. Both recruitment
// modes.
func TestDeterminism(t *testing.T) {
	st := blobStream(2, 300, 100)
	for _, mode := range []string{RecruitFixed, RecruitEnergy} {
		t.Run(mode, func(t *testing.T) {
			run := func(seed uint64) Result {
				c := smallConfig()
				c.Seed = seed
				c.Recruit = mode
				c.RecruitChunk = 8
				c.Hidden = []int{48, 32}
				c.SubspaceFirst = []int{20, 10, 10}
				c.SubspaceInc = []int{10, 10, 10}
				c.SubspaceMax = nil
				res, err := Run(context.Background(), c, st, nil)
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			a, b, c := run(1), run(1), run(2)
			same := func(x, y *Net) bool {
				for k := range x.W {
					if !slices.Equal(x.W[k], y.W[k]) {
						return false
					}
				}
				for l := range x.Lat {
					if x.Lat[l].K != y.Lat[l].K || !slices.Equal(x.Lat[l].H, y.Lat[l].H) {
						return false
					}
				}
				return slices.Equal(x.Wout, y.Wout)
			}
			if !same(a.Net, b.Net) || !a.Matrix.Equal(b.Matrix) {
				t.Fatal("same seed gave different weights or accuracies")
			}
			if same(a.Net, c.Net) {
				t.Fatal("different seeds gave identical weights")
			}
			t.Logf("lateral sizes %v, task energy captured %.4f", a.Subspace, a.Energy)
			switch mode {
			case RecruitFixed:
				if a.Net.Lat[0].K != 20 || a.Net.Lat[2].K != 10 {
					t.Fatalf("lateral sizes %d, %d; want 20, 10", a.Net.Lat[0].K, a.Net.Lat[2].K)
				}
			case RecruitEnergy:
				for l, e := range a.Energy[0] {
					cfg := DefaultConfig()
					target := cfg.EnergyHidden
					if l == 0 {
						target = cfg.Energy
					}
					if a.Net.Lat[l].K == 0 || e < target {
						t.Fatalf("layer %d: %d neurons captured %.4f < target %.2f", l, a.Net.Lat[l].K, e, target)
					}
				}
			}
		})
	}
}

// TestLearnsSynthetic: one task of the synthetic 4-class problem is learned
// well above chance (25 %) within a second.
func TestLearnsSynthetic(t *testing.T) {
	st := blobStream(1, 1000, 400)
	c := smallConfig()
	res, err := Run(context.Background(), c, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("accuracy %.1f%% (random init %.1f%%)", 100*res.Matrix.R[0][0], 100*res.Matrix.Base[0])
	if res.Matrix.R[0][0] < 0.8 {
		t.Fatalf("accuracy %.3f < 0.8", res.Matrix.R[0][0])
	}
}

// TestLearnsMNISTSubset: 2,000 MNIST training images, one epoch, are enough
// to rise far above chance (10 %) on 500 test images.
func TestLearnsMNISTSubset(t *testing.T) {
	tr, te, err := dataset.Load(dataset.NameMNIST)
	if err != nil {
		t.Skip("MNIST not available:", err)
	}
	st := continual.Permuted(tr, te, continual.Options{Tasks: 1, TrainLimit: 2000, TestLimit: 500, Seed: 1})
	c := DefaultConfig()
	c.Hidden = []int{200}
	res, err := Run(context.Background(), c, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("MNIST 2000 samples: test accuracy %.1f%%", 100*res.Matrix.R[0][0])
	if res.Matrix.R[0][0] < 0.7 {
		t.Fatalf("accuracy %.3f < 0.7", res.Matrix.R[0][0])
	}
}

// TestHLOPReducesForgetting: on a 3-task permuted stream of the synthetic
// problem, the same learner forgets less (higher BWT) with HLOP than
// without, at comparable accuracy on each task right after learning it,
// with fixed and with energy-based recruitment.
func TestHLOPReducesForgetting(t *testing.T) {
	st := blobStream(3, 1500, 500)
	run := func(hlop bool, mode string) Result {
		c := smallConfig()
		c.Epochs = 3
		c.LRIn, c.LROut = 0.5, 0.02
		c.HLOP, c.Recruit = hlop, mode
		res, err := Run(context.Background(), c, st, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	ft := run(false, RecruitFixed)
	t.Logf("fine-tuning: ACC %.1f%% BWT %.1f%%\n%s", 100*ft.ACC, 100*ft.BWT, ft.Matrix)
	for _, mode := range []string{RecruitFixed, RecruitEnergy} {
		t.Run(mode, func(t *testing.T) {
			hl := run(true, mode)
			t.Logf("HLOP (%s): ACC %.1f%% BWT %.1f%%, lateral sizes %v\n%s", mode, 100*hl.ACC, 100*hl.BWT, hl.Subspace, hl.Matrix)
			if hl.BWT <= ft.BWT+0.01 || hl.BWT < -0.005 {
				t.Fatalf("HLOP BWT %.3f: want ≥ −0.005 and above fine-tuning BWT %.3f + 0.01", hl.BWT, ft.BWT)
			}
			if hl.ACC <= ft.ACC {
				t.Fatalf("HLOP ACC %.3f not above fine-tuning ACC %.3f", hl.ACC, ft.ACC)
			}
		})
	}
}

// TestSubspaceSchedule: lateral population sizes follow first, first+inc,
// … with the increment lowered by SubspaceDrop every SubspaceDropEvery
// tasks and the total capped by SubspaceMax.
func TestSubspaceSchedule(t *testing.T) {
	cases := []struct {
		name            string
		first, inc, max int
		drop, every     int
		want            []int
	}{
		{"constant increments", 10, 8, 0, 0, 0, []int{10, 18, 26, 34, 42}},
		{"drop 3 every 2 tasks", 10, 8, 0, 3, 2, []int{10, 18, 23, 28, 30}},
		{"capped", 10, 8, 25, 0, 0, []int{10, 18, 25, 25, 25}},
	}
	tr := blobs(9, "train", 200, 60, 4, 0.5)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := smallConfig()
			cfg.Hidden = []int{50}
			cfg.HebbEpochs = 1
			cfg.SubspaceFirst = []int{c.first, c.first}
			cfg.SubspaceInc = []int{c.inc, c.inc}
			cfg.SubspaceMax = []int{c.max, c.max}
			cfg.SubspaceDrop, cfg.SubspaceDropEvery = c.drop, c.every
			n := NewNet(cfg, tr.Dim, tr.Classes)
			for task, w := range c.want {
				dims, _, _ := n.GrowSubspaces(tr, task)
				if dims[0] != w || dims[1] != w {
					t.Fatalf("after task %d: sizes %v, want %d", task, dims, w)
				}
			}
		})
	}
}

// TestValidate: DefaultConfig is valid; each broken setting is reported.
func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Config)
		ok   bool
	}{
		{"defaults", func(*Config) {}, true},
		{"fine-tuning ignores subspace lists", func(c *Config) { c.HLOP = false; c.SubspaceFirst = nil }, true},
		{"no hidden layer", func(c *Config) { c.Hidden = nil }, false},
		{"zero steps", func(c *Config) { c.T = 0 }, false},
		{"subspace list length (fixed mode)", func(c *Config) { c.Recruit = RecruitFixed; c.SubspaceInc = []int{70} }, false},
		{"lateral rate above 1", func(c *Config) { c.HebbLR = 2 }, false},
		{"zero lateral init", func(c *Config) { c.HebbInit = 0 }, false},
		{"energy mode ignores subspace lists", func(c *Config) { c.Recruit = RecruitEnergy; c.SubspaceInc = nil }, true},
		{"unknown recruitment", func(c *Config) { c.Recruit = "grow" }, false},
		{"energy target above 1", func(c *Config) { c.Recruit = RecruitEnergy; c.Energy = 1.1 }, false},
		{"zero hidden energy target", func(c *Config) { c.Recruit = RecruitEnergy; c.EnergyHidden = 0 }, false},
		{"zero chunk", func(c *Config) { c.Recruit = RecruitEnergy; c.RecruitChunk = 0 }, false},
	}
	for _, c := range cases {
		cfg := DefaultConfig()
		c.mod(&cfg)
		if err := cfg.Validate(); (err == nil) != c.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", c.name, err, c.ok)
		}
	}
}
