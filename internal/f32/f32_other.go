//go:build !amd64 || purego

package f32

// Add sets dst[i] += src[i] for i < len(src). It panics if len(dst) < len(src).
func Add(dst, src []float32) { addGeneric(dst, src) }

// Axpy sets y[i] += a·x[i] for i < len(x) (product rounded to float32, then
// the sum). It panics if len(y) < len(x).
func Axpy(a float32, x, y []float32) { axpyGeneric(a, x, y) }

func sumRows(dst, w []float32, offs []int32) { sumRowsGeneric(dst, w, offs) }

// HasAVX reports whether the AVX kernels are in use (never, here).
func HasAVX() bool { return false }

// HasAVX2 reports whether AVX2 kernels may run (never, here).
func HasAVX2() bool { return false }

func axpyRows(dst, src []float32, offs []int32, coefs []float32) {
	axpyRowsGeneric(dst, src, offs, coefs)
}

func axpyClip(a float32, x, y []float32, lo, hi float32) { axpyClipGeneric(a, x, y, lo, hi) }

func mul(dst, src []float32) { mulGeneric(dst, src) }

func scale(a float32, x []float32) { scaleGeneric(a, x) }
