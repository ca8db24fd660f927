//go:build amd64 && !purego

package f32

// useAVX reports whether the CPU and OS support 256-bit AVX registers; the
// assembly of Add and Axpy reads it to choose the AVX or the SSE loop.
var useAVX = hasAVX()

func hasAVX() bool

// Add sets dst[i] += src[i] for i < len(src). It panics if len(dst) < len(src).
//
//go:noescape
func Add(dst, src []float32)

// Axpy sets y[i] += a·x[i] for i < len(x) (product rounded to float32, then
// the sum). It panics if len(y) < len(x).
//
//go:noescape
func Axpy(a float32, x, y []float32)

//go:noescape
func sumRowsAVX(dst, w []float32, offs []int32)

func sumRows(dst, w []float32, offs []int32) {
	if useAVX {
		sumRowsAVX(dst, w, offs)
		return
	}
	sumRowsGeneric(dst, w, offs)
}

// HasAVX reports whether the AVX kernels are in use (CPU and OS support).
func HasAVX() bool { return useAVX }

func cpuAVX2POPCNT() bool

var hasAVX2 = useAVX && cpuAVX2POPCNT()

// HasAVX2 reports whether the CPU and OS support AVX2 and POPCNT, for
// kernels elsewhere in engram that need 256-bit integer operations.
func HasAVX2() bool { return hasAVX2 }

//go:noescape
func axpyRowsAVX(dst, src []float32, offs []int32, coefs []float32)

func axpyRows(dst, src []float32, offs []int32, coefs []float32) {
	if useAVX {
		axpyRowsAVX(dst, src, offs, coefs)
		return
	}
	axpyRowsGeneric(dst, src, offs, coefs)
}

//go:noescape
func axpyClipAVX(a float32, x, y []float32, lo, hi float32)

func axpyClip(a float32, x, y []float32, lo, hi float32) {
	if useAVX {
		axpyClipAVX(a, x, y, lo, hi)
		return
	}
	axpyClipGeneric(a, x, y, lo, hi)
}

//go:noescape
func mulAVX(dst, src []float32)

//go:noescape
func scaleAVX(a float32, x []float32)

func mul(dst, src []float32) {
	if useAVX {
		mulAVX(dst, src)
		return
	}
	mulGeneric(dst, src)
}

func scale(a float32, x []float32) {
	if useAVX {
		scaleAVX(a, x)
		return
	}
	scaleGeneric(a, x)
}
