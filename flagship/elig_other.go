//go:build !amd64 || purego

package flagship

var eligAVX = false // no AVX kernel here

func eligALIFAVX(el, a, ps []float32, e, beta, rho float32) {
	panic("flagship: no AVX kernel on this architecture")
}

func eligDecayAVX(a, ps []float32, e, beta, rho float32) {
	panic("flagship: no AVX kernel on this architecture")
}
