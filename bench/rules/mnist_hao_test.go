package rules

import (
	"context"
	"flag"
	"os"
	"testing"

	"github.com/engram-lab/engram/dataset"
	"github.com/engram-lab/engram/internal/rng"
)

// Flags of TestHaoExplore (settings search on the validation split).
var (
	haoExplore = flag.Bool("hao", false, "run TestHaoExplore (a Hao et al. 2020 run with the flags below)")
	haoData    = flag.String("hao.data", dataset.NameMNIST, "dataset")
	haoN       = flag.Int("hao.n", 400, "hidden neurons")
	haoTrain   = flag.Int("hao.train", 10000, "training presentations")
	haoValid   = flag.Int("hao.valid", 2000, "validation images (training images 50000..); 0: test set")
	haoTest    = flag.Int("hao.test", 10000, "test images when -hao.valid=0")
	haoEtaIn   = flag.Float64("hao.etain", 0, "input→hidden learning rate ν (0: default)")
	haoEtaOut  = flag.Float64("hao.etaout", 0, "hidden→output learning rate ν (0: default)")
	haoTheta   = flag.Float64("hao.thetaplus", 0, "θ step (0: default)")
	haoTauTh   = flag.Float64("hao.tautheta", 0, "θ time constant, ms (0: default)")
	haoSeed    = flag.Uint64("hao.seed", 1, "seed")
)

// TestHaoExplore runs one stdp-sym configuration given by the -hao.* flags;
// it is how the settings in docs/rules.md were chosen (validation split).
func TestHaoExplore(t *testing.T) {
	if testing.Short() || !*haoExplore {
		t.Skip("needs -hao")
	}
	cfg := DefaultMNIST(*haoData, "stdp-sym", *haoN)
	cfg.Train, cfg.Valid, cfg.Test, cfg.Seed = *haoTrain, *haoValid, *haoTest, *haoSeed
	cfg.Assign = min(cfg.Assign, cfg.Train)
	cfg.Log, cfg.LogEvery = os.Stderr, 1000
	set := func(dst *float32, v float64) {
		if v > 0 {
			*dst = float32(v)
		}
	}
	set(&cfg.Hao.EtaIn, *haoEtaIn)
	set(&cfg.Hao.EtaOut, *haoEtaOut)
	set(&cfg.Hao.ThetaPlus, *haoTheta)
	set(&cfg.Hao.TauTheta, *haoTauTh)
	t.Logf("%+v", cfg.Hao)
	r, err := MNISTRun(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
}

// TestDefaultHao checks the per-size settings taken from the authors' code.
func TestDefaultHao(t *testing.T) {
	for _, c := range []struct {
		data              string
		n                 int
		etaIn, normOut    float32
		vThresh, tauTheta float32
	}{
		{dataset.NameMNIST, 400, 0.005, 320, -52, 6e6},
		{dataset.NameMNIST, 1600, 0.02, 1280, -52, 8e6},
		{dataset.NameMNIST, 6400, 0.01, 5120, -52, 2e7},
		{dataset.NameFashionMNIST, 400, 0.02, 800, -60, 5e7},
		{dataset.NameFashionMNIST, 6400, 0.0005, 5120, -52, 2e7},
	} {
		p := DefaultHao(c.data, c.n)
		if p.EtaIn != c.etaIn || p.NormOut != c.normOut || p.VThresh != c.vThresh || p.TauTheta != c.tauTheta {
			t.Errorf("%s N=%d: %+v", c.data, c.n, p)
		}
	}
}

// TestClaAnswer checks the output readout: most spikes wins; ties (also
// no spikes at all) go to the larger summed input.
func TestClaAnswer(t *testing.T) {
	for _, c := range []struct {
		count []int32
		in    []float64
		want  int
	}{
		{[]int32{1, 5, 2}, []float64{9, 1, 1}, 1},
		{[]int32{3, 1, 3}, []float64{1, 9, 2}, 2},
		{[]int32{0, 0, 0}, []float64{0.5, 0.1, 0.7}, 2},
		{[]int32{0, 0, 0}, []float64{0, 0, 0}, 0},
	} {
		if got := claAnswer(c.count, c.in); got != c.want {
			t.Errorf("claAnswer(%v, %v) = %d, want %d", c.count, c.in, got, c.want)
		}
	}
}

// TestHaoSynthetic runs the Hao et al. model on a small synthetic image
// set (10 classes of 60 random "on" pixels among 784, each sample moving
// 20 % of them elsewhere) with 30 hidden neurons: the supervised output
// layer must reach ≥ 80 % on 200 test samples after 300 training
// presentations (chance 10 %).
func TestHaoSynthetic(t *testing.T) {
	train, test := synthImages(300, 1), synthImages(200, 2)
	cfg := DefaultMNIST(dataset.NameMNIST, "stdp-sym", 30)
	cfg.Train, cfg.Test, cfg.Assign = train.N, test.N, train.N
	r, err := haoRun(context.Background(), cfg, train, test)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if r.Output < 0.8 {
		t.Errorf("output accuracy %.3f, want ≥ 0.8", r.Output)
	}
}

// synthImages draws n samples of the synthetic set behind TestHaoSynthetic
// (the prototypes are the same for every seed).
func synthImages(n int, seed uint64) *dataset.Set {
	const dim, classes, on = 784, 10, 60
	pr := rng.Named(0, "hao-test/protos")
	protos := make([][]int, classes)
	for c := range protos {
		protos[c] = pr.Perm(dim)[:on]
	}
	r := rng.Named(seed, "hao-test/samples")
	s := &dataset.Set{Name: "synthetic", X: make([]float32, n*dim), Y: make([]uint8, n),
		N: n, Steps: 1, Dim: dim, Classes: classes}
	for k := 0; k < n; k++ {
		c := k % classes
		s.Y[k] = uint8(c)
		x := s.Sample(k)
		for m, i := range protos[c] {
			if m < on/5 {
				i = r.IntN(dim)
			}
			x[i] = 1
		}
	}
	return s
}
