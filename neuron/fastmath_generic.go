//go:build !amd64 || (purego && !goexperiment.simd)

package neuron

// cobaSIMD is the scalar kernel when the build has no vector kernels: on
// other architectures, and on amd64 with the purego tag (without it amd64
// uses the assembly of fastmath_amd64.s, or with GOEXPERIMENT=simd the
// kernels of fastmath_simd.go).
func cobaSIMD(c *cobaK, v, ge, gi, ref, exc, inh, ext []float32, s []uint8, fused bool, list []int32, off int) []int32 {
	return cobaScalar(c, v, ge, gi, ref, exc, inh, ext, s, fused, list, off)
}

// cubaSIMD is the scalar kernel when the build has no vector kernels.
func cubaSIMD(c *cubaK, v, ge, gi []float32, ref []int32, exc, inh []float32, s []uint8, fused bool, list []int32, off int) []int32 {
	return cubaScalar(c, v, ge, gi, ref, exc, inh, s, fused, list, off)
}

func vectorKernels() string { return "scalar" }
