package flagship

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/engram-lab/engram/dataset"
)

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return v
	}
	return def
}

// TestExperiment is the experiment driver behind RESULTS.md. It only runs when
// FLAGSHIP_EXP names a dataset (mnist, fashion-mnist, smnist):
//
//	FLAGSHIP_EXP=mnist FLAGSHIP_NTRAIN=50000 FLAGSHIP_EPOCHS=5 FLAGSHIP_TEST=0 \
//	FLAGSHIP_CFG='t = 10' go test ./flagship -run TestExperiment -v -timeout 0
//
// Training uses the first NTRAIN images of the training set; validation uses
// the last 10,000 (or a fifth of a smaller set; never trained on). The test set is evaluated only when
// FLAGSHIP_TEST=1.
func TestExperiment(t *testing.T) {
	name := os.Getenv("FLAGSHIP_EXP")
	if name == "" {
		t.Skip("set FLAGSHIP_EXP to run")
	}
	train, test, err := dataset.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	if s := os.Getenv("FLAGSHIP_CFG"); s != "" {
		if _, err := toml.Decode(s, &c); err != nil {
			t.Fatal(err)
		}
	}
	nVal := min(10000, train.N/5)
	nTr := min(envInt("FLAGSHIP_NTRAIN", train.N-nVal), train.N-nVal)
	idx := make([]int, nTr)
	for i := range idx {
		idx[i] = i
	}
	tr := train.Subset(idx)
	vi := make([]int, 0, nVal)
	for i := train.N - nVal; i < train.N; i++ {
		vi = append(vi, i)
	}
	nv := envInt("FLAGSHIP_NVAL", nVal)
	val := train.Subset(vi[:nv])
	m, err := New(c, train.Dim, train.Classes)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("config %+v; readout density %.4f", c, m.ReadoutDensity())
	epochs := envInt("FLAGSHIP_EPOCHS", c.Epochs)
	for e := 0; e < epochs; e++ {
		st, err := m.TrainEpoch(context.Background(), tr, nil)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		acc, _ := m.Evaluate(val)
		t.Logf("epoch %d train %.4f loss %.3f rates %.1f Hz out %.1f Hz | %.0f samples/s (%.1fs) | val %.4f (eval %.1fs)",
			st.Epoch, st.Accuracy, st.Loss, st.Rates, st.ReadoutRate, st.SamplesPerSec, st.Seconds, acc, time.Since(t0).Seconds())
	}
	if os.Getenv("FLAGSHIP_TEST") == "1" {
		acc, _ := m.Evaluate(test)
		t.Logf("TEST accuracy %.4f on %d samples", acc, test.N)
	}
}
