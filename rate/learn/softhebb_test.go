package learn

import "testing"

// TestSoftHebbSubset: an unsupervised SoftHebb layer plus a linear readout
// learns MNIST from 10000 samples; its weight vectors approach unit norm.
func TestSoftHebbSubset(t *testing.T) {
	tr, te := mnistSubset(t, 10000, 2000)
	c := DefaultSoftHebb()
	c.Hidden = 400
	net, res := TrainSoftHebb(c, tr, te)
	var mean float64
	for j := 0; j < net.Layer.K; j++ {
		mean += rowNorms(net.Layer.W[j*net.Layer.D:(j+1)*net.Layer.D], 1, net.Layer.D)[0]
	}
	mean /= float64(net.Layer.K)
	t.Logf("SoftHebb 400 units: test accuracy %.4f, mean weight norm %.3f", res.TestAcc, mean)
	if res.TestAcc < 0.88 {
		t.Fatalf("accuracy %.4f < 0.88", res.TestAcc)
	}
}
