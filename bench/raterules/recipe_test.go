package raterules

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/rate/learn"
)

// TestRecipeRules trains each rule with the claim's recipe (shrunk: a
// 784-100-100-10 net, batch 20, 2000 training and 1000 validation images,
// 2 epochs, with dropout) and checks the validation accuracy, the
// schedule's end point and that saved weights reload through TestRecipe to
// the same test accuracy.
func TestRecipeRules(t *testing.T) {
	if testing.Short() {
		t.Skip("MNIST training skipped under -short")
	}
	if _, _, err := load("mnist"); err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		rule string
		opt  string
		want float64
	}{
		{"dfa", "momentum", 0.85},
		{"bp", "momentum", 0.85},
		{"fa", "adam", 0.80},
		{"drtp", "momentum", 0.70},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			r := DFARecipe
			r.Rule, r.Opt, r.Sizes, r.Epochs, r.Batch, r.Limit, r.Val, r.Drop = tc.rule, tc.opt, []int{784, 100, 100, 10}, 2, 20, 3000, 1000, 0.1
			if tc.opt == "momentum" {
				r.LR = 0.05
			}
			res, err := RunRecipe(r, "mnist", nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Split != "val" || len(res.Log) != 2 {
				t.Fatalf("split %q, %d epochs logged", res.Split, len(res.Log))
			}
			if acc := res.Log[1].Acc; acc < tc.want {
				t.Errorf("validation accuracy %.4f < %.2f", acc, tc.want)
			}
			if lr := res.Log[1].LR; lr > 0.01*r.LR {
				t.Errorf("cosine schedule ends at LR %g, want ≈ 0", lr)
			}
			p := filepath.Join(t.TempDir(), "w")
			if err := res.SaveWeights(p); err != nil {
				t.Fatal(err)
			}
			a, err := TestRecipe(r, p, "mnist")
			if err != nil {
				t.Fatal(err)
			}
			tr, te, _ := load("mnist")
			ss, err := normalise(r.Norm, tr.Head(r.Limit-r.Val), te)
			if err != nil {
				t.Fatal(err)
			}
			if b := learn.Evaluate(res.net, ss[1]); a != b || a < tc.want-0.05 {
				t.Errorf("reloaded weights: test accuracy %.4f, trained net %.4f", a, b)
			}
		})
	}
}

// TestRecipeSchedules checks the learning-rate schedules at their ends and
// midpoints.
func TestRecipeSchedules(t *testing.T) {
	for _, tc := range []struct {
		sched string
		t     float64
		ep    int
		want  float32
	}{
		{"cosine", 0, 0, 1}, {"cosine", 0.5, 5, 0.5}, {"linear", 0.25, 2, 0.75},
		{"exp", 0.9, 2, 0.25}, {"exp", 0.1, 0, 1},
	} {
		r := Recipe{LR: 1, Sched: tc.sched, LRDecay: 0.5}
		if got := r.lrAt(tc.t, tc.ep); math.Abs(float64(got-tc.want)) > 1e-6 {
			t.Errorf("%s at t=%g epoch %d: %g, want %g", tc.sched, tc.t, tc.ep, got, tc.want)
		}
	}
}

// TestNormalise checks that "center" removes the per-pixel training mean and
// "std" also gives unit overall variance.
func TestNormalise(t *testing.T) {
	tr := makeSet([]float32{0, 1, 2, 3, 4, 5}, 3, 2) // 3 samples × 2 pixels
	for _, mode := range []string{"center", "std"} {
		ss, err := normalise(mode, tr, tr)
		if err != nil {
			t.Fatal(err)
		}
		x := ss[0].X
		var m0, m1, v float64
		for i := 0; i < 3; i++ {
			m0 += float64(x[2*i])
			m1 += float64(x[2*i+1])
			v += float64(x[2*i]*x[2*i] + x[2*i+1]*x[2*i+1])
		}
		if math.Abs(m0) > 1e-6 || math.Abs(m1) > 1e-6 {
			t.Errorf("%s: pixel means %g, %g", mode, m0/3, m1/3)
		}
		if mode == "std" && math.Abs(v/6-1) > 1e-5 {
			t.Errorf("std: variance %g", v/6)
		}
		if tr.X[0] != 0 {
			t.Fatal("normalise modified its input")
		}
	}
	if _, err := normalise("bogus", tr); err == nil {
		t.Error("unknown mode accepted")
	}
}

func makeSet(x []float32, n, d int) *dataset.Set {
	return &dataset.Set{Name: "test", X: x, Y: make([]uint8, n), N: n, Steps: 1, Dim: d, Classes: 2}
}
