// Package f32 holds small float32 vector kernels for the engine's hot loops.
//
// Every kernel performs, for each element, exactly the IEEE-754 single
// precision operations of the scalar loop it replaces (a multiply rounded to
// float32 followed by an add rounded to float32; never a fused multiply-add),
// so results are bit-identical to the scalar code and to gonum's blas32.Axpy
// on any CPU. Only the number of elements processed per instruction differs.
// On amd64 Add and Axpy are assembly (AVX when the CPU and OS support it,
// SSE otherwise); elsewhere they are the scalar loops below.
package f32

// addGeneric and axpyGeneric are the reference loops (and the fallback).
func addGeneric(dst, src []float32) {
	dst = dst[:len(src)]
	for i, s := range src {
		dst[i] += s
	}
}

func axpyGeneric(a float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// panicShort is called by the assembly when the destination is too short.
func panicShort() {
	panic("f32: destination shorter than source")
}

// SumRows adds the rows w[o : o+len(dst)], for o in offs in order, to dst:
// the same additions, in the same order for every element, as calling Add
// once per row, but dst stays in registers across rows. It panics if a row
// is out of range of w.
func SumRows(dst, w []float32, offs []int32) {
	n := len(dst)
	for _, o := range offs {
		_ = w[o : int(o)+n] // bounds (and o ≥ 0) for the assembly
	}
	sumRows(dst, w, offs)
}

func sumRowsGeneric(dst, w []float32, offs []int32) {
	for _, o := range offs {
		addGeneric(dst, w[o:int(o)+len(dst)])
	}
}

// AxpyRows sets dst += coefs[k]·src[offs[k] : offs[k]+len(dst)] for k in
// order: the same operations, in the same order for every element, as one
// Axpy per row, with dst kept in registers across the rows. It panics if a
// row is out of range of src or len(coefs) < len(offs).
func AxpyRows(dst, src []float32, offs []int32, coefs []float32) {
	n := len(dst)
	coefs = coefs[:len(offs)]
	for _, o := range offs {
		_ = src[o : int(o)+n]
	}
	axpyRows(dst, src, offs, coefs)
}

func axpyRowsGeneric(dst, src []float32, offs []int32, coefs []float32) {
	for k, o := range offs {
		axpyGeneric(coefs[k], src[o:int(o)+len(dst)], dst)
	}
}

// AxpyClip sets y[i] = clip(y[i] + a·x[i]) for i < len(x), where clip(v) is
// lo if v < lo, hi if v > hi and v otherwise (a NaN stays NaN; lo ≤ hi
// required): the operations of a scalar update followed by
// plasticity.Bounds.Clip, bit for bit. It panics if len(y) < len(x).
func AxpyClip(a float32, x, y []float32, lo, hi float32) {
	if len(y) < len(x) {
		panicShort()
	}
	axpyClip(a, x, y[:len(x)], lo, hi)
}

func axpyClipGeneric(a float32, x, y []float32, lo, hi float32) {
	y = y[:len(x)]
	for i, v := range x {
		w := y[i] + a*v
		if w < lo {
			w = lo
		} else if w > hi {
			w = hi
		}
		y[i] = w
	}
}

// Mul sets dst[i] *= src[i] for i < len(src). It panics if len(dst) < len(src).
func Mul(dst, src []float32) {
	if len(dst) < len(src) {
		panicShort()
	}
	mul(dst[:len(src)], src)
}

// Scale sets x[i] *= a for every i.
func Scale(a float32, x []float32) { scale(a, x) }

func mulGeneric(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] *= v
	}
}

func scaleGeneric(a float32, x []float32) {
	for i := range x {
		x[i] *= a
	}
}
