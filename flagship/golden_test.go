package flagship

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/engram-lab/engram/dataset"
)

// stateHash is an FNV-64a hash over the exact bits of every saved tensor and
// of the epoch statistics, so any change of a single weight bit shows.
func stateHash(m *Model, st EpochStats) uint64 {
	h := fnv.New64a()
	var b [8]byte
	put := func(u uint64) {
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	for _, t := range m.Tensors() {
		h.Write([]byte(t.Name))
		for _, v := range t.F32 {
			put(uint64(math.Float32bits(v)))
		}
		for _, v := range t.I32 {
			put(uint64(uint32(v)))
		}
	}
	put(uint64(st.Correct))
	put(math.Float64bits(st.Loss))
	for _, r := range st.Rates {
		put(math.Float64bits(r))
	}
	put(math.Float64bits(st.ReadoutRate))
	return h.Sum64()
}

// seqSet is a small random spike-sequence set (Steps > 1).
func seqSet() *dataset.Set {
	r := rand.New(rand.NewPCG(11, 5))
	set := &dataset.Set{Name: "seq", N: 48, Steps: 10, Dim: 8, Classes: 2,
		X: make([]float32, 48*10*8), Y: make([]uint8, 48)}
	for i := range set.X {
		if r.Float32() < 0.2 {
			set.X[i] = 1
		}
	}
	for i := range set.Y {
		set.Y[i] = uint8(i % 2)
	}
	return set
}

// TestGoldenBits pins the exact training result (all weights, thresholds and
// epoch statistics, then predictions, scores and a spike raster) of several
// configurations to hashes recorded from the
// straightforward implementation before the hot paths were optimised, so
// every optimisation must keep results bit-identical. Each case is also run
// with 1 and 2 workers. Set FLAGSHIP_GOLDEN_PRINT=1 to print the hashes.
func TestGoldenBits(t *testing.T) {
	static := synthetic(96, 49, 4, 21)
	img := *static
	img.Height, img.Width = 7, 7
	cases := []struct {
		name string
		set  func() (*dataset.Set, error)
		mod  func(*Config)
		want uint64
	}{
		{"small-static", func() (*dataset.Set, error) { return static, nil }, func(c *Config) {}, 0x7d47afc99c77ec4f},
		{"small-augment-sparse-readout", func() (*dataset.Set, error) { return &img, nil }, func(c *Config) {
			c.AugmentShift, c.ReadoutDensity, c.ModNeurons, c.TopoFeedback = 1, 0.4, 0, 1
		}, 0xefb6617aee0d01fa},
		{"small-dale-learnrec-alif", func() (*dataset.Set, error) { return static, nil }, func(c *Config) {
			c.LearnRecurrent, c.InhibitoryFraction, c.AdaptBeta, c.BlockDensity = true, 0.2, 0.1, 0.7
		}, 0xdd57752ddae7bec8},
		{"small-random-sparse", func() (*dataset.Set, error) { return static, nil }, func(c *Config) {
			c.RandomSparse, c.ReadoutDensity, c.Layers = true, 0.3, []int{60, 40, 40}
		}, 0x3a6d519adc4839de},
		{"seq-lif", func() (*dataset.Set, error) { return seqSet(), nil }, func(c *Config) {
			c.T, c.HoldSteps = 4, 2
		}, 0xac5279ee3cf47bb7},
		{"seq-alif-learnrec-window", func() (*dataset.Set, error) { return seqSet(), nil }, func(c *Config) {
			c.T, c.HoldSteps, c.AdaptBeta, c.LearnRecurrent, c.EligWindow = 4, 2, 0.3, true, true
		}, 0xe3fba949f97ccab2},
		{"seq-lif-learnrec", func() (*dataset.Set, error) { return seqSet(), nil }, func(c *Config) {
			c.T, c.LearnRecurrent = 3, true
		}, 0x99eaec3060aeb435},
		{"default-mnist-256", func() (*dataset.Set, error) {
			if testing.Short() {
				return nil, fmt.Errorf("skipped under -short")
			}
			tr, _, err := dataset.Load(dataset.NameMNIST)
			if err != nil {
				return nil, err
			}
			return tr.Head(256), nil
		}, nil, 0x65cef5670a7ddfd3},
	}
	print := os.Getenv("FLAGSHIP_GOLDEN_PRINT") != ""
	for _, tc := range cases {
		set, err := tc.set()
		if err != nil {
			t.Logf("%s: %v", tc.name, err)
			continue
		}
		var ref uint64
		for _, w := range []int{1, 2} {
			c := smallConfig()
			if tc.mod == nil {
				c = DefaultConfig()
				c.LRDecay = 0.9 // the default when the hash was recorded
			} else {
				tc.mod(&c)
			}
			c.Workers = w
			m, err := New(c, set.Dim, set.Classes)
			if err != nil {
				t.Fatal(err)
			}
			var st EpochStats
			for e := 0; e < 2; e++ {
				if st, err = m.TrainEpoch(context.Background(), set, nil); err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
			}
			h := stateHash(m, st)
			// inference paths too: predictions, scores and the spike raster
			_, preds := m.Evaluate(set)
			hh := fnv.New64a()
			hh.Write(preds)
			pr := m.NewPredictor()
			pr.Predict(set.Sample(0))
			for _, v := range pr.Scores() {
				hh.Write([]byte(fmt.Sprint(math.Float32bits(v))))
			}
			rast, _ := m.Raster(set.Sample(1))
			hh.Write([]byte(fmt.Sprint(rast)))
			h ^= hh.Sum64()
			if print {
				t.Logf("%s workers=%d: %#x (acc %.4f)", tc.name, w, h, st.Accuracy)
			}
			if w == 1 {
				ref = h
			} else if h != ref {
				t.Errorf("%s: workers=%d hash %#x differs from workers=1 %#x", tc.name, w, h, ref)
			}
			if !print && h != tc.want {
				t.Errorf("%s workers=%d: hash %#x, want %#x (results not bit-identical)", tc.name, w, h, tc.want)
			}
		}
	}
}
