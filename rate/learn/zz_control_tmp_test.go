package learn

import (
	"os"
	"testing"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/rate"
)

// temporary: frozen random conv kernels (DFA with B = 0), full MNIST, 1 epoch
func TestZZControlFull(t *testing.T) {
	if os.Getenv("RR_CONTROL") == "" {
		t.Skip()
	}
	tr, te, err := dataset.Load(dataset.NameMNIST)
	if err != nil {
		t.Fatal(err)
	}
	m := NewCNN(DFA, 28, 32, 10, rate.ReLU, 1)
	clear(m.B)
	k0 := append([]float32(nil), m.Conv.Wt.W...)
	res := Train(m, tr, te, TrainConfig{Epochs: 1, Batch: 100, LR: 1e-3, Seed: 1})
	same := true
	for i := range k0 {
		same = same && k0[i] == m.Conv.Wt.W[i]
	}
	t.Logf("frozen-conv control: test %.4f, %.0f samples/s, kernels unchanged %v", res.TestAcc, res.SamplesPerSec, same)
}
