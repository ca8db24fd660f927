package train

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-lab/engram/dataset"
)

// smallEncoder is small() with a SoftHebb front end of 8 kernels
// (8·7·7 = 392 features).
func smallEncoder() RunConfig {
	rc := small()
	rc.Encoder = EncoderConfig{Kind: EncoderSoftHebbConv, Kernels: 8}
	return rc
}

func TestEncoderFeatures(t *testing.T) {
	rc := smallEncoder()
	all, _, err := Data(rc)
	if err != nil {
		t.Fatal(err)
	}
	tr, _, err := Split(rc, all)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := TrainEncoder(rc.Encoder, tr, 1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := enc.Apply(tr)
	if err != nil {
		t.Fatal(err)
	}
	if f.Dim != 8*7*7 || f.N != tr.N || f.Steps != 1 || f.Height != 0 {
		t.Fatalf("features: %d×%d steps of %d, height %d; want %d of 1×392, not an image", f.N, f.Steps, f.Dim, f.Height, tr.N)
	}
	var ss float64
	for _, v := range f.X {
		if v < 0 {
			t.Fatalf("negative feature %v (pooled triangle activations are ≥ 0)", v)
		}
		ss += float64(v) * float64(v)
	}
	if rms := math.Sqrt(ss / float64(len(f.X))); math.Abs(rms-0.3) > 1e-4 {
		t.Errorf("training features have rms %.5f, want the configured 0.3", rms)
	}
	// learning moved the kernels from their random start, deterministically
	raw := rc.Encoder.resolved().layer(28, 28, 1)
	again, err := TrainEncoder(rc.Encoder, tr, 1)
	if err != nil {
		t.Fatal(err)
	}
	w, _, _ := enc.Kernels()
	w2, _, _ := again.Kernels()
	moved := 0.0
	for i := range w {
		if w[i] != w2[i] {
			t.Fatalf("same seed gave different kernels at %d", i)
		}
		moved += math.Abs(float64(w[i] - raw.Conv.Wt.W[i]))
	}
	if moved == 0 {
		t.Error("Hebbian learning left the kernels at their initial values")
	}
	if _, err := enc.Apply(&dataset.Set{Name: "seq", N: 1, Steps: 28, Dim: 28, X: make([]float32, 784)}); err == nil {
		t.Error("a sequence set was accepted by the image encoder")
	}
}

func TestEncoderConfigErrors(t *testing.T) {
	for _, e := range []EncoderConfig{{Kind: "pca"}, {Kind: EncoderSoftHebbConv, KernelSize: 4}, {Kind: EncoderSoftHebbConv, RMS: math.NaN()}, {Kind: EncoderSoftHebbConv, Pool: -1}} {
		if err := e.Validate(); err == nil {
			t.Errorf("%+v accepted", e)
		}
	}
	rc := smallEncoder()
	rc.Data = "smnist"
	if _, err := Run(context.Background(), Options{Config: rc, OutRoot: t.TempDir(), NoPlots: true}); err == nil || !strings.Contains(err.Error(), "one image per sample") {
		t.Errorf("encoder on sequential MNIST: error %v, want one naming the image requirement", err)
	}
}

// TestEncoderSaveOpen trains a run with an encoder and checks that
// OpenModel (what eval and plot use) restores the same predictions and
// that the run folder has the encoder's picture.
func TestEncoderSaveOpen(t *testing.T) {
	rc := smallEncoder()
	res, err := Run(context.Background(), Options{Config: rc, OutRoot: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.TestAccuracy < 0.3 {
		t.Errorf("three epochs on 400 encoded MNIST samples give %.1f%%; expected learning well above chance (10 %%)", 100*res.TestAccuracy)
	}
	_, rc2, err := ReadModel(res.ModelPath)
	if err != nil {
		t.Fatal(err)
	}
	if rc2.Encoder != rc.Encoder {
		t.Errorf("saved encoder config %+v, want %+v", rc2.Encoder, rc.Encoder)
	}
	m, enc, test, err := OpenModel(res.ModelPath, rc2)
	if err != nil {
		t.Fatal(err)
	}
	if enc == nil || test.Dim != 392 {
		t.Fatalf("encoder %v, test dim %d", enc, test.Dim)
	}
	if acc, _ := m.Evaluate(test); acc != res.TestAccuracy {
		t.Errorf("reopened model scores %v, trained model %v", acc, res.TestAccuracy)
	}
	if _, err := os.Stat(filepath.Join(res.RunDir, "encoder_kernels.png")); err != nil {
		t.Error("run folder lacks encoder_kernels.png")
	}
	// a model file without the encoder tensors is refused, not silently used on pixels
	f, _, _ := ReadModel(res.ModelPath)
	f.Tensors = f.Tensors[:0]
	if _, err := loadEncoder(rc2, f); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing encoder tensors: error %v", err)
	}
}
