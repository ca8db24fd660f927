package rate

import "math"

// CrossEntropy returns the batch-mean softmax cross-entropy
// −(1/n) Σ log softmax(z)_y of the n×k logits z and stores its gradient
// (softmax(z) − onehot(y))/n in dz (same size as z).
func CrossEntropy(z []float32, y []uint8, n, k int, dz []float32) float64 {
	var loss float64
	inv := 1 / float32(n)
	for i := 0; i < n; i++ {
		p := dz[i*k : (i+1)*k]
		SoftmaxRow(p, z[i*k:(i+1)*k])
		loss -= math.Log(max(float64(p[y[i]]), 1e-30))
		p[y[i]] -= 1
		for j := range p {
			p[j] *= inv
		}
	}
	return loss / float64(n)
}

// MSE returns the batch-mean squared error (1/n) Σ ½‖p − t‖² of n×k
// predictions and targets and stores its gradient (p − t)/n in dp.
func MSE(p, t []float32, n int, dp []float32) float64 {
	var loss float64
	inv := 1 / float32(n)
	for i, v := range p {
		d := v - t[i]
		loss += 0.5 * float64(d) * float64(d)
		dp[i] = d * inv
	}
	return loss / float64(n)
}

// OneHot writes the n×k one-hot matrix of labels y into dst, with on for
// the label and off elsewhere.
func OneHot(dst []float32, y []uint8, k int, on, off float32) {
	for i, c := range y {
		r := dst[i*k : (i+1)*k]
		for j := range r {
			r[j] = off
		}
		r[c] = on
	}
}
