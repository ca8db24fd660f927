package learn

import (
	"testing"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/rate"
)

// mnistSubset returns the first nTrain training and nTest test samples, or
// skips the test when MNIST is not installed or under -short (these tests
// train for seconds each).
func mnistSubset(t *testing.T, nTrain, nTest int) (*dataset.Set, *dataset.Set) {
	t.Helper()
	if testing.Short() {
		t.Skip("MNIST training skipped under -short")
	}
	tr, te, err := dataset.Load(dataset.NameMNIST)
	if err != nil {
		t.Skip(err)
	}
	return tr.Head(nTrain), te.Head(nTest)
}

// TestMLPRulesLearnMNISTSubset trains 784-256-10 with each rule for two
// epochs on 5000 MNIST samples.
func TestMLPRulesLearnMNISTSubset(t *testing.T) {
	tr, te := mnistSubset(t, 5000, 2000)
	want := map[Rule]float64{BP: 0.85, FA: 0.82, DFA: 0.82, DRTP: 0.75}
	for _, r := range []Rule{BP, FA, DFA, DRTP} {
		m := NewMLP(r, []int{784, 256, 10}, rate.Tanh, 1)
		res := Train(m, tr, te, TrainConfig{Epochs: 2, Batch: 50, LR: 1e-3, Seed: 1})
		t.Logf("%s: test accuracy %.4f, %.0f samples/s", r, res.TestAcc, res.SamplesPerSec)
		if res.TestAcc < want[r] {
			t.Errorf("%s: accuracy %.4f < %.2f", r, res.TestAcc, want[r])
		}
	}
}

func TestMLPDeterministic(t *testing.T) {
	tr, te := mnistSubset(t, 500, 100)
	run := func() []float32 {
		m := NewMLP(DFA, []int{784, 64, 10}, rate.ReLU, 5)
		Train(m, tr, te, TrainConfig{Epochs: 1, Batch: 50, LR: 1e-3, Seed: 5})
		return append([]float32(nil), m.Dense[0].W.W...)
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed gave different weights")
		}
	}
}
