//go:build goexperiment.simd && amd64

package main

// kernels names the neuron kernels this binary was built with.
const kernels = "GOEXPERIMENT=simd: AVX2 vector kernels for COBA and CUBA (package neuron, fastmath_simd.go)"

const cmdPrefix = "GOEXPERIMENT=simd "
