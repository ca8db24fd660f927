package learn

// Hebb applies plain Hebbian learning Δw = η y x with y = w·x to the weight
// vector w (Hebb 1949). The norm of w grows without bound; its direction
// tends to the first principal component of zero-mean inputs.
func Hebb(w, x []float32, eta float32) (y float32) {
	y = dot(w, x)
	for i, v := range x {
		w[i] += eta * y * v
	}
	return y
}

// Oja applies Oja's rule Δw = η y (x − y w) with y = w·x (Oja 1982), whose
// stable fixed point for zero-mean inputs is the unit-norm first principal
// component of their covariance.
func Oja(w, x []float32, eta float32) (y float32) {
	y = dot(w, x)
	for i, v := range x {
		w[i] += eta * y * (v - y*w[i])
	}
	return y
}

func dot(a, b []float32) float32 {
	var s float32
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
