package rules

import (
	"context"
	"errors"
	"flag"
	"math"
	"os"
	"testing"

	"github.com/engram-lab/engram/dataset"
)

var fullMNIST = flag.Bool("full-mnist", false, "run the full-data MNIST reproductions (Hao et al. 2020, Diehl & Cook 2015; hours)")

// TestMNISTRunCancel: a cancelled context stops both reproductions before
// their first presentation with context.Canceled (Ctrl-C on
// `engram bench rules --full` stops the run instead of being swallowed).
func TestMNISTRunCancel(t *testing.T) {
	if _, err := dataset.MNISTDir(); err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, rule := range []string{"stdp-dc", "stdp-sym"} {
		cfg := DefaultMNIST(dataset.NameMNIST, rule, 10)
		cfg.Train, cfg.Test = 100, 10
		r, err := MNISTRun(ctx, cfg)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: err = %v, want context.Canceled", rule, err)
		}
		if r.Trained != 0 {
			t.Errorf("%s: %d presentations trained after cancellation", rule, r.Trained)
		}
	}
}

// TestMNISTSmoke runs both MNIST reproductions with 50 neurons on 1000
// training and 300 test images (a check that the pipeline runs and learns
// something, not the paper's figure): accuracy must be above chance by
// three standard errors of 300 guesses (0.1 + 3·√(0.1·0.9/300) ≈ 0.15).
func TestMNISTSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST and simulates ~1000 presentations")
	}
	if _, err := dataset.MNISTDir(); err != nil {
		t.Skip(err)
	}
	for _, rule := range []string{"stdp-dc", "stdp-sym"} {
		cfg := DefaultMNIST(dataset.NameMNIST, rule, 50)
		cfg.Train, cfg.Test, cfg.Assign = 1000, 300, 1000
		r, err := MNISTRun(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(r)
		acc := r.Assigned
		if rule == "stdp-sym" {
			acc = max(acc, r.Output)
		}
		if limit := 0.1 + 3*math.Sqrt(0.1*0.9/float64(r.Tested)); acc < limit {
			t.Errorf("%s: accuracy %.3f, want ≥ %.3f (chance 0.1 + 3 standard errors)", rule, acc, limit)
		}
	}
}

// TestMNISTFull is the full-data reproduction of Hao et al. (2020): run
// with go test -run TestMNISTFull -full-mnist -timeout 0 ./bench/rules/.
func TestMNISTFull(t *testing.T) {
	if testing.Short() || !*fullMNIST {
		t.Skip("needs -full-mnist (hours on one core)")
	}
	for _, data := range []string{dataset.NameMNIST, dataset.NameFashionMNIST} {
		cfg := DefaultMNIST(data, "stdp-sym", 6400)
		cfg.Log = os.Stderr
		r, err := MNISTRun(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(r)
	}
}
