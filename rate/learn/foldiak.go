package learn

// Foldiak is a layer of k linear units with Hebbian (Oja-normalised)
// feedforward weights W (k×d) and anti-Hebbian lateral weights L (k×k, zero
// diagonal), after Földiák 1990: the outputs settle to
//
//	y = W x + L y   (solved by fixed-point iteration),
//
// then ΔW_ij = η y_i (x_j − y_i W_ij) and ΔL_il = −μ y_i y_l (i ≠ l). The
// lateral weights decorrelate the outputs, so the rows of W span the top-k
// principal subspace (not the individual components).
type Foldiak struct {
	K, D    int
	W, L    []float32
	Eta, Mu float32 // feedforward and lateral learning rates
	Iters   int     // fixed-point iterations for y (default 30)
	y, wx   []float32
}

// NewFoldiak returns the layer with W from init (k×d, copied) and L = 0.
func NewFoldiak(k, d int, init []float32, eta, mu float32) *Foldiak {
	f := &Foldiak{K: k, D: d, W: append([]float32(nil), init...), L: make([]float32, k*k),
		Eta: eta, Mu: mu, Iters: 30, y: make([]float32, k), wx: make([]float32, k)}
	return f
}

// Output computes the settled outputs y for input x.
func (f *Foldiak) Output(x []float32) []float32 {
	for i := 0; i < f.K; i++ {
		f.wx[i] = dot(f.W[i*f.D:(i+1)*f.D], x)
	}
	copy(f.y, f.wx)
	for it := 0; it < f.Iters; it++ {
		for i := 0; i < f.K; i++ {
			f.y[i] = f.wx[i] + dot(f.L[i*f.K:(i+1)*f.K], f.y)
		}
	}
	return f.y
}

// Step presents x and applies both updates.
func (f *Foldiak) Step(x []float32) {
	y := f.Output(x)
	for i := 0; i < f.K; i++ {
		wi := f.W[i*f.D : (i+1)*f.D]
		for j, v := range x {
			wi[j] += f.Eta * y[i] * (v - y[i]*wi[j])
		}
		for l := 0; l < f.K; l++ {
			if l != i {
				f.L[i*f.K+l] -= f.Mu * y[i] * y[l]
			}
		}
	}
}
