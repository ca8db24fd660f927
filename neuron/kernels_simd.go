//go:build goexperiment.simd && amd64

package neuron

func vectorKernels() string {
	if hasAVX2 {
		return "AVX2 via simd/archsimd (GOEXPERIMENT=simd, fastmath_simd.go)"
	}
	return "scalar (the CPU lacks AVX2)"
}
