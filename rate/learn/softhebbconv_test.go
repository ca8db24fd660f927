package learn

import (
	"math"
	"testing"
)

// TestSoftHebbConvSubset: a 32-kernel convolutional SoftHebb layer learns
// from 2000 unlabelled MNIST images (200 minibatches); its kernels move from
// the initial norm 25 towards the unit norm the rule converges to, and a
// linear readout on its pooled features classifies held-out digits (the
// full-MNIST numbers are in docs/rate.md).
func TestSoftHebbConvSubset(t *testing.T) {
	if testing.Short() {
		t.Skip("about 25 s; skipped with -short")
	}
	tr, te := mnistSubset(t, 2000, 1000)
	c := DefaultSoftHebbConv()
	c.Kernels, c.ReadoutEpochs = 32, 3
	net, res := TrainSoftHebbConv(c, tr, te, nil)
	l := net.Layer.Conv
	fan := l.C * l.KH * l.KW
	var mean float64
	for k := 0; k < l.K; k++ {
		mean += rowNorms(l.Wt.W[k*fan:(k+1)*fan], 1, fan)[0]
	}
	mean /= float64(l.K)
	t.Logf("conv SoftHebb 32 kernels, 2000 images: test accuracy %.4f, mean kernel norm %.3f (initial 25)", res.TestAcc, mean)
	if math.Abs(mean-1) > 12 {
		t.Errorf("mean kernel norm %.3f, want within 12 of 1 (started at 25)", mean)
	}
	if res.TestAcc < 0.75 {
		t.Errorf("accuracy %.4f < 0.75", res.TestAcc)
	}
}

// TestSoftHebbConvRandomControl runs the same readout on the random initial
// kernels (no Hebbian learning), the control the bench reports beside the
// learned layer.
func TestSoftHebbConvRandomControl(t *testing.T) {
	if testing.Short() {
		t.Skip("about 25 s; skipped with -short")
	}
	tr, te := mnistSubset(t, 2000, 1000)
	c := DefaultSoftHebbConv()
	c.Kernels, c.ReadoutEpochs, c.Random = 32, 3, true
	_, res := TrainSoftHebbConv(c, tr, te, nil)
	t.Logf("random 32 kernels: test accuracy %.4f", res.TestAcc)
	if res.TestAcc < 0.5 {
		t.Errorf("accuracy %.4f < 0.5", res.TestAcc)
	}
}
