package learn

// Sanger applies the generalized Hebbian algorithm (Sanger 1989) to the k×d
// matrix W with outputs y = W x:
//
//	ΔW_ij = η y_i (x_j − Σ_{l≤i} y_l W_lj)
//
// Row i converges to the i-th principal component of zero-mean inputs.
// y (length k) receives the outputs.
func Sanger(W, x, y []float32, k int, eta float32) {
	d := len(x)
	for i := 0; i < k; i++ {
		y[i] = dot(W[i*d:(i+1)*d], x)
	}
	// Residual r = x − Σ_{l≤i} y_l W_l, built up row by row.
	r := make([]float32, d)
	copy(r, x)
	for i := 0; i < k; i++ {
		wi := W[i*d : (i+1)*d]
		for j := range r {
			r[j] -= y[i] * wi[j]
		}
		for j := range wi {
			wi[j] += eta * y[i] * r[j]
		}
	}
}
