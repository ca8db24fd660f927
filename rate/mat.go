package rate

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

var impl gonum.Implementation

// Gemm computes c = alpha·op(a)·op(b) + beta·c for row-major matrices, where
// op(a) is m×k and op(b) is k×n (a is stored k×m when ta, b is stored n×k
// when tb) and c is m×n.
func Gemm(ta, tb bool, m, n, k int, alpha float32, a, b []float32, beta float32, c []float32) {
	if m == 0 || n == 0 {
		return
	}
	if len(a) < m*k || len(b) < k*n || len(c) < m*n {
		panic(fmt.Sprintf("rate: Gemm %dx%dx%d with len(a)=%d len(b)=%d len(c)=%d", m, n, k, len(a), len(b), len(c)))
	}
	if k == 0 {
		Scale(c[:m*n], beta)
		return
	}
	at, lda := blas.NoTrans, k
	if ta {
		at, lda = blas.Trans, m
	}
	bt, ldb := blas.NoTrans, n
	if tb {
		bt, ldb = blas.Trans, k
	}
	impl.Sgemm(at, bt, m, n, k, alpha, a, lda, b, ldb, beta, c, n)
}

// Scale multiplies x by s in place.
func Scale(x []float32, s float32) {
	if s == 0 {
		clear(x)
		return
	}
	for i := range x {
		x[i] *= s
	}
}

// Axpy computes y += a·x.
func Axpy(a float32, x, y []float32) {
	if len(x) != len(y) {
		panic("rate: Axpy length mismatch")
	}
	for i, v := range x {
		y[i] += a * v
	}
}

// Dot returns Σ x_i y_i accumulated in float64.
func Dot(x, y []float32) float64 {
	var s float64
	for i, v := range x {
		s += float64(v) * float64(y[i])
	}
	return s
}

// Norm returns the Euclidean norm of x.
func Norm(x []float32) float64 {
	return sqrt(Dot(x, x))
}

// AddRowVec adds the length-d vector v to every row of the n×d matrix x.
func AddRowVec(x []float32, n, d int, v []float32) {
	for i := 0; i < n; i++ {
		r := x[i*d : (i+1)*d]
		for j := range r {
			r[j] += v[j]
		}
	}
}

// SumRows stores in dst (length d) the column sums of the n×d matrix x,
// summing rows in order.
func SumRows(dst, x []float32, n, d int) {
	clear(dst[:d])
	for i := 0; i < n; i++ {
		r := x[i*d : (i+1)*d]
		for j, v := range r {
			dst[j] += v
		}
	}
}

// Argmax returns the index of the largest element of x (the first on ties).
func Argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// Accuracy returns the fraction of rows of the n×k score matrix whose
// argmax equals the label.
func Accuracy(scores []float32, y []uint8, n, k int) float64 {
	c := 0
	for i := 0; i < n; i++ {
		if Argmax(scores[i*k:(i+1)*k]) == int(y[i]) {
			c++
		}
	}
	return float64(c) / float64(n)
}

// grow returns a slice of length n, reusing buf when it is large enough.
func grow(buf []float32, n int) []float32 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]float32, n)
}
