package continual

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
	"github.com/engram-lab/engram/rate"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Hand-computed 3-task matrix:
//
//	R = [[0.9, 0.1, 0.2],
//	     [0.8, 0.95, 0.3],
//	     [0.7, 0.85, 0.9]],  Base = [0.1, 0.15, 0.1]
//
// ACC = (0.7+0.85+0.9)/3 = 0.816667
// BWT = ((0.7−0.9) + (0.85−0.95))/2 = −0.15
// FWT = ((0.1−0.15) + (0.3−0.1))/2 = 0.075
// Forgetting = (max(0.9,0.8)−0.7 + 0.95−0.85)/2 = 0.15
func TestMetricsHandComputed(t *testing.T) {
	cases := []struct {
		name                  string
		r                     [][]float64
		base                  []float64
		acc, bwt, fwt, forget float64
	}{
		{"three tasks", [][]float64{{0.9, 0.1, 0.2}, {0.8, 0.95, 0.3}, {0.7, 0.85, 0.9}}, []float64{0.1, 0.15, 0.1},
			0.816667, -0.15, 0.075, 0.15},
		{"no forgetting", [][]float64{{1, 0.5}, {1, 1}}, []float64{0.5, 0.5}, 1, 0, 0, 0},
		{"forgetting peaks later", [][]float64{{0.5, 0, 0}, {0.9, 0.8, 0}, {0.6, 0.8, 0.7}}, []float64{0, 0, 0},
			0.7, (0.6 - 0.5 + 0.8 - 0.8) / 2, 0, (0.9 - 0.6 + 0) / 2},
		{"single task", [][]float64{{0.42}}, []float64{0.1}, 0.42, 0, 0, 0},
	}
	for _, c := range cases {
		m := NewMatrix(make([]string, len(c.r)))
		m.R, m.Base = c.r, c.base
		if !near(m.ACC(), c.acc, 1e-6) || !near(m.BWT(), c.bwt, 1e-12) || !near(m.FWT(), c.fwt, 1e-12) || !near(m.Forgetting(), c.forget, 1e-12) {
			t.Errorf("%s: ACC %v BWT %v FWT %v F %v, want %v %v %v %v", c.name, m.ACC(), m.BWT(), m.FWT(), m.Forgetting(), c.acc, c.bwt, c.fwt, c.forget)
		}
	}
}

func TestScoreMask(t *testing.T) {
	// two samples, 4 classes; sample 0's global argmax is 3 but within
	// {0,1} it is 1.
	sc := []float32{0.1, 0.5, 0.2, 0.9, 0.3, 0.1, 0.8, 0.2}
	y := []uint8{1, 2}
	if a := Score(sc, y, 2, 4, nil); a != 0.5 {
		t.Errorf("unmasked accuracy %v, want 0.5", a)
	}
	if a := Score(sc, y, 2, 4, []int{0, 1}); a != 0.5 {
		t.Errorf("masked {0,1} accuracy %v, want 0.5 (sample 1's label is outside the mask)", a)
	}
	if a := Score(sc, y[:1], 1, 4, []int{0, 1}); a != 1 {
		t.Errorf("masked sample 0 accuracy %v, want 1", a)
	}
}

// synth returns a small image set: class c lights a class-specific 4×4
// patch of a 28×28 image plus uniform noise.
func synth(n int, seed uint64) *dataset.Set {
	r := rng.Named(seed, "synth")
	s := &dataset.Set{Name: "synth", X: make([]float32, n*784), Y: make([]uint8, n), N: n, Steps: 1, Dim: 784, Classes: 10, Height: 28, Width: 28}
	for i := 0; i < n; i++ {
		c := i % 10
		s.Y[i] = uint8(c)
		x := s.X[i*784 : (i+1)*784]
		for j := range x {
			x[j] = 0.3 * r.Float32()
		}
		r0, c0 := 2+4*(c/5)*2, 2+5*(c%5)
		for a := 0; a < 4; a++ {
			for b := 0; b < 4; b++ {
				x[(r0+a)*28+c0+b] = 1
			}
		}
	}
	return s
}

func synthLoader(name string) (*dataset.Set, *dataset.Set, error) {
	return synth(400, 1), synth(200, 2), nil
}

func TestStreams(t *testing.T) {
	o := Options{Tasks: 3, TrainLimit: 100, TestLimit: 50, Seed: 7}
	p, err := Build(PermutedMNIST, o, synthLoader)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 3 || p.Tasks[0].Train.N != 100 || p.Tasks[0].Test.N != 50 || p.Scenario != DomainIL {
		t.Fatalf("permuted stream shape wrong: %d tasks, %d/%d samples", len(p.Tasks), p.Tasks[0].Train.N, p.Tasks[0].Test.N)
	}
	// a permutation keeps each image's multiset of pixel values: sums equal
	// the source sample's sum for the same label position.
	for _, tk := range p.Tasks {
		var s float64
		for _, v := range tk.Train.Sample(0) {
			s += float64(v)
		}
		if s <= 16 {
			t.Errorf("%s: sample 0 pixel sum %v lost the 16 lit pixels", tk.Name, s)
		}
	}
	sp, _ := Build(SplitMNIST, Options{Seed: 7}, synthLoader)
	if len(sp.Tasks) != 5 || sp.Scenario != TaskIL {
		t.Fatalf("split: %d tasks, scenario %v", len(sp.Tasks), sp.Scenario)
	}
	for ti, tk := range sp.Tasks {
		for _, y := range tk.Train.Y {
			if int(y) != 2*ti && int(y) != 2*ti+1 {
				t.Fatalf("split task %d holds label %d", ti, y)
			}
		}
		if m := sp.Mask(ti); len(m) != 2 || m[0] != 2*ti {
			t.Errorf("split task %d mask %v", ti, m)
		}
	}
	sc, _ := Build(SplitMNISTClass, Options{Seed: 7}, synthLoader)
	if sc.Mask(0) != nil || sc.Scenario != ClassIL {
		t.Errorf("class-incremental stream must not mask")
	}
	rot, _ := Build(RotatedMNIST, Options{Tasks: 4, TrainLimit: 10, TestLimit: 10, Seed: 7}, synthLoader)
	if rot.Tasks[0].Name != "rot0" || rot.Tasks[3].Name != "rot45" {
		t.Errorf("rotation names %s…%s, want rot0…rot45", rot.Tasks[0].Name, rot.Tasks[3].Name)
	}
	if _, err := Build("nope", o, synthLoader); err == nil {
		t.Error("unknown stream accepted")
	}
}

func TestPermuteAndRotate(t *testing.T) {
	s := &dataset.Set{X: []float32{1, 2, 3, 4}, Y: []uint8{0}, N: 1, Steps: 1, Dim: 4}
	PermutePixels(s, []int{3, 0, 2, 1})
	want := []float32{4, 1, 3, 2}
	for i, v := range want {
		if s.X[i] != v {
			t.Fatalf("PermutePixels = %v, want %v", s.X, want)
		}
	}
	// 90° counter-clockwise rotation of a 3×3 image is exact.
	img := &dataset.Set{X: []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}, N: 1, Steps: 1, Dim: 9, Height: 3, Width: 3}
	RotateImages(img, 90)
	rot := []float32{3, 6, 9, 2, 5, 8, 1, 4, 7}
	for i, v := range rot {
		if math.Abs(float64(img.X[i]-v)) > 1e-5 {
			t.Fatalf("RotateImages 90° = %v, want %v", img.X, rot)
		}
	}
}

func TestEWCPenaltyGradient(t *testing.T) {
	// two tasks: F1 = (1, 2), θ*1 = (0.5, −1); F2 = (3, 0), θ*2 = (1, 4).
	// gradient at θ = (2, 1): λ[F1(θ−θ*1) + F2(θ−θ*2)]
	// = 10·[(1.5 + 3), (4 + 0)] = (45, 40).
	f1, s1 := []float32{1, 2}, []float32{0.5, -1}
	f2, s2 := []float32{3, 0}, []float32{1, 4}
	a := []float32{f1[0] + f2[0], f1[1] + f2[1]}
	b := []float32{f1[0]*s1[0] + f2[0]*s2[0], f1[1]*s1[1] + f2[1]*s2[1]}
	g := []float32{0, 0}
	EWCPenaltyGrad(g, []float32{2, 1}, a, b, 10, 0)
	if !near(float64(g[0]), 45, 1e-5) || !near(float64(g[1]), 40, 1e-5) {
		t.Errorf("EWC penalty gradient %v, want (45, 40)", g)
	}
	// capped stiffness: k = min(λA, 25) about the anchor B/A.
	// weight 0: λA = 40 → 25·(2 − 3.5/4) = 28.125; weight 1: λA = 20 → 40.
	g = []float32{0, 0}
	EWCPenaltyGrad(g, []float32{2, 1}, a, b, 10, 25)
	if !near(float64(g[0]), 28.125, 1e-5) || !near(float64(g[1]), 40, 1e-5) {
		t.Errorf("capped EWC penalty gradient %v, want (28.125, 40)", g)
	}
}

func TestCLASSPStep(t *testing.T) {
	c := CLASSPConfig{LR: 0.1, Threshold: 0.05, Eps: 1e-5, Power: 1}
	w := []float32{1, 1, 1}
	s := []float32{0, 2, 0}
	g := []float32{0.5, -0.5, 0.01} // third is under the threshold
	CLASSPStep(w, g, s, c)
	// w0: s=0.5, Δ = −0.1·0.5/(0.5+1e-5); w1: s=2.5, Δ = +0.1·0.5/2.50001
	want := []float64{1 - 0.05/(0.5+1e-5), 1 + 0.05/(2.5+1e-5), 1}
	wantS := []float64{0.5, 2.5, 0}
	for i := range w {
		if !near(float64(w[i]), want[i], 1e-6) || !near(float64(s[i]), wantS[i], 1e-6) {
			t.Errorf("weight %d: w %v s %v, want %v %v", i, w[i], s[i], want[i], wantS[i])
		}
	}
	// p = 2 is AdaGrad on the accumulated squares
	c.Power = 2
	w, s = []float32{0}, []float32{0.75}
	CLASSPStep(w, []float32{0.5}, s, c)
	if !near(float64(s[0]), 1, 1e-6) || !near(float64(w[0]), -0.1*0.5/math.Sqrt(1+1e-5), 1e-6) {
		t.Errorf("p=2: w %v s %v", w[0], s[0])
	}
}

func TestConsolidate(t *testing.T) {
	slow, fast := []float32{1, -2, 0}, []float32{3, 2, 0}
	Consolidate(slow, fast, 0.25)
	want := []float32{1.5, -1, 0}
	for i := range want {
		if !near(float64(slow[i]), float64(want[i]), 1e-7) {
			t.Fatalf("Consolidate = %v, want %v", slow, want)
		}
	}
}

func TestSubspaceProjection(t *testing.T) {
	// orthonormal H spanning e0 and (e1+e2)/√2 in 4-d
	r2 := float32(1 / math.Sqrt2)
	s := &Subspace{D: 4, H: []float32{1, 0, 0, 0, 0, r2, r2, 0}}
	x := []float32{3, 1, 2, 5, 7, 4, 4, 1}
	s.Project(x, 2)
	// x − Pₕx: (3,1,2,5) → (0, −0.5, 0.5, 5); (7,4,4,1) → (0, 0, 0, 1)
	want := []float32{0, -0.5, 0.5, 5, 0, 0, 0, 1}
	for i := range want {
		if !near(float64(x[i]), float64(want[i]), 1e-6) {
			t.Fatalf("Project = %v, want %v", x, want)
		}
	}
	// projected vectors are orthogonal to every row
	for i := 0; i < 2; i++ {
		for k := 0; k < 2; k++ {
			if d := rate.Dot(x[i*4:(i+1)*4], s.H[k*4:(k+1)*4]); math.Abs(d) > 1e-6 {
				t.Errorf("sample %d · row %d = %v", i, k, d)
			}
		}
	}
}

// Data confined to a known 3-d subspace of R^12: the Hebbian lateral
// neurons must capture ≥ 97 % of its energy, nearly orthonormal, and the
// projection must then remove ≥ 95 % of any such vector.
func TestSubspaceExtendFindsSubspace(t *testing.T) {
	const D, n = 12, 2000
	r := rand.New(rand.NewPCG(1, 2))
	basis := make([]float32, 3*D)
	for k := 0; k < 3; k++ {
		basis[k*D+2*k] = 1
		basis[k*D+2*k+5] = 1
	}
	x := make([]float32, n*D)
	scale := []float64{3, 2, 1}
	for i := 0; i < n; i++ {
		for k := 0; k < 3; k++ {
			c := float32(r.NormFloat64() * scale[k])
			rate.Axpy(c, basis[k*D:(k+1)*D], x[i*D:(i+1)*D])
		}
	}
	s := &Subspace{D: D}
	c := DefaultHLOP()
	c.K, c.Epochs = 5, 30
	kept, capd := s.Extend(x, n, c, r)
	if capd < c.Energy || kept > 3 || kept < 1 {
		t.Fatalf("kept %d neurons capturing %.3f of the energy, want ≤ 3 reaching %.2f", kept, capd, c.Energy)
	}
	if o := s.Orthonormality(); o > 0.05 {
		t.Errorf("lateral weights not orthonormal: max |HHᵀ−I| = %v", o)
	}
	v := append([]float32(nil), x[:D]...)
	before := rate.Norm(v)
	s.Project(v, 1)
	if after := rate.Norm(v); after > 0.2*before {
		t.Errorf("projection left %.3f of the in-subspace vector's norm", after/before)
	}
}

func TestNoisyStepRestoresWeights(t *testing.T) {
	p := &rate.Param{W: []float32{1, 2}, G: make([]float32, 2)}
	eps := [][]float32{make([]float32, 2)}
	var seen []float32
	NoisyStep([]*rate.Param{p}, eps, 0.5, rand.New(rand.NewPCG(3, 4)), func() {
		seen = append(seen, p.W...)
		p.G[0], p.G[1] = 1, -1
	})
	if seen[0] == 1 || seen[1] == 2 {
		t.Errorf("gradient taken at unperturbed weights %v", seen)
	}
	if !near(float64(seen[0]-1), float64(eps[0][0]), 1e-6) || p.W[0] != 1 || p.W[1] != 2 {
		t.Errorf("weights after step %v, want restored (1, 2); noise %v", p.W, eps[0])
	}
}

func TestDeterminismAndLearning(t *testing.T) {
	s, err := Build(PermutedMNIST, Options{Tasks: 2, TrainLimit: 200, TestLimit: 100, Seed: 3}, synthLoader)
	if err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Hidden, c.Batch, c.Epochs, c.LR = []int{32}, 20, 3, 0.05
	h := DefaultHyper()
	h.HLOP.Samples, h.HLOP.K, h.HLOP.Epochs = 100, 20, 5
	h.EWC.Samples, h.FastSlow.Samples = 20, 20
	for _, m := range Methods {
		run := func() *Result {
			l, err := New(m, s, c, h)
			if err != nil {
				t.Fatal(err)
			}
			return Run(s, l, nil, nil)
		}
		a, b := run(), run()
		if !a.Matrix.Equal(b.Matrix) {
			t.Errorf("%s: same seed gave different matrices:\n%v\n%v", m, a.Matrix, b.Matrix)
		}
		if a.Matrix.R[0][0] < 0.5 {
			t.Errorf("%s: task 0 accuracy %.2f after training, want ≥ 0.5 on the easy synthetic task", m, a.Matrix.R[0][0])
		}
	}
}

func TestExperimentRunFolder(t *testing.T) {
	rc := DefaultRunConfig()
	rc.Stream, rc.Method, rc.Tasks, rc.TrainLimit, rc.TestLimit = SplitMNIST, MEWC, 2, 100, 50
	rc.Net.Hidden, rc.Net.Batch, rc.Net.LR = []int{16}, 20, 0.05
	rc.Hyper.EWC.Samples = 10
	dir := t.TempDir()
	calls := 0
	res, run, err := experiment(context.Background(), rc, dir, synthLoader, func(done, total int) { calls++ }, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 80 samples per class pair in the synthetic set, 2 epochs, batch 20
	if want := 2 * 2 * (80 / 20); calls != want || res.Matrix.T() != 2 {
		t.Errorf("progress called %d times (want %d), %d tasks", calls, want, res.Matrix.T())
	}
	for _, f := range []string{"config.toml", "run.json", "metrics.jsonl", "metrics.csv", "result.json", "accuracy_matrix.png", "accuracy_matrix.md"} {
		if st, err := os.Stat(filepath.Join(run, f)); err != nil || st.Size() == 0 {
			t.Errorf("run folder lacks %s: %v", f, err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(run, "metrics.jsonl"))
	if n := strings.Count(string(b), "\n"); n != 2 {
		t.Errorf("metrics.jsonl has %d rows, want one per task (2)", n)
	}
}

func TestConceptShiftAndNeed(t *testing.T) {
	src := synth(400, 5)
	sh := ConceptShift(src, ShiftOptions{Samples: 2000, Block: 100, Rate: 1, Seed: 1})
	if len(sh.Blocks) != 20 || sh.Shifted[0] {
		t.Fatalf("%d blocks, first shifted %v", len(sh.Blocks), sh.Shifted[0])
	}
	for t2 := 1; t2 < len(sh.Blocks); t2++ {
		diff := 0
		for y := range sh.Maps[t2] {
			if sh.Maps[t2][y] != sh.Maps[t2-1][y] {
				diff++
			}
		}
		if diff != 2 {
			t.Fatalf("block %d: a shift must swap exactly two labels, %d changed", t2, diff)
		}
	}
	c := DefaultNeed()
	c.Hidden = 16
	r := RunShift(sh, c, true, 1)
	for i, lr := range r.LR {
		e := 1 - r.Acc[i]
		if lr < float64(c.LR)-1e-9 || lr > float64(c.LR*(1+c.Gain))+1e-6 {
			t.Fatalf("block %d: η = %v outside [η₀, η₀(1+κ)] (error %v)", i, lr, e)
		}
	}
	if p := RunShift(sh, c, false, 1); p.LR[7] != float64(c.LR) {
		t.Errorf("plain learner's rate changed: %v", p.LR[7])
	}
}

// TestJointPassesOverUnion checks joint's definition: on task t it makes
// Epochs passes over the union of tasks 0..t (one tick per minibatch).
func TestJointPassesOverUnion(t *testing.T) {
	s, err := Build(SplitMNIST, Options{Tasks: 5, TrainLimit: 60, TestLimit: 40, Seed: 3}, synthLoader)
	if err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Hidden, c.Batch, c.Epochs, c.LR = []int{32}, 10, 2, 0.05
	l, err := New(MJoint, s, c, DefaultHyper())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for k := range s.Tasks {
		total += s.Tasks[k].Train.N
		ticks := 0
		l.Learn(s, k, func() { ticks++ })
		if want := Steps(total, c.Batch, c.Epochs); ticks != want {
			t.Errorf("task %d: %d minibatches, want %d (Epochs passes over %d samples)", k, ticks, want, total)
		}
	}
}
